package org.fmnistbench.results;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a point's count is judged. The verdict rests on all its instructions where their A/A spread
 * is within {@link #TARGET_SD_PERCENT}; else on all but the native libraries' JIT kernels where
 * those are that repeatable (oneDNN's gemm kernels run one of two instruction counts, fixed for a
 * process and differing between processes: COUNTS.md); else on the native
 * libraries' own instructions alone. A point judged on a part has all its instructions as a
 * backstop, against their own wider limit: a change confined to what its basis leaves out is seen
 * only beyond that. A change is called beyond {@code max(minEffect, spreads x the A/A spread of what
 * is judged)}, the spread being the point's own from the A/A counting runs (at least 3 processes)
 * of the same JIT setting, or the largest of any point where it has none. The nightly detector, the
 * injection drill and comparisons of two builds all judge by it.
 */
public final class CountLimit {
  /** Smallest relative change called. */
  public static final double MIN_EFFECT = 0.01;
  /** A/A standard deviations a change must exceed. */
  public static final double SPREADS = 6;
  /** The A/A spread (1 sd, percent) under which a count is repeatable enough to judge. */
  public static final double TARGET_SD_PERCENT = 0.5;
  /** Processes an A/A spread needs before a point's limit rests on it. */
  static final int MIN_PROCESSES = 3;

  /** What a point's verdict rests on, in the order of preference. */
  public enum Basis {
    /** Every instruction of the step. */
    ALL("all", "all instructions"),
    /** Every instruction but the native libraries' JIT kernels: Java's side and the native libraries' own code. */
    WITHOUT_KERNELS("all but kernels", "all but the native libraries' JIT kernels"),
    /** The native libraries' instructions alone: neither generated code nor the JVM. */
    NATIVE("native alone", "the native libraries' instructions");

    private final String label;
    private final String description;

    Basis(String label, String description) {
      this.label = label;
      this.description = description;
    }

    /** A short label for tables ("native alone"). */
    public String label() {
      return label;
    }

    /** What it covers, for prose ("the native libraries' instructions"). */
    public String description() {
      return description;
    }

    /** The point's figure on this basis, instructions per operation (NaN where the point's digest cannot tell it). */
    public double of(CountResults.Point p) {
      return switch (this) {
        case ALL -> p.perOp(CountResults.INSTRUCTIONS);
        case WITHOUT_KERNELS -> CountSpread.withoutNativeKernels(p);
        case NATIVE -> CountSpread.nativeInstructions(p);
      };
    }

    /** The A/A spread of {@code s} on this basis, percent (NaN with too few processes). */
    double sdPercent(CountSpread s) {
      return switch (this) {
        case ALL -> s.processes().size() >= MIN_PROCESSES ? s.sdPercent() : Double.NaN;
        case WITHOUT_KERNELS -> s.withoutKernels().size() >= MIN_PROCESSES ? s.withoutKernelsSdPercent() : Double.NaN;
        case NATIVE -> s.processes().size() >= MIN_PROCESSES ? s.nativeSdPercent() : Double.NaN;
      };
    }
  }

  private final double minEffect;
  private final double spreads;
  /** Per point, its A/A spread on each basis (by ordinal; NaN where unmeasured), the largest over CPU models. */
  private final Map<String, double[]> sdPercent = new HashMap<>();
  private final double worstSdPercent;

  public CountLimit(double minEffect, double spreads, List<CountResults> aaRuns, String jit) {
    this.minEffect = minEffect;
    this.spreads = spreads;
    double worst = 0;
    for (CountSpread s : CountSpread.of(aaRuns)) {
      if (s.jit().equals(jit) && s.processes().size() >= MIN_PROCESSES) {
        double[] sd = sdPercent.computeIfAbsent(s.key(), k -> {
          double[] none = new double[Basis.values().length];
          Arrays.fill(none, Double.NaN);
          return none;
        });
        for (Basis b : Basis.values()) {
          double v = b.sdPercent(s);
          sd[b.ordinal()] = Double.isNaN(sd[b.ordinal()]) ? v : Double.isNaN(v) ? sd[b.ordinal()] : Math.max(sd[b.ordinal()], v);
        }
        worst = Math.max(worst, s.sdPercent());
      }
    }
    this.worstSdPercent = worst;
  }

  /** What {@code key}'s verdict rests on: the first basis whose spread meets the target, else all instructions. */
  public Basis basis(String key) {
    double[] sd = sdPercent.get(key);
    if (sd != null) {
      for (Basis b : Basis.values()) {
        if (sd[b.ordinal()] <= TARGET_SD_PERCENT) {
          return b;
        }
      }
    }
    return Basis.ALL;
  }

  /** The relative change {@code key}'s count must exceed, on its basis. */
  public double limit(String key) {
    return limit(key, basis(key));
  }

  /** The relative change {@code key}'s count must exceed on {@code basis}, from that basis' spread. */
  public double limit(String key, Basis basis) {
    double[] sd = sdPercent.get(key);
    double spread = sd == null || Double.isNaN(sd[basis.ordinal()]) ? worstSdPercent : sd[basis.ordinal()];
    return Math.max(minEffect, spreads * spread / 100);
  }

  /**
   * Whether relative changes {@code changes} (by basis; a basis missing or NaN was not measured) are
   * called at {@code key}: on the point's basis, and for a point judged on a part also on all
   * instructions against their own limit (the backstop).
   */
  public boolean called(String key, Map<Basis, Double> changes) {
    Basis b = basis(key);
    double onBasis = changes.getOrDefault(b, Double.NaN);
    double all = changes.getOrDefault(Basis.ALL, Double.NaN);
    return Math.abs(onBasis) > limit(key, b) || b != Basis.ALL && Math.abs(all) > limit(key, Basis.ALL);
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
   * Judges {@code after} against {@code before}, two counts of the same point under the same
   * runtime ({@link CountResults.Point#comparableWith}; else an error): on the point's
   * basis, or, where that is a part and its change stays within its limit, on all instructions
   * against theirs when those exceed it (the judgement then names that basis).
   */
  public Judgement judge(CountResults.Point before, CountResults.Point after) {
    if (!after.comparableWith(before)) {
      throw new IllegalArgumentException("cannot judge " + after.whyNotComparable(before));
    }
    Basis b = basis(after.key());
    if (Double.isNaN(b.of(before)) || Double.isNaN(b.of(after))) {
      // a count from before its digest told the kernels apart: the next basis that meets the target
      double[] sd = sdPercent.get(after.key());
      b = sd != null && sd[Basis.NATIVE.ordinal()] <= TARGET_SD_PERCENT ? Basis.NATIVE : Basis.ALL;
    }
    Judgement onBasis = new Judgement(CountComparison.of(before, after, b), b, limit(after.key(), b));
    if (b != Basis.ALL && !onBasis.called()) {
      Judgement backstop = new Judgement(CountComparison.of(before, after, Basis.ALL), Basis.ALL,
          limit(after.key(), Basis.ALL));
      if (backstop.called()) {
        return backstop;
      }
    }
    return onBasis;
  }
}
