package org.fmnistbench.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * E-divisive means change-point detection (Matteson and James, "A nonparametric approach for
 * multiple change point analysis of multivariate data", JASA 2014; arXiv:1306.4933), in the form
 * MongoDB's performance CI and Apache Otava use over benchmark histories: hierarchical bisection,
 * each candidate split being the one that maximises the energy divergence between the values
 * before it and after it within its segment, kept only when a permutation test finds it
 * significant. It needs no model of the noise, so it suits the two-state and heavy-tailed wall
 * times of these machines as well as the near-constant counts.
 *
 * <p>Written here because Maven Central has no maintained Java implementation (Otava and
 * MongoDB's {@code signal-processing-algorithms} are Python). Exponent alpha is 1 (the absolute
 * difference), as both use. Each step costs O(n^2) per segment and per permutation: the
 * divergence of every split of a segment is swept in one pass from the rows of its distance
 * matrix.
 */
public final class EDivisive {
  private EDivisive() {}

  /**
   * How the search runs.
   *
   * @param minSize fewest values on either side of a change point
   * @param significance largest permutation p-value accepted
   * @param permutations permutations per test (p is at least 1 / (permutations + 1))
   * @param seed the permutations' seed, so that a history gives the same answer every time
   */
  public record Options(int minSize, double significance, int permutations, long seed) {
    public Options {
      if (minSize < 2 || !(significance > 0 && significance < 1) || permutations < 1) {
        throw new IllegalArgumentException("E-divisive needs minSize >= 2, 0 < significance < 1 and permutations >= 1; got "
            + minSize + ", " + significance + ", " + permutations);
      }
      if (1.0 / (permutations + 1) > significance) {
        throw new IllegalArgumentException(permutations + " permutations cannot reach p <= " + significance
            + "; use at least " + (int) Math.ceil(1 / significance - 1));
      }
    }

    /** Three runs each side, p at most 0.01 over 199 permutations, a fixed seed. */
    public static Options defaults() {
      return new Options(3, 0.01, 199, 1234L);
    }
  }

  /**
   * One change point.
   *
   * @param index the first value of the new level (0-based)
   * @param divergence the energy divergence between the values before and after it within its
   *     segment (for alpha 1: 2 E|X-Y| - E|X-X'| - E|Y-Y'|, in the series' unit)
   * @param qhat the divergence weighted by m n / (m + n), the statistic maximised and tested
   * @param pValue the permutation test's p-value
   */
  public record ChangePoint(int index, double divergence, double qhat, double pValue) {}

  /** The change points of {@code series}, in the order found (the most prominent first). */
  public static List<ChangePoint> detect(double[] series, Options o) {
    for (double v : series) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("E-divisive needs finite values; got " + v);
      }
    }
    List<ChangePoint> found = new ArrayList<>();
    TreeSet<Integer> bounds = new TreeSet<>(List.of(0, series.length));
    SplittableRandom random = new SplittableRandom(o.seed());
    while (true) {
      Split best = bestOverSegments(series, bounds, o.minSize());
      if (best == null) {
        return found;
      }
      // permute within each segment (the change points found so far stay fixed), as Matteson and James do
      int atLeast = 0;
      double[] shuffled = series.clone();
      for (int r = 0; r < o.permutations(); r++) {
        Integer lo = null;
        for (int hi : bounds) {
          if (lo != null) {
            shuffle(shuffled, lo, hi, random);
          }
          lo = hi;
        }
        Split s = bestOverSegments(shuffled, bounds, o.minSize());
        if (s != null && s.qhat >= best.qhat) {
          atLeast++;
        }
      }
      double p = (atLeast + 1.0) / (o.permutations() + 1.0);
      if (p > o.significance()) {
        return found;
      }
      found.add(new ChangePoint(best.index, best.divergence, best.qhat, p));
      bounds.add(best.index);
    }
  }

  /** The change points of {@link #detect} sorted by position. */
  public static List<ChangePoint> inOrder(List<ChangePoint> found) {
    return found.stream().sorted(Comparator.comparingInt(ChangePoint::index)).toList();
  }

  record Split(int index, double divergence, double qhat) {}

  private static Split bestOverSegments(double[] x, TreeSet<Integer> bounds, int minSize) {
    Split best = null;
    Integer lo = null;
    for (int hi : bounds) {
      if (lo != null) {
        Split s = bestSplit(x, lo, hi, minSize);
        if (s != null && (best == null || s.qhat > best.qhat)) {
          best = s;
        }
      }
      lo = hi;
    }
    return best;
  }

  /**
   * The split of {@code x[lo, hi)} with the largest weighted divergence, null when the segment is
   * too short for two parts of {@code minSize}. Moving the split by one moves one value from the
   * right part to the left: its distances to the left part join the left's within-sum and leave
   * the cross-sum, its distances to the right part leave the right's within-sum and join the
   * cross-sum.
   */
  static Split bestSplit(double[] x, int lo, int hi, int minSize) {
    int n = hi - lo;
    if (n < 2 * minSize) {
      return null;
    }
    double[] left = new double[n]; // sum of |x_i - x_j| over j before i, within the segment
    double[] right = new double[n]; // ... over j after i
    double rightWithin = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double d = Math.abs(x[lo + i] - x[lo + j]);
        right[i] += d;
        left[j] += d;
        rightWithin += d;
      }
    }
    double leftWithin = 0;
    double cross = 0;
    Split best = null;
    for (int tau = 1; tau < n; tau++) {
      int moved = tau - 1; // joins the left part
      leftWithin += left[moved];
      cross += right[moved] - left[moved];
      rightWithin -= right[moved];
      if (tau < minSize || n - tau < minSize) {
        continue;
      }
      double m = tau;
      double k = n - tau;
      double divergence = 2 * cross / (m * k) - 2 * leftWithin / (m * (m - 1)) - 2 * rightWithin / (k * (k - 1));
      double qhat = m * k / (m + k) * divergence;
      if (best == null || qhat > best.qhat) {
        best = new Split(lo + tau, divergence, qhat);
      }
    }
    return best;
  }

  private static void shuffle(double[] x, int lo, int hi, SplittableRandom random) {
    for (int i = hi - 1; i > lo; i--) {
      int j = lo + random.nextInt(i - lo + 1);
      double t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }
}
