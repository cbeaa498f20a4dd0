package org.fmnistbench.results;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a point's count is judged. The verdict rests on all its instructions where their A/A spread
 * is within {@link #TARGET_SD_PERCENT}; where only the native libraries' instructions are that
 * repeatable (the Java side of some SameDiff points settles in one of two states per process),
 * on those alone, with all its instructions as a backstop against their own wider limit: a change
 * confined to the Java side of such a point is seen only beyond that. A change is called beyond
 * {@code max(minEffect, spreads x the A/A spread of what is judged)}, the spread
 * being the point's own from the A/A counting runs (at least 3 processes) of the same JIT setting,
 * or the largest of any point where it has none. The nightly detector, the injection drill and
 * comparisons of two builds all judge by it.
 */
public final class CountLimit {
  /** Smallest relative change called. */
  public static final double MIN_EFFECT = 0.01;
  /** A/A standard deviations a change must exceed. */
  public static final double SPREADS = 6;
  /** The A/A spread (1 sd, percent) under which a count is repeatable enough to judge. */
  public static final double TARGET_SD_PERCENT = 0.5;

  /** What a point's verdict rests on. */
  public enum Basis {
    /** Every instruction of the step. */
    ALL,
    /** The native libraries' instructions alone: the Java side is not repeatable at this point. */
    NATIVE;

    /** The point's figure on this basis, instructions per operation. */
    public double of(CountResults.Point p) {
      return this == ALL ? p.perOp(CountResults.INSTRUCTIONS) : CountSpread.nativeInstructions(p);
    }
  }

  private final double minEffect;
  private final double spreads;
  private final Map<String, double[]> sdPercent = new HashMap<>();
  private final double worstSdPercent;

  public CountLimit(double minEffect, double spreads, List<CountResults> aaRuns, String jit) {
    this.minEffect = minEffect;
    this.spreads = spreads;
    double worst = 0;
    for (CountSpread s : CountSpread.of(aaRuns)) {
      if (s.jit().equals(jit) && s.processes().size() >= 3) {
        double[] sd = sdPercent.computeIfAbsent(s.key(), k -> new double[2]);
        sd[0] = Math.max(sd[0], s.sdPercent());
        sd[1] = Math.max(sd[1], s.nativeSdPercent());
        worst = Math.max(worst, Math.min(s.sdPercent(), Math.max(s.nativeSdPercent(), s.sdPercent())));
      }
    }
    this.worstSdPercent = worst;
  }

  /** What {@code key}'s verdict rests on: all instructions, unless only the native ones are repeatable. */
  public Basis basis(String key) {
    double[] sd = sdPercent.get(key);
    return sd != null && sd[0] > TARGET_SD_PERCENT && sd[1] <= TARGET_SD_PERCENT ? Basis.NATIVE : Basis.ALL;
  }

  /** The relative change {@code key}'s count must exceed, on its basis. */
  public double limit(String key) {
    return basis(key) == Basis.NATIVE ? limit(key, Basis.NATIVE) : limit(key, Basis.ALL);
  }

  /** The relative change {@code key}'s count must exceed on {@code basis}, from that basis' spread. */
  public double limit(String key, Basis basis) {
    double[] sd = sdPercent.get(key);
    double spread = sd == null ? worstSdPercent : basis == Basis.NATIVE ? sd[1] : sd[0];
    return Math.max(minEffect, spreads * spread / 100);
  }

  /**
   * Whether a change of {@code allChange} on all instructions and {@code nativeChange} on the
   * native libraries' is called at {@code key}: on the point's basis, and for a point judged on its
   * native libraries also on all instructions against their own limit (the backstop).
   */
  public boolean called(String key, double allChange, double nativeChange) {
    if (basis(key) == Basis.ALL) {
      return Math.abs(allChange) > limit(key, Basis.ALL);
    }
    return Math.abs(nativeChange) > limit(key, Basis.NATIVE) || Math.abs(allChange) > limit(key, Basis.ALL);
  }

  /**
   * One point judged: the comparison on the point's basis, the limit it had to exceed, and
   * whether it did.
   */
  public record Judgement(CountComparison comparison, Basis basis, double limit) {
    /** Whether the change exceeded the limit, either way. */
    public boolean called() {
      return Math.abs(comparison.relativeChange()) > limit;
    }
  }

  /**
   * Judges {@code after} against {@code before}, two counts of the same point: on the point's
   * basis, or, where that is the native libraries and their change stays within its limit, on all
   * instructions against theirs when those exceed it (the judgement then names that basis).
   */
  public Judgement judge(CountResults.Point before, CountResults.Point after) {
    Basis b = basis(after.key());
    Judgement onBasis = new Judgement(CountComparison.of(before, after, b), b, limit(after.key(), b));
    if (b == Basis.NATIVE && !onBasis.called()) {
      Judgement backstop = new Judgement(CountComparison.of(before, after, Basis.ALL), Basis.ALL,
          limit(after.key(), Basis.ALL));
      if (backstop.called()) {
        return backstop;
      }
    }
    return onBasis;
  }
}
