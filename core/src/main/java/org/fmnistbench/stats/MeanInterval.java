package org.fmnistbench.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * A point's figure with a confidence interval that includes the variation between JVMs: a
 * Student t interval over the fork means (Kalibera and Jones, "Rigorous Benchmarking in
 * Reasonable Time", ISMM 2013: the interval is built at the highest level that was repeated).
 * With one fork there is no such interval: low and high are NaN, never JMH's within-fork error,
 * which does not see between-JVM variance.
 *
 * @param mean mean of the fork means
 * @param median median of the fork means
 * @param low lower bound, NaN with one fork
 * @param high upper bound, NaN with one fork
 * @param level confidence level, e.g. 0.95
 * @param forks how many fork means it rests on
 */
public record MeanInterval(double mean, double median, double low, double high, double level, int forks) {

  static MeanInterval overForkMeans(ForkSamples s, double level) {
    double[] means = s.forkMeans();
    double mean = StatUtils.mean(means);
    if (means.length < 2) {
      return new MeanInterval(mean, s.median(), Double.NaN, Double.NaN, level, means.length);
    }
    double half = tQuantile(level, means.length - 1) * Math.sqrt(StatUtils.variance(means) / means.length);
    return new MeanInterval(mean, s.median(), mean - half, mean + half, level, means.length);
  }

  /** Half the interval's width, NaN with one fork. */
  public double halfWidth() {
    return (high - low) / 2;
  }

  /** The half-width as a fraction of the mean (0.03 = ±3 %). */
  public double relativeHalfWidth() {
    return halfWidth() / mean;
  }

  public boolean contains(double x) {
    return x >= low && x <= high;
  }

  /** The two-sided Student t quantile for {@code level} with {@code df} degrees of freedom. */
  static double tQuantile(double level, double df) {
    return new TDistribution(null, df).inverseCumulativeProbability(0.5 + level / 2);
  }
}
