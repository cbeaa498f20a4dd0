package org.fmnistbench.ci;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.GateResult;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.PairedRatio;

/**
 * Finds regressions of a new run against the recent history of the same machine and backend.
 *
 * <p>Times (lower is better) are compared run against runs, never iteration against iteration:
 * iterations of one fork share its JVM's state, so they are not independent samples. Each
 * point's figure (a statistic of its fork means: mean, median or minimum) is set against the
 * median of the same series' figures in the last {@code window} runs that measured it. The yardstick is the history's own run-to-run spread: the relative standard
 * deviation of those figures, but never below the median spread of all points of the same
 * benchmark in the night (a series whose few runs happened to agree would otherwise be judged
 * by too small a yardstick). A change is called when it exceeds {@code z} such spreads (scaled
 * for the uncertainty of the baseline) and {@code minEffect}; a slower figure is a regression, a
 * faster one an improvement, never a regression. {@code DETECTOR.md} measures how often this
 * fires on unchanged code and how often it catches a slowdown, from replayed A/A runs.
 *
 * <p>Accuracy (higher is better): the gate's accuracy of each variant against the mean of the
 * same variant, tier and seed over the window; a drop of more than {@code accuracyDrop} is a
 * regression, and so is a gate failure.
 */
public final class RegressionDetector {

  /**
   * A run's figure for one series, from its fork means. The fork means of one run can fall into
   * distinct states (STABILITY.md: JVMs of the same code settling 2x apart), so the mean moves
   * with how many forks drew the slow state; the median and the minimum move less.
   */
  public enum Statistic {
    MEAN, MEDIAN, MIN;

    double of(BenchResults.Point p) {
      return of(p.samples());
    }

    double of(ForkSamples s) {
      double[] forkMeans = s.forkMeans();
      return switch (this) {
        case MEAN -> StatUtils.mean(forkMeans);
        case MEDIAN -> new Median().evaluate(forkMeans);
        case MIN -> StatUtils.min(forkMeans);
      };
    }
  }

  /** The figure of {@code p} this canary compares, or null when the point lacks that canary. */
  static ForkSamples samples(Canary canary, BenchResults.Point p) {
    return canary.over(p.samples(), p.canary());
  }

  /** Whether every point of {@code run} carries {@code canary}. */
  static boolean measuredIn(Canary canary, Map<String, BenchResults.Point> run) {
    return !run.isEmpty() && run.values().stream().allMatch(p -> samples(canary, p) != null);
  }

  /**
   * What counts as a change.
   *
   * @param statistic how a run's fork means make its figure
   * @param z how many run-to-run standard deviations a change must exceed
   * @param minEffect smallest relative change reported, whatever the spread
   * @param window how many earlier runs of a series form its baseline
   * @param minHistory fewest earlier runs a series needs to be judged (2: one spread needs two)
   * @param accuracyDrop smallest accuracy drop (fraction) reported
   * @param canary what a figure is divided by before it is compared
   */
  public record Thresholds(Statistic statistic, double z, double minEffect, int window, int minHistory, double accuracyDrop,
      Canary canary) {
    public Thresholds(Statistic statistic, double z, double minEffect, int window, int minHistory, double accuracyDrop) {
      this(statistic, z, minEffect, window, minHistory, accuracyDrop, Canary.NONE);
    }

    public Thresholds {
      // written so that NaN fails each test: a NaN limit would call nothing
      if (!(z > 0 && Double.isFinite(z)) || !(minEffect >= 0 && minEffect < 1) || window < 2 || minHistory < 2
          || minHistory > window || !(accuracyDrop >= 0 && accuracyDrop < 1)) {
        throw new IllegalArgumentException("thresholds need a finite z > 0, 0 <= minEffect < 1, 2 <= minHistory <= window, "
            + "0 <= accuracyDrop < 1; got z " + z + ", minEffect " + minEffect + ", window " + window + ", minHistory "
            + minHistory + ", accuracyDrop " + accuracyDrop);
      }
    }

    /** The calibrated defaults (DETECTOR.md: false alarms and detection rates of these on replayed A/A runs). */
    public static Thresholds defaults() {
      return new Thresholds(Statistic.MEAN, 6.0, 0.10, 10, 2, 0.01);
    }

    public Thresholds withStatistic(Statistic s) {
      return new Thresholds(s, z, minEffect, window, minHistory, accuracyDrop, canary);
    }

    public Thresholds withZ(double newZ) {
      return new Thresholds(statistic, newZ, minEffect, window, minHistory, accuracyDrop, canary);
    }

    public Thresholds withMinEffect(double newMinEffect) {
      return new Thresholds(statistic, z, newMinEffect, window, minHistory, accuracyDrop, canary);
    }

    public Thresholds withCanary(Canary c) {
      return new Thresholds(statistic, z, minEffect, window, minHistory, accuracyDrop, c);
    }
  }

