package org.fmnistbench.ci;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.fmnistbench.stats.EDivisive;

/**
 * Looks at the shape of each series' history, where the nightly's other checks compare one night
 * with the nights just before it: a slowdown that creeps in a few percent a night never crosses
 * their limits on any one night, yet moves the series' level. E-divisive means
 * ({@link EDivisive}) finds the points where the level moved; the newest one is reported when
 * it lies within the last {@code recent} runs, moved the level (median after it over median
 * before it, back to the change point before) by at least the series' limit, and was not
 * reported already (a run at the new level was flagged for this point: by the night-to-night
 * check, or as this change point on an earlier night).
 */
public final class ChangePointDetector {

  /**
   * @param window the newest runs of a series searched
   * @param recent how far back from the newest run a change point is news
   * @param search the E-divisive settings
   */
  public record Thresholds(int window, int recent, EDivisive.Options search) {
    public static final Thresholds DEFAULT = new Thresholds(60, 7, EDivisive.Options.defaults());

    public Thresholds {
      if (recent < 1 || window < 2 * search.minSize() || recent > window) {
        throw new IllegalArgumentException("change points need 1 <= recent <= window and a window of at least two "
            + "segments; got window " + window + ", recent " + recent + ", segments of " + search.minSize());
      }
    }
  }

  /**
   * One series, oldest run first.
   *
   * @param key the point
   * @param runs each run's id
   * @param values the point's figure in each run (lower is better)
   * @param flagged whether the nightly already reported a change of this point at that run
   */
  public record Series(String key, List<String> runs, double[] values, boolean[] flagged) {
    public Series {
      if (runs.size() != values.length || values.length != flagged.length) {
        throw new IllegalArgumentException(key + ": " + runs.size() + " runs, " + values.length + " values and "
            + flagged.length + " flags; expected one of each per run");
      }
    }
  }

  /**
   * A change of level.
   *
   * @param key the point
   * @param since the first run at the new level
   * @param runsAfter how many runs the new level has
   * @param before the level before it (median back to the previous change point)
   * @param after the level from it on (median)
   * @param change after / before - 1
   * @param pValue the permutation test's
   * @param limit the smallest change reported for this series
   * @param known whether a run from {@code since} on was already flagged for it
   */
  public record Finding(String key, String since, int runsAfter, double before, double after, double change, double pValue,
      double limit, boolean known) {
    public boolean slower() {
      return change > 0;
    }

    public String describe(String unit) {
      return String.format(Locale.ROOT, "%s: %s since %s (%d runs): %.6g -> %.6g %s (%+.2f %%; E-divisive change point, "
          + "p = %.3f; limit %.2f %%)%s", key, slower() ? "higher" : "lower", since, runsAfter, before, after, unit,
          100 * change, pValue, 100 * limit, known ? "; already reported" : "");
    }
  }

  private final Thresholds t;

  public ChangePointDetector(Thresholds thresholds) {
    this.t = thresholds;
  }

  public Thresholds thresholds() {
    return t;
  }

  /**
   * A series' new change point ({@link #judge}, leaving out one already reported), from its runs
   * in order, each run's figure and whether that run was flagged for the series; empty when the
   * series is too short for two segments.
   */
  public Optional<Finding> judgeNew(String key, List<String> runs, List<Double> values, List<Boolean> flagged, double limit) {
    if (values.size() < 2 * t.search().minSize()) {
      return Optional.empty();
    }
    boolean[] flags = new boolean[flagged.size()];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = flagged.get(i);
    }
    return judge(new Series(key, runs, values.stream().mapToDouble(Double::doubleValue).toArray(), flags), limit)
        .filter(c -> !c.known());
  }

  /** The newest change point of {@code s} if it is recent and at least {@code limit}; empty otherwise. */
  public Optional<Finding> judge(Series s, double limit) {
    int n = Math.min(t.window(), s.values().length);
    int from = s.values().length - n;
    double[] x = Arrays.copyOfRange(s.values(), from, s.values().length);
    List<EDivisive.ChangePoint> cps = EDivisive.inOrder(EDivisive.detect(x, t.search()));
    if (cps.isEmpty()) {
      return Optional.empty();
    }
    EDivisive.ChangePoint newest = cps.get(cps.size() - 1);
    if (newest.index() < n - t.recent()) {
      return Optional.empty();
    }
    int start = cps.size() > 1 ? cps.get(cps.size() - 2).index() : 0;
    Median median = new Median();
    double before = median.evaluate(x, start, newest.index() - start);
    double after = median.evaluate(x, newest.index(), n - newest.index());
    double change = after / before - 1;
    if (!(Math.abs(change) >= limit)) {
      return Optional.empty();
    }
    boolean known = false;
    for (int i = from + newest.index(); i < s.values().length; i++) {
      known |= s.flagged()[i];
    }
    return Optional.of(new Finding(s.key(), s.runs().get(from + newest.index()), n - newest.index(), before, after, change,
        newest.pValue(), limit, known));
  }
}
