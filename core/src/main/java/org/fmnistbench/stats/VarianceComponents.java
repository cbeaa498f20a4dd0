package org.fmnistbench.stats;

import java.util.List;

/**
 * The variance of one benchmark point split over the levels at which it was repeated, after
 * Kalibera and Jones ("Rigorous Benchmarking in Reasonable Time", ISMM 2013): level 1 the
 * measured iterations within a fork, level 2 the forks (JVMs) within a run, level 3 the runs
 * (separate invocations of the suite, minutes apart) within an A/A experiment on unchanged code.
 *
 * <p>With a balanced design of n3 runs, n2 forks per run and n1 iterations per fork, the
 * per-level sample variances S1 (iterations around their fork mean), S2 (fork means around their
 * run mean) and S3 (run means around the grand mean) give unbiased estimates of the variance
 * each level adds: T1 = S1, T2 = S2 - S1 / n1, T3 = S3 - S2 / n2. An estimate below zero means
 * the level adds nothing measurable and is taken as zero.
 *
 * @param mean grand mean
 * @param t1 variance added by iterations within a fork (T1^2)
 * @param t2 variance added by forks within a run (T2^2)
 * @param t3 variance added by runs within the experiment (T3^2)
 * @param n1 iterations per fork used
 * @param n2 forks per run used
 * @param n3 runs used
 */
public record VarianceComponents(double mean, double t1, double t2, double t3, int n1, int n2, int n3) {