  /**
   * Whether a finding is a regression, an improvement, or too small or uncertain to call;
   * UNCONFIRMED: slower on the night, but not when measured again ({@link #confirm}).
   */
  public enum Verdict { REGRESSION, IMPROVEMENT, UNCHANGED, NOT_ENOUGH_DATA, UNCONFIRMED }

  /**
   * One compared figure.
   *
   * @param key the series (benchmark/variant/engine/runtime/bN, or accuracy/variant/tier/seed)
   * @param baseline median (or mean, for accuracy) of the history
   * @param current the new run's figure (or accuracy)
   * @param change relative change (current / baseline - 1); for accuracy, the difference
   * @param spread the relative run-to-run standard deviation used as yardstick, NaN for accuracy
   * @param runs how many earlier runs the baseline rests on
   * @param verdict the call
   * @param again the confirming re-run's figure, NaN when the point was not measured again
   * @param unit what the figures are measured in ({@link Canary#unit()})
   * @param beside the interleaved comparison with the previous build ({@link #judgeBeside}), null when none
   */
  public record Finding(String key, double baseline, double current, double change, double spread, int runs,
      Verdict verdict, double again, String unit, PairedRatio beside) {
    public Finding(String key, double baseline, double current, double change, double spread, int runs, Verdict verdict) {
      this(key, baseline, current, change, spread, runs, verdict, Double.NaN, Canary.NONE.unit());
    }

    public Finding(String key, double baseline, double current, double change, double spread, int runs, Verdict verdict,
        double again, String unit) {
      this(key, baseline, current, change, spread, runs, verdict, again, unit, null);
    }

    /** How many yardsticks the change is (NaN where none applies). */
    public double score() {
      return change / (spread * Math.sqrt(1 + 1.0 / runs));
    }

    public String describe() {
      if (beside != null) {
        String ratio = String.format(Locale.ROOT, "%d interleaved rounds beside the previous build: ratio %s (p = %.2g)",
            beside.rounds(), beside.format(), beside.pSlower());
        if (Double.isNaN(spread)) { // called by the comparison alone: the first look had passed it
          return String.format(Locale.ROOT, "%s: %s, %,.0f -> %,.0f %s in %s", key, verdict, baseline, current, unit, ratio);
        }
        return firstLook() + "; " + ratio + (verdict == Verdict.REGRESSION ? ", confirmed" : ", not called slower");
      }
      return Double.isNaN(again) ? firstLook() : firstLook() + String.format(Locale.ROOT, "; measured again: %.4g %s (%+.1f %%), %s",
          again, unit, (again / baseline - 1) * 100, verdict == Verdict.REGRESSION ? "confirmed" : "not confirmed");
    }

    private String firstLook() {
      if (verdict == Verdict.NOT_ENOUGH_DATA) {
        return Double.isNaN(current) && !key.startsWith("accuracy/")
            ? String.format(Locale.ROOT, "%s: not measured in %s here, so not compared", key, unit)
            : String.format(Locale.ROOT, "%s: too few earlier runs of this machine and backend to compare with (%d; now %.4g)",
                key, runs, current);
      }
      if (key.startsWith("accuracy/")) {
        return String.format(Locale.ROOT, "%s: %s, %.4f -> %.4f (%+.2f points)", key, verdict, baseline, current, change * 100);
      }
      return String.format(Locale.ROOT, "%s: %s, %.4g -> %.4g %s (%+.1f %%; %.1f times the run-to-run spread "
          + "of %.1f %% over %d earlier runs)", key, verdict, baseline, current, unit, change * 100, score(), spread * 100, runs);
    }
  }

  private final Thresholds t;

  public RegressionDetector(Thresholds thresholds) {
    this.t = thresholds;
  }

  public Thresholds thresholds() {
    return t;
  }

