package org.fmnistbench.ci;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * Measures the nightly detector on data: A/A runs (the same code measured again and again,
 * from the stability experiment) replayed as nightly histories. Each replay takes one run as
 * the night's run and a subset of the others as its history, so no code changed: every
 * regression it reports is a false alarm, counted per night (all points together, as the job
 * fails) and per compared figure. The same replays with the night's run made slower by a
 * fraction (every operation, as {@code -Dbench.injectSlowdown} does) count detections.
 */
final class DetectorCalibration {
  static final double[] SLOWDOWNS = {0.03, 0.05, 0.10, 0.20, 0.50};

  /**
   * A night: the run under test, the history it is judged against, and the run that measures
   * flagged points again (null: the night is judged on its first measurement alone).
   */
  record Replay(Map<String, BenchResults.Point> night, List<Map<String, BenchResults.Point>> history,
      Map<String, BenchResults.Point> again) {
    Replay(Map<String, BenchResults.Point> night, List<Map<String, BenchResults.Point>> history) {
      this(night, history, null);
    }
  }

  /**
   * The outcome of one detector setting over all replays.
   *
   * @param thresholds the setting
   * @param nights replays
   * @param falseAlarmNights replays of unchanged code with at least one regression
   * @param nightRuns distinct runs judged as the night: the sample, since replays share them
   * @param falseAlarmRuns of those, the runs with a regression against the full history of the others (their replays
   *     with the most history; with a re-run, in at least half of those)
   * @param comparisons figures compared on unchanged code
   * @param falseAlarms of those, called regressions
   * @param largestScore the largest A/A change in yardsticks seen
   * @param trainingDetected per slowdown, the share of training-step figures called regressions
   * @param inferenceDetected per slowdown, the share of inference figures called regressions
   */
  record Outcome(RegressionDetector.Thresholds thresholds, int nights, int falseAlarmNights, int nightRuns, int falseAlarmRuns,
      int comparisons, int falseAlarms, double largestScore, double[] trainingDetected, double[] inferenceDetected) {

    double falseAlarmNightRate() {
      return (double) falseAlarmNights / nights;
    }

    /**
     * The one-sided 95 % Clopper-Pearson upper bound of the share of nights with a false alarm,
     * over the distinct runs judged as the night: the replays of one run share its measurement,
     * so they are not independent trials, and one unlucky run can make most of the replays' alarms.
     */
    double falseAlarmRunUpper() {
      return falseAlarmRuns == nightRuns ? 1
          : new BetaDistribution(falseAlarmRuns + 1.0, nightRuns - falseAlarmRuns).inverseCumulativeProbability(0.95);
    }

    /** The per-night rate a suite of {@code points} figures would have if figures failed independently at the observed per-figure rate. */
    double falseAlarmNightRateFor(int points) {
      return 1 - Math.pow(1 - (double) falseAlarms / comparisons, points);
    }

    double trainingDetectedAt(double slowdown) {
      for (int i = 0; i < SLOWDOWNS.length; i++) {
        if (SLOWDOWNS[i] == slowdown) {
          return trainingDetected[i];
        }
      }
      throw new IllegalArgumentException("no slowdown " + slowdown + " replayed");
    }
  }

  private DetectorCalibration() {}

  /**
   * Every replay of {@code runs}: each run as the night, against every subset of at least
   * {@code minHistory} of the other runs, in their order.
   */
  static List<Replay> replays(List<Map<String, BenchResults.Point>> runs, int minHistory) {
    List<Replay> out = new ArrayList<>();
    for (int night = 0; night < runs.size(); night++) {
      List<Map<String, BenchResults.Point>> others = new ArrayList<>(runs);
      others.remove(night);
      out.addAll(subsets(runs.get(night), others, minHistory));
    }
    return out;
  }