  /**
   * Estimates the components from the runs of one point. Unbalanced data is made balanced by
   * using the first {@code min} forks of every run and the first {@code min} iterations of
   * every fork.
   */
  public static VarianceComponents estimate(List<ForkSamples> runs) {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("variance components need at least 2 runs, got " + runs.size());
    }
    int n2 = runs.stream().mapToInt(ForkSamples::forkCount).min().orElseThrow();
    int n1 = runs.stream().mapToInt(ForkSamples::iterationsPerFork).min().orElseThrow();
    if (n2 < 2 || n1 < 2) {
      throw new IllegalArgumentException("variance components need at least 2 forks per run and 2 iterations per fork, got "
          + n2 + " and " + n1);
    }
    int n3 = runs.size();
    double[][][] y = new double[n3][n2][n1];
    for (int r = 0; r < n3; r++) {
      for (int f = 0; f < n2; f++) {
        System.arraycopy(runs.get(r).forks().get(f), 0, y[r][f], 0, n1);
      }
    }
    double[][] forkMean = new double[n3][n2];
    double[] runMean = new double[n3];
    double grand = 0;
    double ss1 = 0;
    for (int r = 0; r < n3; r++) {
      for (int f = 0; f < n2; f++) {
        forkMean[r][f] = mean(y[r][f]);
        for (double v : y[r][f]) {
          ss1 += sq(v - forkMean[r][f]);
        }
      }
      runMean[r] = mean(forkMean[r]);
      grand += runMean[r] / n3;
    }
    double ss2 = 0;
    double ss3 = 0;
    for (int r = 0; r < n3; r++) {
      for (int f = 0; f < n2; f++) {
        ss2 += sq(forkMean[r][f] - runMean[r]);
      }
      ss3 += sq(runMean[r] - grand);
    }
    double s1 = ss1 / (n3 * n2 * (n1 - 1.0));
    double s2 = ss2 / (n3 * (n2 - 1.0));
    double s3 = ss3 / (n3 - 1.0);
    double t1 = s1;
    double t2 = Math.max(0, s2 - s1 / n1);
    double t3 = Math.max(0, s3 - s2 / n2);
    return new VarianceComponents(grand, t1, t2, t3, n1, n2, n3);
  }

  /** A level's standard deviation as a fraction of the mean: sqrt(T_i^2) / mean. */
  public double relativeSd(int level) {
    double t = switch (level) {
      case 1 -> t1;
      case 2 -> t2;
      case 3 -> t3;
      default -> throw new IllegalArgumentException("levels are 1 (iterations), 2 (forks), 3 (runs); got " + level);
    };
    return Math.sqrt(t) / mean;
  }

  /** Variance of one run's figure (the mean of its fork means) with {@code forks} x {@code iterations}, within the run. */
  public double withinRunVariance(int forks, int iterations) {
    return (t2 + t1 / iterations) / forks;
  }

  /**
   * The relative standard deviation of the difference between two runs' figures (an A/A
   * comparison) with {@code forks} x {@code iterations} each: sqrt(2 (T3 + within-run)) / mean.
   */
  public double relativeRunDifferenceSd(int forks, int iterations) {
    return Math.sqrt(2 * (t3 + withinRunVariance(forks, iterations))) / mean;
  }

  /**
   * The expected share of another run's figures (same shape, same machine) that fall inside one
   * run's 95 % t interval over its {@code forks} fork means. The difference of the two figures
   * is normal with variance 2 (T3 + W), W the within-run variance; the interval's half-width is
   * t sqrt(W chi2 / (forks - 1)), chi2 on forks - 1 degrees of freedom; the share is the mean of
   * 2 Phi(half-width / sd of the difference) - 1 over chi2 (midpoints of 4,000 quantiles). With
   * T3 = 0 it is P(|t_(forks-1)| <= t / sqrt 2): about 91 % at 3 forks, 85 % at many, not 95 %,
   * since the other figure has an error of its own; a run level lowers it further.
   */
  public double expectedCoverage(int forks, int iterations) {
    if (forks < 2) {
      throw new IllegalArgumentException("an interval needs at least 2 forks, got " + forks);
    }
    double w = withinRunVariance(forks, iterations);
    double t = MeanInterval.tQuantile(0.95, forks - 1);
    double sdDifference = Math.sqrt(2 * (t3 + w));
    org.apache.commons.math3.distribution.ChiSquaredDistribution chi2 =
        new org.apache.commons.math3.distribution.ChiSquaredDistribution(null, forks - 1);
    org.apache.commons.math3.distribution.NormalDistribution normal = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
    int n = 4000;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double x = chi2.inverseCumulativeProbability((i + 0.5) / n);
      sum += 2 * normal.cumulativeProbability(t * Math.sqrt(w * x / (forks - 1)) / sdDifference) - 1;
    }
    return sum / n;
  }

  /** The predicted 95 % half-width, as a fraction of the mean, of one run's interval over fork means. */
  public double predictedRelativeHalfWidth(int forks, int iterations) {
    return MeanInterval.tQuantile(0.95, forks - 1) * Math.sqrt(withinRunVariance(forks, iterations)) / mean;
  }

  /**
   * The cheapest repetition counts for one run that reach {@code targetRelativeHalfWidth}: the
   * iterations per fork that minimise cost for a given precision (n1 = sqrt(c2 T1 / (c1 T2)),
   * Kalibera and Jones's optimum), then the fewest forks (at least {@code minForks}) whose t
   * interval reaches the target, up to {@code maxForks}.
   *
   * @param iterationCost seconds of one measured iteration (c1)
   * @param forkCost seconds of a fork's fixed part: JVM start, set-up and warm-up (c2)
   */
  public Plan plan(double targetRelativeHalfWidth, double iterationCost, double forkCost, int minForks, int maxForks,
      int maxIterations) {
    int n1 = t2 <= 0 ? maxIterations
        : (int) Math.ceil(Math.sqrt(forkCost * t1 / (iterationCost * t2)));
    n1 = Math.max(2, Math.min(maxIterations, n1));
    for (int forks = Math.max(2, minForks); forks <= maxForks; forks++) {
      double hw = predictedRelativeHalfWidth(forks, n1);
      if (hw <= targetRelativeHalfWidth) {
        return new Plan(forks, n1, hw, forks * (forkCost + n1 * iterationCost), true);
      }
    }
    return new Plan(maxForks, n1, predictedRelativeHalfWidth(maxForks, n1), maxForks * (forkCost + n1 * iterationCost),
        false);
  }

  /**
   * Repetition counts for one point and what they give.
   *
   * @param forks forks per run
   * @param iterations measured iterations per fork
   * @param relativeHalfWidth predicted 95 % half-width over fork means, fraction of the mean
   * @param seconds predicted cost of the point, seconds
   * @param meetsTarget whether the target was reached within the fork limit
   */
  public record Plan(int forks, int iterations, double relativeHalfWidth, double seconds, boolean meetsTarget) {}

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double sq(double x) {
    return x * x;
  }
}
