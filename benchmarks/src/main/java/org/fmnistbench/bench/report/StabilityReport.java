package org.fmnistbench.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.results.RunSpread;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.MeanInterval;
import org.fmnistbench.stats.VarianceComponents;
import org.fmnistbench.variants.Variant;

/**
 * The analysis behind STABILITY.md, from the JMH points of an A/A experiment (the same code
 * measured in several runs of several forks): per point the variance at each level, how often one
 * run's figure fell inside another run's 95 % interval, the spread between runs, the trend over a
 * fork's iterations, and the repetition counts that reach the precision targets with what they
 * cost. Pure: it reads points and writes Markdown, so it is tested without running JMH.
 */
public final class StabilityReport {
  /** Targets for one run's 95 % half-width, fraction of the mean. */
  static final double TRAIN_TARGET = 0.03;
  static final double INFERENCE_TARGET = 0.05;
  /** Target for the difference between two runs' figures on unchanged code. */
  static final double AA_TARGET = 0.05;
  /** What `mvn verify -Pbench` measures: every variant, both engines, training and inference. */
  static final int SUITE_POINTS_PER_KIND = Variant.suite().size() * 2;
  static final double SUITE_BUDGET_MINUTES = 25;

  /** One point's figures over the experiment. */
  record PointStats(String key, String method, String variant, String engine, VarianceComponents components,
      List<MeanInterval> perRun, int covered, int pairs, double maxRunDifference, double[] iterationProfile,
      Map<String, Canary> canaries) {

    boolean training() {
      return method.equals("trainStep");
    }

    double target() {
      return training() ? TRAIN_TARGET : INFERENCE_TARGET;
    }

    double medianRelativeHalfWidth() {
      return new Median().evaluate(perRun.stream().mapToDouble(MeanInterval::relativeHalfWidth).toArray());
    }
  }

  /**
   * One canary metric beside one point, over the experiment.
   *
   * @param itself the canary's own components (the machine, as the canary sees it)
   * @param ratio the components of the point's figure divided by the canary, iteration by iteration
   */
  record Canary(VarianceComponents itself, VarianceComponents ratio) {}

  /**
   * A repetition setting for the suite and what the model predicts for it.
   *
   * @param forks forks per point
   * @param iterations measured iterations per fork
   * @param worstHalfWidth the largest predicted relative 95 % half-width over the points of its kind
   * @param medianHalfWidth the median of those
   * @param worstRunDifferenceSd the largest predicted relative sd of an A/A difference between two runs
   * @param minutes predicted time of that kind's points in the full suite
   */
  record Setting(int forks, int iterations, double worstHalfWidth, double medianHalfWidth, double worstRunDifferenceSd,
      double minutes) {}

  private final List<PointStats> points;
  private final double iterationSeconds;
  private final double forkSeconds;
  private final int warmupIterations;
  private final double warmupSeconds;
  private final int forks;
  private final int iterations;