  /**
   * Replays with a confirming re-run: each ordered pair of runs as the night and its re-run,
   * against every subset of at least {@code minHistory} of the remaining runs. Needs
   * {@code minHistory + 2} runs; fewer give none.
   */
  static List<Replay> confirmedReplays(List<Map<String, BenchResults.Point>> runs, int minHistory) {
    List<Replay> out = new ArrayList<>();
    for (int night = 0; night < runs.size(); night++) {
      for (int again = 0; again < runs.size(); again++) {
        if (again == night) {
          continue;
        }
        List<Map<String, BenchResults.Point>> rest = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
          if (i != night && i != again) {
            rest.add(runs.get(i));
          }
        }
        for (Replay r : subsets(runs.get(night), rest, minHistory)) {
          out.add(new Replay(r.night(), r.history(), runs.get(again)));
        }
      }
    }
    return out;
  }

  /** The night against every subset of at least {@code minHistory} of {@code others}, in their order. */
  private static List<Replay> subsets(Map<String, BenchResults.Point> night, List<Map<String, BenchResults.Point>> others,
      int minHistory) {
    List<Replay> out = new ArrayList<>();
    for (int mask = 1; mask < (1 << others.size()); mask++) {
      if (Integer.bitCount(mask) < minHistory) {
        continue;
      }
      List<Map<String, BenchResults.Point>> history = new ArrayList<>();
      for (int b = 0; b < others.size(); b++) {
        if ((mask & (1 << b)) != 0) {
          history.add(others.get(b));
        }
      }
      out.add(new Replay(night, history));
    }
    return out;
  }

  /** The night's findings, flagged slowdowns measured again where the replay has a re-run (slowed by the same factor). */
  static List<RegressionDetector.Finding> judge(RegressionDetector d, Replay r, double factor) {
    List<RegressionDetector.Finding> f = new ArrayList<>(d.compareTimes(scaled(r.night(), factor), r.history()));
    if (r.again() != null) {
      Map<String, BenchResults.Point> again = scaled(r.again(), factor);
      f.replaceAll(x -> d.confirmIfMeasured(x, again));
    }
    return f;
  }

  /** Every point of a run times {@code factor} (an injected slowdown). */
  private static Map<String, BenchResults.Point> scaled(Map<String, BenchResults.Point> run, double factor) {
    Map<String, BenchResults.Point> out = new LinkedHashMap<>();
    run.forEach((k, p) -> out.put(k, factor == 1 ? p : p.scaled(factor)));
    return out;
  }

  /** Runs one detector setting over the replays, on unchanged code and with each slowdown. */
  static Outcome evaluate(RegressionDetector.Thresholds thresholds, List<Replay> replays) {
    RegressionDetector d = new RegressionDetector(thresholds);
    int falseNights = 0;
    // per night run (by identity): {history size of its fullest replays, how many of those, how many raised}
    Map<Map<String, BenchResults.Point>, int[]> byRun = new IdentityHashMap<>();
    int comparisons = 0;
    int falseAlarms = 0;
    double largest = 0;
    for (Replay r : replays) {
      List<RegressionDetector.Finding> f = judge(d, r, 1);
      long regressions = f.stream().filter(x -> x.verdict() == RegressionDetector.Verdict.REGRESSION).count();
      falseNights += regressions > 0 ? 1 : 0;
      int[] run = byRun.computeIfAbsent(r.night(), k -> new int[3]);
      if (r.history().size() > run[0]) {
        run[0] = r.history().size();
        run[1] = 0;
        run[2] = 0;
      }
      if (r.history().size() == run[0]) {
        run[1]++;
        run[2] += regressions > 0 ? 1 : 0;
      }
      falseAlarms += (int) regressions;
      comparisons += (int) f.stream().filter(x -> x.verdict() != RegressionDetector.Verdict.NOT_ENOUGH_DATA).count();
      for (RegressionDetector.Finding x : f) {
        if (x.verdict() != RegressionDetector.Verdict.NOT_ENOUGH_DATA) {
          largest = Math.max(largest, x.score());
        }
      }
    }
    double[] train = new double[SLOWDOWNS.length];
    double[] inference = new double[SLOWDOWNS.length];
    for (int s = 0; s < SLOWDOWNS.length; s++) {
      int[] counts = new int[4]; // training detected, training compared, inference detected, inference compared
      for (Replay r : replays) {
        for (RegressionDetector.Finding x : judge(d, r, 1 + SLOWDOWNS[s])) {
          if (x.verdict() == RegressionDetector.Verdict.NOT_ENOUGH_DATA) {
            continue;
          }
          int base = x.key().startsWith("trainStep/") ? 0 : 2;
          counts[base + 1]++;
          counts[base] += x.verdict() == RegressionDetector.Verdict.REGRESSION ? 1 : 0;
        }
      }
      train[s] = counts[1] == 0 ? Double.NaN : (double) counts[0] / counts[1];
      inference[s] = counts[3] == 0 ? Double.NaN : (double) counts[2] / counts[3];
    }
    int falseRuns = (int) byRun.values().stream().filter(run -> 2 * run[2] >= run[1]).count();
    return new Outcome(thresholds, replays.size(), falseNights, byRun.size(), falseRuns, comparisons, falseAlarms,
        largest, train, inference);
  }

  /** The Markdown body of DETECTOR.md: one row per setting, the defaults marked. */
  static String markdown(List<Outcome> outcomes, RegressionDetector.Thresholds defaults, int runs, int pointsPerRun,
      int suitePoints) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%d A/A runs of %d figures each, replayed as %d nights: each run in turn as the "
        + "night's run, judged against every subset of at least %d of the other runs as its history. Replays share runs, "
        + "so the sample is the %d runs, not the replays: \"false-alarm runs\" counts the runs that raised a false "
        + "regression as the night against the full history of the others (what a nightly with a full window faces; with "
        + "a re-run, in at least half of the choices of re-run), and its upper bound (one-sided 95 %%, Clopper-Pearson) "
        + "is over those runs; \"replays\" is the share of all replays that raised one, which describes these runs only "
        + "(one unlucky run can make most of it). \"Suite night\" extrapolates the per-figure rate to the "
        + "%d figures of a full `-Pbench` night, as if figures failed independently.%n%n",
        runs, pointsPerRun, outcomes.get(0).nights(), defaults.minHistory(), outcomes.get(0).nightRuns(), suitePoints));
    md.append("| canary | statistic | z | min effect | false-alarm runs | upper bound | replays | false figures | suite night (extrapolated) | largest A/A score |");
    for (double s : SLOWDOWNS) {
      md.append(String.format(Locale.ROOT, " training +%.0f %% |", 100 * s));
    }
    for (double s : SLOWDOWNS) {
      md.append(String.format(Locale.ROOT, " inference +%.0f %% |", 100 * s));
    }
    md.append("\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|").append("---:|".repeat(2 * SLOWDOWNS.length)).append('\n');
    for (Outcome o : outcomes) {
      String mark = o.thresholds().equals(defaults) ? "**" : "";
      md.append(String.format(Locale.ROOT, "| %s%s%s | %s%s%s | %s%.1f%s | %s%.0f %%%s | %d/%d | %.0f %% | %d/%d | %d/%d | %.1f %% | %.1f |",
          mark, o.thresholds().canary().name().toLowerCase(Locale.ROOT), mark, mark,
          o.thresholds().statistic().name().toLowerCase(Locale.ROOT), mark, mark,
          o.thresholds().z(), mark, mark, 100 * o.thresholds().minEffect(), mark, o.falseAlarmRuns(), o.nightRuns(),
          100 * o.falseAlarmRunUpper(), o.falseAlarmNights(), o.nights(), o.falseAlarms(), o.comparisons(),
          100 * o.falseAlarmNightRateFor(suitePoints), o.largestScore()));
      for (double v : o.trainingDetected()) {
        md.append(String.format(Locale.ROOT, " %.0f %% |", 100 * v));
      }
      for (double v : o.inferenceDetected()) {
        md.append(String.format(Locale.ROOT, " %.0f %% |", 100 * v));
      }
      md.append('\n');
    }
    return md.toString();
  }
}