  /** Compares every benchmark point of {@code current} with the earlier runs of {@code history} (oldest first). */
  public List<Finding> compareTimes(Map<String, BenchResults.Point> current, List<Map<String, BenchResults.Point>> history) {
    Map<String, double[]> baselines = new HashMap<>();
    for (BenchResults.Point p : current.values()) {
      List<Double> figures = new ArrayList<>();
      for (int i = history.size() - 1; i >= 0 && figures.size() < t.window(); i--) {
        BenchResults.Point old = history.get(i).get(p.key());
        double figure = old == null ? Double.NaN : figure(old);
        if (!Double.isNaN(figure)) {
          figures.add(figure); // runs without the canary asked for are not comparable, so they count as absent
        }
      }
      baselines.put(p.key(), figures.stream().mapToDouble(Double::doubleValue).toArray());
    }
    // the night's typical spread per benchmark method: a floor for each series' own
    Map<String, List<Double>> spreads = new HashMap<>();
    current.values().forEach(p -> {
      double[] h = baselines.get(p.key());
      if (h.length >= t.minHistory()) {
        spreads.computeIfAbsent(p.benchmark(), k -> new ArrayList<>()).add(relativeSd(h));
      }
    });
    Map<String, Double> floor = new HashMap<>();
    spreads.forEach((method, s) -> floor.put(method, new Median().evaluate(s.stream().mapToDouble(Double::doubleValue).toArray())));
    List<Finding> out = new ArrayList<>();
    for (BenchResults.Point p : current.values()) {
      double[] h = baselines.get(p.key());
      double now = figure(p);
      if (h.length < t.minHistory() || Double.isNaN(now)) {
        out.add(new Finding(p.key(), h.length == 0 ? Double.NaN : h[0], now, Double.NaN, Double.NaN, h.length,
            Verdict.NOT_ENOUGH_DATA, Double.NaN, t.canary().unit()));
        continue;
      }
      double base = new Median().evaluate(h);
      double spread = Math.max(relativeSd(h), floor.getOrDefault(p.benchmark(), 0.0));
      out.add(judge(p.key(), base, now, spread, h.length));
    }
    return out;
  }

  Finding judge(String key, double base, double now, double spread, int runs) {
    double change = now / base - 1;
    Verdict v = Verdict.UNCHANGED;
    if (Math.abs(change) > limit(spread, runs)) {
      v = change > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT; // time: lower is better
    }
    return new Finding(key, base, now, change, spread, runs, v, Double.NaN, t.canary().unit());
  }

  /** A run's figure for one point, NaN when the point lacks the canary the thresholds divide by. */
  private double figure(BenchResults.Point p) {
    ForkSamples s = samples(t.canary(), p);
    return s == null ? Double.NaN : t.statistic().of(s);
  }

  /** The smallest relative change called, for a series with this spread and this many earlier runs. */
  private double limit(double spread, int runs) {
    return Math.max(t.minEffect(), t.z() * spread * Math.sqrt(1 + 1.0 / runs));
  }

  /** {@code f} confirmed by its series in {@code again} when it is a time regression measured there, else {@code f} as it is. */
  public Finding confirmIfMeasured(Finding f, Map<String, BenchResults.Point> again) {
    BenchResults.Point p = again.get(f.key());
    return f.verdict() == Verdict.REGRESSION && p != null ? confirm(f, p) : f;
  }

  /**
   * A slower figure measured again in fresh JVMs (the nightly re-runs what it flagged before it
   * fails): the regression stands only when the re-run is also slower than the same baseline by
   * more than the same limit, else it is UNCONFIRMED. A state the night's JVMs happened to fall
   * into then has to recur to fail the job, while slower code is slower both times.
   */
  public Finding confirm(Finding flagged, BenchResults.Point again) {
    if (flagged.verdict() != Verdict.REGRESSION || Double.isNaN(flagged.spread()) || !flagged.key().equals(again.key())) {
      throw new IllegalArgumentException("only a time regression can be confirmed, by the same series measured again; got "
          + flagged.describe() + " and " + again.key());
    }
    double figure = figure(again);
    if (Double.isNaN(figure)) {
      return flagged; // measured again without the canary: not a measurement of the same figure
    }
    boolean stands = figure / flagged.baseline() - 1 > limit(flagged.spread(), flagged.runs());
    return new Finding(flagged.key(), flagged.baseline(), flagged.current(), flagged.change(), flagged.spread(),
        flagged.runs(), stands ? Verdict.REGRESSION : Verdict.UNCONFIRMED, figure, flagged.unit());
  }

