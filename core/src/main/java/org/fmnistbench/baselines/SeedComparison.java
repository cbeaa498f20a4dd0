package org.fmnistbench.baselines;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * Two variants' runs over seeds (test accuracies as fractions), compared as the reproduction
 * report judges the article's conclusions: a claimed change by an exact permutation test on the
 * difference of means (every split of the pooled seeds; with 3 seeds a side, "ranges apart" is
 * its only split at one-sided 5 %), a claimed absence of change by Welch t bounds against a
 * stated margin (equivalence: two one-sided tests).
 *
 * @param before the earlier variant's accuracies, one per seed
 * @param after the later variant's
 */
record SeedComparison(double[] before, double[] after) {
  static final double ALPHA = 0.05;
  private static final double POWER = 0.8;

  SeedComparison {
    if (before.length == 0 || after.length == 0) {
      throw new IllegalArgumentException("a comparison needs runs on both sides; got " + before.length + " and " + after.length);
    }
  }

  /** Mean of after minus mean of before. */
  double difference() {
    return StatUtils.mean(after) - StatUtils.mean(before);
  }

  /**
   * The one-sided p-value of "after is higher" (or lower, with {@code higher} false): the share of
   * the splits of all runs into two groups of these sizes whose difference of means is at least as
   * far in that direction as the observed one.
   */
  double permutationP(boolean higher) {
    double[] all = new double[before.length + after.length];
    System.arraycopy(before, 0, all, 0, before.length);
    System.arraycopy(after, 0, all, before.length, after.length);
    double total = StatUtils.sum(all);
    double observed = difference();
    int k = after.length;
    long[] counts = new long[2]; // as extreme, all
    choose(all, k, 0, 0, 0.0, total, observed, higher, counts);
    return (double) counts[0] / counts[1];
  }

  private void choose(double[] all, int k, int from, int chosen, double sum, double total, double observed, boolean higher,
      long[] counts) {
    if (chosen == k) {
      double d = sum / k - (total - sum) / (all.length - k);
      counts[1]++;
      // a tolerance, so that a split equal to the observed one counts however the sums were rounded
      if (higher ? d >= observed - 1e-12 : d <= observed + 1e-12) {
        counts[0]++;
      }
      return;
    }
    for (int i = from; i <= all.length - (k - chosen); i++) {
      choose(all, k, i + 1, chosen + 1, sum + all[i], total, observed, higher, counts);
    }
  }

  /** Whether both sides have the two runs a spread needs. */
  boolean hasSpread() {
    return before.length >= 2 && after.length >= 2;
  }

  private double welchSe() {
    return Math.sqrt(StatUtils.variance(before) / before.length + StatUtils.variance(after) / after.length);
  }

  private double welchDf() {
    double a = StatUtils.variance(before) / before.length;
    double b = StatUtils.variance(after) / after.length;
    double df = (a + b) * (a + b) / (a * a / (before.length - 1) + b * b / (after.length - 1));
    return Double.isNaN(df) ? before.length + after.length - 2 : df;
  }

  /** The one-sided (1 - alpha) upper bound of the difference (Welch); NaN without a spread. */
  double upper() {
    return hasSpread() ? difference() + new TDistribution(null, welchDf()).inverseCumulativeProbability(1 - ALPHA) * welchSe()
        : Double.NaN;
  }

  /** The one-sided (1 - alpha) lower bound of the difference (Welch); NaN without a spread. */
  double lower() {
    return hasSpread() ? difference() - new TDistribution(null, welchDf()).inverseCumulativeProbability(1 - ALPHA) * welchSe()
        : Double.NaN;
  }

  /** The seeds' pooled standard deviation. */
  double pooledSd() {
    double ss = StatUtils.variance(before) * (before.length - 1) + StatUtils.variance(after) * (after.length - 1);
    return Math.sqrt(ss / (before.length + after.length - 2));
  }

  /**
   * Seeds per variant with which a one-sided test at 5 % would show a difference of {@code effect}
   * (a fraction) 4 times in 5 at this comparison's spread (normal approximation, plus one for the
   * t distribution); 0 when the effect is not positive or there is no spread.
   */
  int seedsFor(double effect) {
    double sd = pooledSd();
    if (!(effect > 0) || !(sd > 0)) {
      return 0;
    }
    NormalDistribution z = new NormalDistribution(null, 0, 1);
    double zz = z.inverseCumulativeProbability(1 - ALPHA) + z.inverseCumulativeProbability(POWER);
    return (int) Math.ceil(2 * Math.pow(zz * sd / effect, 2)) + 1;
  }

  static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  static double max(double[] v) {
    return Arrays.stream(v).max().orElseThrow();
  }
}
