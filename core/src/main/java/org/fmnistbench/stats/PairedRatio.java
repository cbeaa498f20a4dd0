package org.fmnistbench.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * The ratio candidate / baseline of two builds measured side by side in rounds (randomized
 * multiple interleaved trials: Abedi and Brecht, ICPE 2017): each round measures both, one
 * fork each, one right after the other, so drift slower than a round (the machine's state,
 * which STABILITY.md measures moving a point between runs) cancels in the round's ratio. The
 * interval is a Student t interval over the rounds' log ratios, back-transformed: a geometric
 * mean ratio.
 *
 * @param ratio the geometric mean over rounds of candidate / baseline
 * @param low lower bound of the two-sided interval (NaN with fewer than 2 rounds)
 * @param high upper bound
 * @param level confidence level of the interval
 * @param pSlower one-sided p-value of "the candidate is slower" (ratio above 1); NaN with fewer than 2 rounds
 * @param pFaster one-sided p-value of "the candidate is faster"
 * @param logSd standard deviation of one round's log ratio (what a round's pairing leaves)
 * @param rounds how many rounds
 */
public record PairedRatio(double ratio, double low, double high, double level, double pSlower, double pFaster, double logSd,
    int rounds) {

  /** Over paired per-round figures of baseline and candidate (the same length, all positive). */
  public static PairedRatio of(double[] baseline, double[] candidate, double level) {
    if (baseline.length != candidate.length || baseline.length == 0) {
      throw new IllegalArgumentException("paired figures need the same number of rounds on each side, at least one; got "
          + baseline.length + " and " + candidate.length);
    }
    double[] d = IntStream.range(0, baseline.length).mapToDouble(i -> {
      if (!(baseline[i] > 0) || !(candidate[i] > 0)) {
        throw new IllegalArgumentException("round " + (i + 1) + " has a figure that is not positive: " + baseline[i] + ", "
            + candidate[i]);
      }
      return Math.log(candidate[i] / baseline[i]);
    }).toArray();
    double mean = StatUtils.mean(d);
    if (d.length < 2) {
      return new PairedRatio(Math.exp(mean), Double.NaN, Double.NaN, level, Double.NaN, Double.NaN, Double.NaN, d.length);
    }
    double sd = Math.sqrt(StatUtils.variance(d));
    TDistribution t = new TDistribution(null, d.length - 1.0);
    double se = sd / Math.sqrt(d.length);
    double half = t.inverseCumulativeProbability(0.5 + level / 2) * se;
    double score = se > 0 ? mean / se : Math.signum(mean) * Double.POSITIVE_INFINITY;
    double pSlower = se > 0 ? 1 - t.cumulativeProbability(score) : mean > 0 ? 0 : 1;
    double pFaster = se > 0 ? t.cumulativeProbability(score) : mean < 0 ? 0 : 1;
    return new PairedRatio(Math.exp(mean), Math.exp(mean - half), Math.exp(mean + half), level, pSlower, pFaster, sd,
        d.length);
  }

  /**
   * Rounds that give a one-sided test at {@code alpha} the {@code power} to see a ratio of
   * {@code effect} (e.g. 1.10), with this comparison's round-to-round spread (normal
   * approximation; NaN without a spread).
   */
  public double roundsFor(double effect, double alpha, double power) {
    if (Double.isNaN(logSd)) {
      return Double.NaN;
    }
    var normal = new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1);
    double z = normal.inverseCumulativeProbability(1 - alpha) + normal.inverseCumulativeProbability(power);
    return Math.max(2, Math.ceil(Math.pow(z * logSd / Math.log(effect), 2)));
  }

  /** "1.08 [1.03-1.13]", or "1.08 [n/a]" without an interval. */
  public String format() {
    return Double.isNaN(low) ? String.format(Locale.ROOT, "%.3f [n/a]", ratio)
        : String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", ratio, low, high);
  }

  /** "0.50 [0.48-0.52] *": two places, marked where the interval excludes 1 (a difference this interval claims). */
  public String formatMarked() {
    return Double.isNaN(low) ? String.format(Locale.ROOT, "%.2f [n/a]", ratio)
        : String.format(Locale.ROOT, "%.2f [%.2f-%.2f]%s", ratio, low, high, low > 1 || high < 1 ? " *" : "");
  }

  /**
   * Holm's step-down procedure: which of the one-sided p-values are rejected with the family-wise
   * error rate held at {@code alpha} (NaN p-values are never rejected).
   */
  public static boolean[] holm(double[] p, double alpha) {
    Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(p[i]) ? Double.POSITIVE_INFINITY : p[i]));
    boolean[] rejected = new boolean[p.length];
    for (int k = 0; k < order.length; k++) {
      double pk = p[order[k]];
      if (Double.isNaN(pk) || pk > alpha / (p.length - k)) {
        break;
      }
      rejected[order[k]] = true;
    }
    return rejected;
  }
}