  /**
   * A time figure judged beside the previous build: the night's points measured again in a
   * {@code BenchDriver interleave} comparison, that build's jar and this one's in alternating
   * rounds on this machine, so the machine's drift between runs, which the first look cannot
   * tell from slower code, cancels. The comparison decides: a point it calls slower (Holm over
   * its points) is a REGRESSION whatever the first look said, and a first-look regression it does
   * not call slower is UNCONFIRMED. A point it did not measure ({@code c} null) keeps the first look.
   */
  public Finding judgeBeside(Finding firstLook, InterleavedResults.Comparison c) {
    if (c == null || firstLook.key().startsWith("accuracy/")) {
      return firstLook;
    }
    if (!c.key().equals(firstLook.key())) {
      throw new IllegalArgumentException("judged " + firstLook.key() + " by the comparison of " + c.key());
    }
    if (firstLook.verdict() == Verdict.REGRESSION) {
      return new Finding(firstLook.key(), firstLook.baseline(), firstLook.current(), firstLook.change(), firstLook.spread(),
          firstLook.runs(), c.slower() ? Verdict.REGRESSION : Verdict.UNCONFIRMED, Double.NaN, firstLook.unit(), c.ratio());
    }
    if (!c.slower()) {
      return firstLook;
    }
    return new Finding(firstLook.key(), StatUtils.mean(c.baseline()), StatUtils.mean(c.candidate()), c.ratio().ratio() - 1, Double.NaN, c.ratio().rounds(), Verdict.REGRESSION,
        Double.NaN, Canary.NONE.unit(), c.ratio());
  }

  /**
   * The change points of every series of {@code now} over its history and tonight
   * ({@link ChangePointDetector}): a level that moved within the last runs by at least
   * {@code limit}, in this detector's figure (statistic and canary). A change already reported
   * at a run at the new level (a regression, an improvement or this change point on an earlier
   * night; {@code tonight} counts too) is left out.
   *
   * @param earlier the history's runs before tonight, oldest first, with their entries
   * @param tonightId tonight's entry id
   */
  public List<ChangePointDetector.Finding> changePoints(List<History.Entry> earlier, List<Map<String, BenchResults.Point>> past,
      Map<String, BenchResults.Point> now, String tonightId, List<Finding> tonight, ChangePointDetector detector, double limit)
      throws IOException {
    int from = Math.max(0, earlier.size() - detector.thresholds().window() + 1);
    List<Set<String>> reported = new ArrayList<>();
    for (History.Entry e : earlier.subList(from, earlier.size())) {
      reported.add(e.findings().stream().filter(RecordedFinding::reportsChange).map(RecordedFinding::key)
          .collect(Collectors.toSet()));
    }
    reported.add(tonight.stream().filter(f -> f.verdict() == Verdict.REGRESSION || f.verdict() == Verdict.IMPROVEMENT)
        .map(Finding::key).collect(Collectors.toSet()));
    List<Map<String, BenchResults.Point>> runs = new ArrayList<>(past.subList(from, past.size()));
    runs.add(now);
    List<String> ids = new ArrayList<>(earlier.subList(from, earlier.size()).stream().map(History.Entry::id).toList());
    ids.add(tonightId);
    List<ChangePointDetector.Finding> out = new ArrayList<>();
    for (BenchResults.Point p : now.values()) {
      List<String> at = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      List<Boolean> flagged = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        BenchResults.Point q = runs.get(i).get(p.key());
        double figure = q == null ? Double.NaN : figure(q);
        if (!Double.isNaN(figure)) {
          at.add(ids.get(i));
          values.add(figure);
          flagged.add(reported.get(i).contains(p.key()));
        }
      }
      detector.judgeNew(p.key(), at, values, flagged, limit).ifPresent(out::add);
    }
    return out;
  }

  /** The sample standard deviation of {@code figures} over their mean. */
  static double relativeSd(double[] figures) {
    return Math.sqrt(StatUtils.variance(figures)) / StatUtils.mean(figures);
  }

  /** Compares the gate's accuracies with the same variant, tier and seed in the history. */
  public List<Finding> compareAccuracy(List<GateResult> current, List<List<GateResult>> history) {
    List<List<GateResult>> recent = history.subList(Math.max(0, history.size() - t.window()), history.size());
    List<Finding> out = new ArrayList<>();
    for (GateResult g : current) {
      String key = "accuracy/" + g.series() + "/" + g.tier() + "/seed" + g.seed();
      double[] old = recent.stream().flatMap(List::stream).filter(o -> o.sameRun(g)).mapToDouble(GateResult::accuracy).toArray();
      double mean = old.length == 0 ? Double.NaN : Arrays.stream(old).average().orElseThrow();
      Verdict v;
      if (!g.passed()) {
        v = Verdict.REGRESSION;
      } else if (old.length == 0) {
        v = Verdict.NOT_ENOUGH_DATA;
      } else if (g.accuracy() < mean - t.accuracyDrop()) {
        v = Verdict.REGRESSION; // accuracy: higher is better
      } else if (g.accuracy() > mean + t.accuracyDrop()) {
        v = Verdict.IMPROVEMENT;
      } else {
        v = Verdict.UNCHANGED;
      }
      out.add(new Finding(key, mean, g.accuracy(), g.accuracy() - mean, Double.NaN, old.length, v));
    }
    return out;
  }
}
