package org.fmnistbench.stats;

import java.util.Locale;
import org.apache.commons.math3.stat.StatUtils;

/**
 * A confidence interval for the ratio of two means, a / b, from the fork means of each (Fieller's
 * method, the effect-size interval Kalibera and Jones recommend for performance changes). The
 * fork means of a and b are independent samples; degrees of freedom by Welch-Satterthwaite.
 * When b's mean is not clearly away from zero the interval is unbounded and reported as such.
 * The means are of times, which are positive, so where a's mean is not clearly away from zero the
 * lower bound, which Fieller's method would put below zero, is 0: the data do not bound the ratio
 * from below.
 *
 * @param ratio the ratio of the means
 * @param low lower bound (NaN when it cannot be given: one fork on a side, or unbounded)
 * @param high upper bound
 * @param level confidence level
 */
public record RatioInterval(double ratio, double low, double high, double level) {

  /** The interval of mean(a) / mean(b) at {@code level} (e.g. 0.95). */
  public static RatioInterval of(ForkSamples a, ForkSamples b, double level) {
    double[] x = a.forkMeans();
    double[] y = b.forkMeans();
    double ma = StatUtils.mean(x);
    double mb = StatUtils.mean(y);
    double ratio = ma / mb;
    if (x.length < 2 || y.length < 2) {
      return new RatioInterval(ratio, Double.NaN, Double.NaN, level);
    }
    double va = StatUtils.variance(x) / x.length; // variance of each mean
    double vb = StatUtils.variance(y) / y.length;
    // Welch-Satterthwaite degrees of freedom of (a - ratio * b)
    double wa = va;
    double wb = ratio * ratio * vb;
    double df = (wa + wb) * (wa + wb) / (wa * wa / (x.length - 1) + wb * wb / (y.length - 1));
    if (!(df > 0) || Double.isInfinite(df)) {
      df = Math.min(x.length, y.length) - 1.0; // both variances zero: the conservative count
    }
    double t = MeanInterval.tQuantile(level, df);
    double t2 = t * t;
    // (ma - r mb)^2 <= t^2 (va + r^2 vb)  <=>  r^2 (mb^2 - t2 vb) - 2 r ma mb + (ma^2 - t2 va) <= 0
    double qa = mb * mb - t2 * vb;
    double qb = ma * mb;
    double qc = ma * ma - t2 * va;
    double disc = qb * qb - qa * qc;
    if (qa <= 0 || disc < 0) {
      return new RatioInterval(ratio, Double.NaN, Double.NaN, level);
    }
    double root = Math.sqrt(disc);
    return new RatioInterval(ratio, Math.max(0, (qb - root) / qa), (qb + root) / qa, level);
  }

  /** Whether the interval exists and excludes 1: only then is a difference claimed. */
  public boolean excludesOne() {
    return !Double.isNaN(low) && (low > 1 || high < 1);
  }

  /** "0.84 [0.80-0.88]", or "0.84 [n/a]" without an interval; a star marks a difference. */
  /**
   * The ratio of two points measured in separate blocks one after another (not in paired
   * rounds): the machine's drift between the blocks is not in the interval, which is then too
   * narrow to claim a difference, so no mark is given whatever it excludes.
   */
  public String formatUnpaired() {
    return Double.isNaN(low) ? String.format(Locale.ROOT, "%.2f [n/a]", ratio)
        : String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", ratio, low, high);
  }

  public String format() {
    if (Double.isNaN(low)) {
      return String.format(Locale.ROOT, "%.2f [n/a]", ratio);
    }
    return String.format(Locale.ROOT, "%.2f [%.2f-%.2f]%s", ratio, low, high, excludesOne() ? " *" : "");
  }
}