  /**
   * @param runs per run, the points JMH measured in it
   * @param runWallSeconds per run, the wall time of its JMH invocation
   * @param warmupIterations warm-up iterations per fork in the experiment
   * @param warmupSeconds seconds per warm-up iteration
   */
  public StabilityReport(List<List<JmhJson.Point>> runs, List<Double> runWallSeconds, int warmupIterations, double warmupSeconds) {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("a stability experiment needs at least 2 runs, got " + runs.size());
    }
    this.warmupIterations = warmupIterations;
    this.warmupSeconds = warmupSeconds;
    Map<String, List<JmhJson.Point>> byKey = new LinkedHashMap<>();
    for (List<JmhJson.Point> run : runs) {
      for (JmhJson.Point p : run) {
        if (p.samples() != null) {
          byKey.computeIfAbsent(key(p), k -> new ArrayList<>()).add(p);
        }
      }
    }
    points = new ArrayList<>();
    byKey.forEach((key, ps) -> {
      if (ps.size() == runs.size()) {
        points.add(stats(key, ps));
      }
    });
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no benchmark point was measured in every run");
    }
    JmhJson.Point first = runs.get(0).get(0);
    iterationSeconds = first.iterationSeconds();
    forks = first.samples().forkCount();
    iterations = first.samples().iterationsPerFork();
    int perRun = runs.get(0).size();
    // the fixed cost of a fork: everything but its measured iterations (JVM start, set-up, warm-up)
    double wall = new Median().evaluate(runWallSeconds.stream().mapToDouble(Double::doubleValue).toArray());
    forkSeconds = Math.max(0, wall / (perRun * forks) - iterations * iterationSeconds);
  }

  static String key(JmhJson.Point p) {
    return p.method() + "/" + p.variantId() + "/" + p.param("engine") + "/b" + p.param("batchSize");
  }

  private static PointStats stats(String key, List<JmhJson.Point> ps) {
    List<ForkSamples> runs = ps.stream().map(JmhJson.Point::samples).toList();
    List<MeanInterval> perRun = runs.stream().map(ForkSamples::interval).toList();
    int covered = 0;
    int pairs = 0;
    double maxDiff = 0;
    for (int i = 0; i < perRun.size(); i++) {
      for (int j = 0; j < perRun.size(); j++) {
        if (i != j) {
          pairs++;
          covered += perRun.get(i).contains(perRun.get(j).mean()) ? 1 : 0;
          maxDiff = Math.max(maxDiff, Math.abs(perRun.get(j).mean() / perRun.get(i).mean() - 1));
        }
      }
    }
    JmhJson.Point p = ps.get(0);
    Map<String, Canary> canaries = new LinkedHashMap<>();
    for (String metric : p.canary().keySet()) {
      if (ps.stream().allMatch(x -> x.canary().containsKey(metric))) {
        List<ForkSamples> canary = ps.stream().map(x -> x.canary().get(metric)).toList();
        List<ForkSamples> ratio = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
          ratio.add(runs.get(r).dividedBy(canary.get(r)));
        }
        canaries.put(metric, new Canary(VarianceComponents.estimate(canary), VarianceComponents.estimate(ratio)));
      }
    }
    return new PointStats(key, p.method(), p.variantId(), p.param("engine"),
        VarianceComponents.estimate(runs), perRun, covered, pairs, maxDiff, iterationProfile(runs), canaries);
  }

  /** Per iteration index, the mean over all forks of (iteration / its fork's mean): a trend shows warm-up left over. */
  static double[] iterationProfile(List<ForkSamples> runs) {
    int n = runs.stream().mapToInt(ForkSamples::iterationsPerFork).min().orElseThrow();
    double[] sum = new double[n];
    int count = 0;
    for (ForkSamples r : runs) {
      for (double[] fork : r.forks()) {
        double m = StatUtils.mean(fork, 0, n);
        for (int i = 0; i < n; i++) {
          sum[i] += fork[i] / m;
        }
        count++;
      }
    }
    for (int i = 0; i < n; i++) {
      sum[i] /= count;
    }
    return sum;
  }

  /** Each point's run level, for the suite's table ({@link org.fmnistbench.results.RunSpread}). */
  public RunSpread runSpread(String experiment, String commits, String cpu) {
    return new RunSpread(experiment, commits, cpu, points.stream().map(p -> {
      String[] k = p.key().split("/"); // method/variant id/engine/bN
      VarianceComponents c = p.components();
      return new RunSpread.Point(p.method(), k[1], p.engine(), Integer.parseInt(k[3].substring(1)),
          c.relativeSd(3), c.relativeRunDifferenceSd(forks, iterations), c.n3());
    }).toList());
  }

  List<PointStats> points() {
    return points;
  }

  double forkSeconds() {
    return forkSeconds;
  }

  /** The predicted worst case over the points of one kind for a setting, and its cost in the full suite. */
  Setting predict(boolean training, int forks, int iterations) {
    List<Double> widths = new ArrayList<>();
    double worstDiff = 0;
    for (PointStats p : points) {
      if (p.training() == training) {
        widths.add(p.components().predictedRelativeHalfWidth(forks, iterations));
        worstDiff = Math.max(worstDiff, p.components().relativeRunDifferenceSd(forks, iterations));
      }
    }
    double[] w = widths.stream().mapToDouble(Double::doubleValue).toArray();
    double minutes = SUITE_POINTS_PER_KIND * forks * (forkSeconds + iterations * iterationSeconds) / 60;
    return new Setting(forks, iterations, w.length == 0 ? Double.NaN : StatUtils.max(w),
        w.length == 0 ? Double.NaN : new Median().evaluate(w), worstDiff, minutes);
  }

  /** The cheapest setting of a kind that meets its target, searching forks 2-12 and iterations 2-20. */
  Setting cheapestMeeting(boolean training) {
    double target = training ? TRAIN_TARGET : INFERENCE_TARGET;
    Setting best = null;
    for (Setting s : settings(training)) {
      if (s.worstHalfWidth() <= target && (best == null || s.minutes() < best.minutes())) {
        best = s;
      }
    }
    return best;
  }

  /** Every setting the search considers for one kind (2-12 forks, 2-20 iterations), in that order. */
  private List<Setting> settings(boolean training) {
    List<Setting> out = new ArrayList<>();
    for (int f = 2; f <= 12; f++) {
      for (int i = 2; i <= 20; i++) {
        out.add(predict(training, f, i));
      }
    }
    return out;
  }

  /**
   * The most precise pair of settings (training, inference) whose full suite fits the budget,
   * judged by the worse of the two ratios of predicted half-width to target.
   */
  Setting[] bestWithin(double budgetMinutes) {
    List<Setting> training = settings(true);
    List<Setting> inference = settings(false);
    Setting[] best = null;
    double bestScore = Double.POSITIVE_INFINITY;
    for (Setting t : training) {
      for (Setting inf : inference) {
        if (t.minutes() + inf.minutes() > budgetMinutes) {
          continue;
        }
        double score = Math.max(t.worstHalfWidth() / TRAIN_TARGET, inf.worstHalfWidth() / INFERENCE_TARGET);
        if (score < bestScore - 1e-9 || (Math.abs(score - bestScore) <= 1e-9
            && t.minutes() + inf.minutes() < best[0].minutes() + best[1].minutes())) {
          bestScore = score;
          best = new Setting[] {t, inf};
        }
      }
    }
    return best;
  }

  /** The document's body (the caller adds the header). */
  public String markdown(String design) {
    StringBuilder md = new StringBuilder();
    md.append("## Design\n\n").append(design).append("\n\n")
        .append(String.format(Locale.ROOT, "Measured costs: one measured iteration %.1f s; the fixed part of a fork "
            + "(JVM start, ND4J and data set-up, %d warm-up iterations of %.0f s) %.1f s, from the runs' median wall time.%n%n",
            iterationSeconds, warmupIterations, warmupSeconds, forkSeconds));
    md.append("## Variance by level\n\n")
        .append("Kalibera and Jones's random-effects model (ISMM 2013), one point at a time: the standard deviation each ")
        .append("level adds, as a percentage of the mean: iterations within a fork (T1), forks (JVMs) within a run (T2), ")
        .append("runs within the experiment (T3). A level estimated below zero adds nothing measurable and shows 0. ")
        .append("\"One run's 95 % half-width\" is the median over the runs of the t interval over that run's fork means; ")
        .append("\"covered\" counts how often one run's figure fell inside another run's interval (ordered pairs); ")
        .append("\"max A/A difference\" is the largest difference between two runs' figures.\n\n")
        .append("| benchmark | variant | engine | mean, us/sample | T1 iterations | T2 forks | T3 runs | one run's 95 % half-width | covered | max A/A difference |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    int covered = 0;
    int pairs = 0;
    double expected = 0;
    double expectedWithoutRuns = 0;
    for (PointStats p : points) {
      VarianceComponents k = p.components();
      expected += p.pairs() * k.expectedCoverage(forks, iterations);
      expectedWithoutRuns += p.pairs() * new VarianceComponents(k.mean(), k.t1(), k.t2(), 0, k.n1(), k.n2(), k.n3())
          .expectedCoverage(forks, iterations);
      VarianceComponents c = p.components();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.1f | %.2f %% | %.2f %% | %.2f %% | %.1f %% | %d/%d | %.1f %% |%n",
          p.method(), p.variant(), p.engine(), c.mean(), 100 * c.relativeSd(1), 100 * c.relativeSd(2),
          100 * c.relativeSd(3), 100 * p.medianRelativeHalfWidth(), p.covered(), p.pairs(), 100 * p.maxRunDifference()));
      covered += p.covered();
      pairs += p.pairs();
    }
    md.append(String.format(Locale.ROOT, "%nCoverage over all points: %d of %d (%.0f %%). Expected from each point's "
            + "components at %d forks (`VarianceComponents.expectedCoverage`): %.0f of %d (%.0f %%); were there no run level "
            + "(T3 = 0), %.0f (%.0f %%). ", covered, pairs, 100.0 * covered / pairs, forks, expected, pairs,
            100 * expected / pairs, expectedWithoutRuns, 100 * expectedWithoutRuns / pairs))
        .append("A 95 % interval over one run's forks contains another run's figure less often than 95 % even when ")
        .append("nothing but fork-level noise exists, since the other figure has an error of its own (with t on forks - 1 ")
        .append("degrees of freedom), and less still when runs differ (T3 above zero): the interval of one run speaks for ")
        .append("that run's JVMs, not for the machine's drift between runs. Where the observed share falls below the ")
        .append("expected one, the runs differ more than the components' normal model says (two-state forks, drift within ")
        .append("a run).\n\n");
    md.append(canarySection());
    md.append("## Warm-up left over\n\n")
        .append("Mean over all forks of each measured iteration divided by its fork's mean (1.000 = flat). A first ")
        .append("iteration above 1 means warm-up had not ended when measurement began; a rising tail means the fork ")
        .append("slows down as it runs (native memory, collections).\n\n")
        .append("| benchmark | variant | engine | iterations 1..n |\n|---|---|---|---|\n");
    for (PointStats p : points) {
      StringBuilder prof = new StringBuilder();
      for (double v : p.iterationProfile()) {
        prof.append(prof.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", v));
      }
      md.append("| ").append(p.method()).append(" | ").append(p.variant()).append(" | ").append(p.engine())
          .append(" | ").append(prof).append(" |\n");
    }
    md.append("\n## Repetition counts\n\n")
        .append(String.format(Locale.ROOT, "Targets for one run on this machine: 95 %% half-width at most %.0f %% of the "
            + "mean for training steps and %.0f %% for inference; A/A difference between two runs at most %.0f %%. ",
            100 * TRAIN_TARGET, 100 * INFERENCE_TARGET, 100 * AA_TARGET))
        .append("Predicted from the components above: a run's figure varies by (T2 + T1 / iterations) / forks within ")
        .append("the run, and by T3 more between runs; costs are the measured ones. Per point, the cheapest counts ")
        .append("(iterations per fork from Kalibera and Jones's optimum sqrt(c2 T1 / (c1 T2)), then the fewest forks ")
        .append("whose t interval reaches the target):\n\n")
        .append("| benchmark | variant | engine | forks | iterations | predicted half-width | predicted sd of an A/A difference | seconds per point |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|\n");
    for (PointStats p : points) {
      VarianceComponents.Plan plan = p.components().plan(p.target(), iterationSeconds, forkSeconds, 3, 30, 20);
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.1f %%%s | %.1f %% | %.0f |%n", p.method(), p.variant(),
          p.engine(), plan.forks(), plan.iterations(), 100 * plan.relativeHalfWidth(), plan.meetsTarget() ? "" : " (not met at 30 forks)",
          100 * p.components().relativeRunDifferenceSd(plan.forks(), plan.iterations()), plan.seconds()));
    }
    md.append("\n### For the whole suite\n\n")
        .append(String.format(Locale.ROOT, "`mvn -B verify -Pbench` measures %d training and %d inference points (every "
            + "variant, both engines). One setting per kind, with this experiment's warm-up, judged by the worst point "
            + "of that kind measured here and by the median one:%n%n", SUITE_POINTS_PER_KIND, SUITE_POINTS_PER_KIND))
        .append("| setting | kind | forks | iterations | worst predicted half-width | median predicted half-width | worst predicted A/A difference sd | minutes |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    settingRow(md, "this experiment's shape", "training", predict(true, forks, iterations));
    settingRow(md, "this experiment's shape", "inference", predict(false, forks, iterations));
    Setting preciseTrain = cheapestMeeting(true);
    Setting preciseInference = cheapestMeeting(false);
    if (preciseTrain != null) {
      settingRow(md, "cheapest meeting the target", "training", preciseTrain);
    }
    if (preciseInference != null) {
      settingRow(md, "cheapest meeting the target", "inference", preciseInference);
    }
    Setting[] quick = bestWithin(SUITE_BUDGET_MINUTES);
    if (quick != null) {
      settingRow(md, "best within " + (int) SUITE_BUDGET_MINUTES + " min", "training", quick[0]);
      settingRow(md, "best within " + (int) SUITE_BUDGET_MINUTES + " min", "inference", quick[1]);
    }
    md.append('\n');
    if (preciseTrain == null || preciseInference == null) {
      md.append("No setting of up to 12 forks and 20 iterations meets the target for ")
          .append(preciseTrain == null && preciseInference == null ? "either kind" : preciseTrain == null ? "training" : "inference")
          .append(" at its worst point: the points whose forks disagree most need more forks than that.\n");
    }
    if (quick == null) {
      Setting t = predict(true, 2, 2);
      Setting i = predict(false, 2, 2);
      md.append(String.format(Locale.ROOT, "No setting with this warm-up fits %.0f minutes: the smallest with an interval "
          + "at all (2 forks of 2 iterations) takes %.0f. A run within that budget must warm up for less (the `quick` "
          + "level), and its figures can then include the end of the warm-up.%n", SUITE_BUDGET_MINUTES,
          t.minutes() + i.minutes()));
    }
    return md.toString();
  }

  /**
   * Whether the canary tracks what moves the figures between runs: the run level (T3) of each
   * figure as measured and divided by each canary. Empty when the runs carry no canary.
   */
  private String canarySection() {
    List<String> metrics = points.stream().flatMap(p -> p.canaries().keySet().stream()).distinct().toList();
    if (metrics.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder("## Machine drift and the canary\n\n")
        .append("The `CanaryProfiler` times a fixed plain-Java workload after every measured iteration, in the same JVM; ")
        .append("no DL4J change moves it. If the machine's drift between runs is what moves the figures, the canary ")
        .append("moves with them and a figure divided by its canary drifts less: compare T3 as measured with T3 of the ")
        .append("ratio (same model as above). The canary's own T3 shows how much the machine itself moved.\n\n")
        .append("| benchmark | variant | engine | T3 runs |");
    for (String m : metrics) {
      md.append(" ").append(m).append(" T3 | T3 over ").append(m).append(" |");
    }
    md.append("\n|---|---|---|---:|").append("---:|---:|".repeat(metrics.size())).append('\n');
    int better = 0;
    int worse = 0;
    int compared = 0;
    for (PointStats p : points) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f %% |", p.method(), p.variant(), p.engine(),
          100 * p.components().relativeSd(3)));
      for (String m : metrics) {
        Canary c = p.canaries().get(m);
        if (c == null) {
          md.append(" n/a | n/a |");
          continue;
        }
        md.append(String.format(Locale.ROOT, " %.2f %% | %.2f %% |", 100 * c.itself().relativeSd(3), 100 * c.ratio().relativeSd(3)));
        double raw = p.components().relativeSd(3);
        double ratio = c.ratio().relativeSd(3);
        better += ratio < raw ? 1 : 0;
        worse += ratio > raw ? 1 : 0;
        compared++;
      }
      md.append('\n');
    }
    md.append(String.format(Locale.ROOT, "%nThe ratio drifts less than the figure in %d of %d (point, canary) pairs, more in %d "
        + "(in the rest neither drifts measurably).%n%n", better, compared, worse));
    return md.toString();
  }

  /**
   * What one suite run at the quick level reached, measured: each point's 95 % half-width against
   * its target, and its figure against this experiment's (the longer warm-up of the precise level)
   * where both measured the point.
   *
   * @param quick the points of that run
   * @param runId its result folder's name
   * @param wallSeconds the wall time of its JMH invocation, NaN when unknown
   */
  public String quickLevel(List<JmhJson.Point> quick, String runId, double wallSeconds) {
    List<JmhJson.Point> measured = quick.stream().filter(p -> p.samples() != null).toList();
    if (measured.isEmpty()) {
      throw new IllegalArgumentException("the quick run " + runId + " has no point with a 'samples' metric");
    }
    Map<String, PointStats> here = new LinkedHashMap<>();
    points.forEach(p -> here.put(p.key(), p));
    ForkSamples shape = measured.get(0).samples();
    StringBuilder md = new StringBuilder("## The quick level, measured\n\n")
        .append(String.format(Locale.ROOT, "One run of `mvn -B verify -Pbench` at `-Dbench.precision=quick` (run `%s`, kept "
            + "beside this document as `quick-jmh-cpu.json`): %d points, %d forks of %d measured iteration(s) each, %s for "
            + "the JMH invocation (the build and tests before it not counted). The half-width is the 95 %% t interval over "
            + "its fork means; \"against the precise level\" divides its figure by this experiment's mean of the same point, "
            + "measured with the precise level's longer warm-up in other JVMs at other times: a ratio off 1 is warm-up "
            + "left in the quick figure (SameDiff's steps change state 14-16 s into a fork), or drift.%n%n",
            runId, measured.size(), shape.forkCount(), shape.iterationsPerFork(),
            Double.isNaN(wallSeconds) ? "wall time unknown" : String.format(Locale.ROOT, "%.1f min", wallSeconds / 60)))
        .append("| benchmark | variant | engine | us/sample | 95 % half-width | target | against the precise level |\n")
        .append("|---|---|---|---:|---:|---:|---:|\n");
    Map<Boolean, List<Double>> widths = new LinkedHashMap<>();
    Map<Boolean, Integer> met = new LinkedHashMap<>();
    for (JmhJson.Point p : measured) {
      MeanInterval i = p.interval();
      boolean training = p.method().equals("trainStep");
      double target = training ? TRAIN_TARGET : INFERENCE_TARGET;
      PointStats precise = here.get(key(p));
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.1f | %.1f %% | %.0f %% | %s |%n", p.method(),
          p.variantId(), p.engine(), i.mean(), 100 * i.relativeHalfWidth(), 100 * target,
          precise == null ? "not measured there" : String.format(Locale.ROOT, "%.2f", i.mean() / precise.components().mean())));
      widths.computeIfAbsent(training, k -> new ArrayList<>()).add(i.relativeHalfWidth());
      met.merge(training, i.relativeHalfWidth() <= target ? 1 : 0, Integer::sum);
    }
    md.append('\n');
    for (boolean training : new boolean[] {true, false}) {
      List<Double> w = widths.get(training);
      if (w != null) {
        double[] a = w.stream().mapToDouble(Double::doubleValue).toArray();
        md.append(String.format(Locale.ROOT, "%s: half-width median %.1f %%, worst %.1f %%; the target (%.0f %%) met at %d of %d "
            + "points.%n", training ? "Training" : "Inference", 100 * new Median().evaluate(a), 100 * StatUtils.max(a),
            100 * (training ? TRAIN_TARGET : INFERENCE_TARGET), met.get(training), a.length));
      }
    }
    return md.append('\n').toString();
  }

  private static void settingRow(StringBuilder md, String level, String kind, Setting s) {
    md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f %% | %.1f %% | %.1f %% | %.1f |%n", level, kind, s.forks(),
        s.iterations(), 100 * s.worstHalfWidth(), 100 * s.medianHalfWidth(), 100 * s.worstRunDifferenceSd(), s.minutes()));
  }
}
