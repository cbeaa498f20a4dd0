package org.fmnistbench.bench;

import java.util.Locale;

/**
 * How much repetition a suite run buys. {@code precise} is the shape of the stability
 * experiment (STABILITY.md measures what it reaches): 20 s of warm-up, because SameDiff's steps
 * change state 14-16 s into a fork (profile-native-bound.md), and three forks for an interval
 * over their means; the nightly job measures at this level, and its detector was calibrated on
 * runs of this shape. All 44 points take about an hour. {@code quick} is what fits
 * {@code -Pbench}'s 25 minutes on 2 cores: the same three forks with a third of the warm-up and
 * one measured iteration each, so its figures can include the end of SameDiff's warm-up; it is
 * what the benchmark classes' annotations say, so a plain {@code java -jar benchmarks.jar} gets
 * it too. Explicit {@code --forks}, {@code --iterations}... override either.
 *
 * @param forks JVMs per point: the interval is over their means, so at least 3
 * @param warmupIterations warm-up iterations per fork
 * @param warmupSeconds seconds per warm-up iteration
 * @param iterations measured iterations per fork
 * @param seconds seconds per measured iteration
 */
public record Precision(String id, int forks, int warmupIterations, int warmupSeconds, int iterations, int seconds) {
  // the quick level as constants, so TrainStepBenchmarks' and InferenceBenchmarks' annotations can name them
  static final int QUICK_FORKS = 3;
  static final int QUICK_WARMUP_ITERATIONS = 3;
  static final int QUICK_WARMUP_SECONDS = 2;
  static final int QUICK_ITERATIONS = 1;
  static final int QUICK_SECONDS = 2;
  public static final Precision QUICK = new Precision("quick", QUICK_FORKS, QUICK_WARMUP_ITERATIONS, QUICK_WARMUP_SECONDS,
      QUICK_ITERATIONS, QUICK_SECONDS);
  public static final Precision PRECISE = new Precision("precise", 3, 10, 2, 3, 2);

  /** quick or precise. */
  public static Precision byId(String id) {
    return switch (id.trim().toLowerCase(Locale.ROOT)) {
      case "quick" -> QUICK;
      case "precise" -> PRECISE;
      default -> throw new IllegalArgumentException("unknown precision '" + id + "'; valid: quick, precise");
    };
  }
}
