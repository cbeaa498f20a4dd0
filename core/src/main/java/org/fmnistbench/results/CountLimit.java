package org.fmnistbench.results;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a point's count must move to be called a change: {@code max(minEffect, spreads x its
 * A/A spread)}, the A/A spread being the point's own from the A/A counting runs (at least 3
 * processes) of the same JIT setting, or the largest of any point where it has none. The nightly
 * detector and the injection drill both judge by it.
 */
public final class CountLimit {
  /** Smallest relative change called. */
  public static final double MIN_EFFECT = 0.01;
  /** A/A standard deviations a change must exceed. */
  public static final double SPREADS = 6;

  private final double minEffect;
  private final double spreads;
  private final Map<String, Double> sdPercent = new HashMap<>();
  private final double worstSdPercent;

  public CountLimit(double minEffect, double spreads, List<CountResults> aaRuns, String jit) {
    this.minEffect = minEffect;
    this.spreads = spreads;
    double worst = 0;
    for (CountSpread s : CountSpread.of(aaRuns)) {
      if (s.jit().equals(jit) && s.processes().size() >= 3) {
        sdPercent.merge(s.key(), s.sdPercent(), Math::max);
        worst = Math.max(worst, s.sdPercent());
      }
    }
    this.worstSdPercent = worst;
  }

  /** The relative change {@code key}'s count must exceed. */
  public double limit(String key) {
    return Math.max(minEffect, spreads * sdPercent.getOrDefault(key, worstSdPercent) / 100);
  }
}
