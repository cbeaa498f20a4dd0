package org.fmnistbench.bench;

import java.util.Locale;

/**
 * How much repetition a suite run buys, chosen from the stability experiment (STABILITY.md: the
 * variance at each level and what each setting costs). {@code quick} is what the benchmark
 * classes' annotations say, so a plain {@code java -jar benchmarks.jar} gets it too; {@code
 * precise} is the cheapest setting whose predicted 95 % half-width meets the targets for every
 * point measured there. Explicit {@code --forks}, {@code --iterations}... override either.
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
  static final int QUICK_WARMUP_ITERATIONS = 2;
  static final int QUICK_WARMUP_SECONDS = 2;
  static final int QUICK_ITERATIONS = 3;
  static final int QUICK_SECONDS = 2;
  public static final Precision QUICK = new Precision("quick", QUICK_FORKS, QUICK_WARMUP_ITERATIONS, QUICK_WARMUP_SECONDS,
      QUICK_ITERATIONS, QUICK_SECONDS);
  public static final Precision PRECISE = new Precision("precise", 8, 2, 2, 4, 2);

  /** quick or precise. */
  public static Precision byId(String id) {
    return switch (id.trim().toLowerCase(Locale.ROOT)) {
      case "quick" -> QUICK;
      case "precise" -> PRECISE;
      default -> throw new IllegalArgumentException("unknown precision '" + id + "'; valid: quick, precise");
    };
  }
}
