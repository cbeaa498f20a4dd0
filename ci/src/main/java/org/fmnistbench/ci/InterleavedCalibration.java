package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.InterleaveDesign;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.stats.PairedRatio;

/**
 * DETECTOR.md's section on judging beside the previous build: what {@code BenchDriver
 * interleave} comparisons ({@link org.fmnistbench.stats.PairedRatio}) measured on this machine, of one build with itself (A/A: every point
 * called slower is a false alarm) and with a slowdown injected into the candidate (every point
 * not called slower is a miss); the spread of a round with each canary the judgement can divide
 * by, which is what chose {@link InterleavedResults#DEFAULT_CANARY}; and, from that spread, the
 * share of 10 % slowdowns a comparison of a given number of rounds would catch, with its cost.
 */
final class InterleavedCalibration {
  static final int[] ROUNDS = {4, 8, 16, 24, 32};
  static final double EFFECT = 1.10;
  static final double POWER = 0.9;

  private InterleavedCalibration() {}

  /** One comparison folder, judged over one canary. */
  record Run(Path dir, double slowdown, int rounds, double alpha, List<InterleavedResults.Comparison> comparisons, double forkSeconds) {
    static Run read(Path dir, Canary canary) throws IOException {
      InterleaveDesign design = InterleavedResults.design(dir);
      List<InterleavedResults.Comparison> comparisons = InterleavedResults.analyse(dir, canary);
      double wall = 0;
      int invocations = 0;
      for (Path m : InterleavedResults.metadataFiles(dir)) {
        Double a = RunMetadata.read(m).activity().wallSeconds();
        if (a != null) {
          wall += a;
          invocations++;
        }
      }
      double forkSeconds = invocations == 0 ? Double.NaN : wall / invocations / comparisons.size();
      return new Run(dir, design.slowdown(), design.rounds(), design.alphaOrDefault(), comparisons, forkSeconds);
    }

    long called(InterleavedResults.Verdict v) {
      return comparisons.stream().filter(c -> c.verdict() == v).count();
    }

    String name() {
      return dir.getFileName().toString();
    }
  }

  /**
   * The share of {@code effect} slowdowns a comparison of {@code rounds} rounds calls slower when
   * one round's log ratio has standard deviation {@code sd} and the night compares {@code points}
   * points (Holm's first step, two-sided: alpha / 2 / points, the most demanding; a t approximation).
   */
  static double power(double sd, int rounds, int points, double alpha, double effect) {
    TDistribution t = new TDistribution(null, rounds - 1.0);
    double critical = t.inverseCumulativeProbability(1 - alpha / 2 / points);
    return 1 - t.cumulativeProbability(critical - Math.log(effect) / (sd / Math.sqrt(rounds)));
  }

  /** The fewest rounds whose {@link #power} reaches {@code power} (up to 999; NaN beyond). */
  static double roundsFor(double sd, int points, double alpha, double effect, double power) {
    for (int n = 2; n < 1000; n++) {
      if (power(sd, n, points, alpha, effect) >= power) {
        return n;
      }
    }
    return Double.NaN;
  }

  /**
   * The spread of a round per point and per group of points, pooled over {@code runs} weighted by
   * degrees of freedom: a constant slowdown moves the rounds' log ratios, not their spread.
   *
   * @return per key (a point's series key, or a group's label): {sum of (n-1) sd^2, sum of (n-1)}
   */
  static Map<String, double[]> pooledSpread(List<Run> runs) {
    Map<String, double[]> spread = new LinkedHashMap<>();
    for (Run r : runs) {
      for (InterleavedResults.Comparison c : r.comparisons()) {
        double v = (c.ratio().rounds() - 1) * c.ratio().logSd() * c.ratio().logSd();
        for (String key : List.of(c.key(), group(c), ALL)) {
          double[] s = spread.computeIfAbsent(key, k -> new double[2]);
          s[0] += v;
          s[1] += c.ratio().rounds() - 1;
        }
      }
    }
    return spread;
  }

  static final String ALL = "every point";
  static final String DEFAULT_TRAINING = "trainStep, layer-api, default (pooled)";

  /** The group a point's spread is pooled into: its benchmark, engine and runtime configuration. */
  static String group(InterleavedResults.Comparison c) {
    return c.benchmark() + ", " + c.engine() + ", " + c.runtime() + " (pooled)";
  }

  static double sd(double[] pooled) {
    return Math.sqrt(pooled[0] / pooled[1]);
  }

  static String markdown(List<Path> dirs, int suiteTrainingPoints, List<String> sentinels, int sentinelRounds) throws IOException {
    Map<Canary, List<Run>> byCanary = new EnumMap<>(Canary.class);
    for (Canary canary : Canary.values()) {
      List<Run> runs = new ArrayList<>();
      try {
        for (Path d : dirs) {
          runs.add(Run.read(d, canary));
        }
      } catch (IllegalArgumentException notMeasured) {
        if (canary == Canary.NONE) {
          throw notMeasured; // not a comparison's folder, or one with a round missing
        }
        if (canary == InterleavedResults.DEFAULT_CANARY) {
          throw new IllegalArgumentException("the interleaved judgement divides by " + canary + " by default, which a "
              + "comparison given did not measure: " + notMeasured.getMessage(), notMeasured);
        }
        continue; // a canary some comparison lacks is left out of the choice
      }
      byCanary.put(canary, runs);
    }
    Canary chosen = InterleavedResults.DEFAULT_CANARY;
    List<Run> runs = byCanary.get(chosen);
    StringBuilder md = new StringBuilder("\n## Beside the previous build (interleaved)\n\n")
        .append("When the previous build's jar is at hand, `ci/nightly` measures the points to confirm beside it rather than ")
        .append("alone: `BenchDriver interleave` runs both jars in alternating rounds, one fork per point and build per round, ")
        .append("in random order, and calls a point slower when Holm's procedure over the night's points rejects \"not slower\" ")
        .append("on the rounds' log ratios (family-wise alpha below). The machine's drift between runs cancels within a round, ")
        .append("so the yardstick is the spread of one round's ratio, not the history's spread between nights. Before the ratio ")
        .append("is taken, each fork's iterations can be divided by a canary measured after each in the same fork ")
        .append("(`--interleaved-canary`, default `").append(chosen.name().toLowerCase(Locale.ROOT)).append("`: \"The canary's ")
        .append("role\" below says why). Comparisons measured on this ")
        .append("machine: a build with itself or with a build of the same benchmark code (no slowdown), and with a TEST-ONLY ")
        .append("slowdown injected into the candidate; each folder's summary.md names its command and jars. Points called, ")
        .append("judged over each canary:\n\n")
        .append("| comparison | injected slowdown | rounds | alpha | points | seconds per fork |");
    byCanary.keySet().forEach(c -> md.append(" slower, over ").append(label(c)).append(" |"));
    byCanary.keySet().forEach(c -> md.append(" faster, over ").append(label(c)).append(" |"));
    md.append("\n|---|---:|---:|---:|---:|---:|").append("---:|".repeat(2 * byCanary.size())).append('\n');
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      md.append(String.format(Locale.ROOT, "| `%s` | %.0f %% | %d | %.2f | %d | %.0f |", r.name(), 100 * r.slowdown(), r.rounds(),
          r.alpha(), r.comparisons().size(), r.forkSeconds()));
      for (InterleavedResults.Verdict v : List.of(InterleavedResults.Verdict.SLOWER, InterleavedResults.Verdict.FASTER)) {
        for (List<Run> judged : byCanary.values()) {
          md.append(' ').append(judged.get(i).called(v)).append(" |");
        }
      }
      md.append('\n');
    }
    List<Run> aa = runs.stream().filter(r -> r.slowdown() == 0).toList();
    List<Run> slowed = runs.stream().filter(r -> r.slowdown() > 0).toList();
    if (aa.isEmpty()) {
      return md.append("\nNo A/A comparison among these: false alarms are not measured.\n").toString();
    }
    int points = aa.get(0).comparisons().size();
    double alpha = aa.get(0).alpha();
    Map<Canary, Map<String, double[]>> spreads = new EnumMap<>(Canary.class);
    byCanary.forEach((c, judged) -> spreads.put(c, pooledSpread(judged)));

    md.append(String.format(Locale.ROOT, "%n### The spread of a round, by canary%n%nThe standard deviation of one round's log "
        + "ratio, pooled over every comparison above (weighted by degrees of freedom), per point and per group; and the rounds "
        + "a comparison of %d points needs to call %.0f %% of +%.0f %% slowdowns slower at a two-sided alpha %.2f (Holm's "
        + "strictest step; t approximation). Rounds needed grow with the square of the spread.%n%n", points, 100 * POWER,
        100 * (EFFECT - 1), alpha));
    md.append("| point or group | degrees of freedom |");
    byCanary.keySet().forEach(c -> md.append(" spread, over ").append(label(c)).append(" |"));
    byCanary.keySet().forEach(c -> md.append(" rounds, over ").append(label(c)).append(" |"));
    md.append("\n|---|---:|").append("---:|".repeat(2 * byCanary.size())).append('\n');
    List<String> rows = new ArrayList<>(spreads.get(chosen).keySet()); // points, then their groups, then every point
    rows.sort(Comparator.comparingInt((String k) -> k.equals(ALL) ? 2 : k.endsWith("(pooled)") ? 1 : 0));
    for (String key : rows) {
      md.append(String.format(Locale.ROOT, "| %s | %.0f |", key.endsWith("(pooled)") || key.equals(ALL) ? "**" + key + "**" : key,
          spreads.get(chosen).get(key)[1]));
      for (Map<String, double[]> s : spreads.values()) {
        md.append(String.format(Locale.ROOT, " %.1f %% |", 100 * sd(s.get(key))));
      }
      for (Map<String, double[]> s : spreads.values()) {
        md.append(String.format(Locale.ROOT, " %.0f |", roundsFor(sd(s.get(key)), points, alpha, EFFECT, POWER)));
      }
      md.append('\n');
    }
    md.append(String.format(Locale.ROOT, "%nOn the layer API's training steps in the default configuration, what the detection "
        + "target is about, the pooled spread is %s; %s over every point. A canary narrows the spread, but the judgement "
        + "uses `%s` (`InterleavedResults.DEFAULT_CANARY`): \"The canary's role\" below measures why.%n",
        pooledList(byCanary.keySet(), spreads, DEFAULT_TRAINING), pooledList(byCanary.keySet(), spreads, ALL),
        chosen.name().toLowerCase(Locale.ROOT)));

    Map<String, double[]> spread = spreads.get(chosen);
    md.append(String.format(Locale.ROOT, "%n### Per point, over %s%n%nWhat each comparison measured (ratio candidate / "
        + "baseline, 95 %% interval; the verdict), and the predicted share of +%.0f %% slowdowns caught by a comparison of "
        + "that many rounds over %d points at a two-sided alpha %.2f.%n%n", label(chosen), 100 * (EFFECT - 1), points, alpha));
    md.append("| point | spread of a round |");
    runs.forEach(r -> md.append(" `").append(r.name()).append("` |"));
    for (int n : ROUNDS) {
      md.append(String.format(Locale.ROOT, " caught, %d rounds |", n));
    }
    md.append("\n|---|---:|").append("---|".repeat(runs.size())).append("---:|".repeat(ROUNDS.length)).append('\n');
    for (Map.Entry<String, double[]> e : spread.entrySet()) {
      if (e.getKey().endsWith("(pooled)") || e.getKey().equals(ALL)) {
        continue;
      }
      double sd = sd(e.getValue());
      md.append(String.format(Locale.ROOT, "| %s | %.1f %% |", e.getKey(), 100 * sd));
      for (Run r : runs) {
        InterleavedResults.Comparison c = InterleavedResults.byKey(r.comparisons()).get(e.getKey());
        md.append(c == null ? " not measured |" : String.format(Locale.ROOT, " %s %s |", c.ratio().format(),
            c.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
      }
      for (int n : ROUNDS) {
        md.append(String.format(Locale.ROOT, " %.0f %% |", 100 * power(sd, n, points, alpha, EFFECT)));
      }
      md.append('\n');
    }
    long falseCalls = aa.stream().mapToLong(r -> r.called(InterleavedResults.Verdict.SLOWER)).sum();
    long aaPoints = aa.stream().mapToLong(r -> r.comparisons().size()).sum();
    long missed = slowed.stream().mapToLong(r -> r.comparisons().size() - r.called(InterleavedResults.Verdict.SLOWER)).sum();
    long slowedPoints = slowed.stream().mapToLong(r -> r.comparisons().size()).sum();
    md.append(String.format(Locale.ROOT, "%nWithout a slowdown: %d of %d points called slower, in %d comparison(s). Injected "
        + "slowdowns: %d of %d points missed.%n", falseCalls, aaPoints, aa.size(), missed, slowedPoints));
    double forkSeconds = runs.stream().mapToDouble(Run::forkSeconds).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    double trainingSd = spread.containsKey(DEFAULT_TRAINING) ? sd(spread.get(DEFAULT_TRAINING)) : sd(spread.get(ALL));
    double perPoint = roundsFor(trainingSd, points, alpha, EFFECT, POWER);
    double suite = roundsFor(trainingSd, suiteTrainingPoints, alpha, EFFECT, POWER);
    md.append(String.format(Locale.ROOT, "%nCost: a fork takes about %.0f s here, so each point judged costs 2 x rounds forks: "
        + "%.1f min at 8 rounds. Judging only the points the first look flags costs little but catches no more than the first "
        + "look flags (the tables above). To catch %.0f %% of +%.0f %% slowdowns of the layer API's default training steps "
        + "(spread %.1f %% over %s) takes %.0f rounds for %d points (%.0f min a point) and %.0f rounds for every training step "
        + "of the full suite (%d, `INTERLEAVE_SCOPE=training`): %.0f min a night.%n", forkSeconds, 16 * forkSeconds / 60,
        100 * POWER, 100 * (EFFECT - 1), 100 * trainingSd, label(chosen), perPoint, points, 2 * perPoint * forkSeconds / 60,
        suite, suiteTrainingPoints, suiteTrainingPoints * 2 * suite * forkSeconds / 60));
    md.append(String.format(Locale.ROOT, "%n### Sentinels%n%n`INTERLEAVE_SCOPE=sentinels` measures the same points beside the "
        + "previous build every night, flagged or not (`Nightly.DEFAULT_SENTINELS`), in %d rounds by default; with the spread "
        + "of a round above (over %s) and a family of %d points, the predicted share of +%.0f %% slowdowns caught:%n%n",
        sentinelRounds, label(chosen), sentinels.size(), 100 * (EFFECT - 1)));
    List<RoleRow> resampled = byCanary.containsKey(Canary.COMPUTE) && chosen == Canary.NONE
        ? canaryRole(dirs, sentinels, sentinelRounds, ROLE_NIGHTS, 41) : List.of();
    RoleRow tenPercent = resampled.stream().filter(r -> r.stepChange() > 0 && r.canaryShift() == 0).findFirst().orElse(null);
    md.append("| sentinel | spread of a round | degrees of freedom | caught, predicted | rounds for 90 %, predicted | caught, "
        + "resampled |\n|---|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < sentinels.size(); i++) {
      String key = sentinels.get(i);
      double[] pooled = spread.get(key);
      if (pooled == null) {
        md.append("| ").append(key).append(" | not measured in these comparisons | | | | |\n");
        continue;
      }
      md.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.0f | %.0f %% | %.0f | %s |%n", key, 100 * sd(pooled), pooled[1],
          100 * power(sd(pooled), sentinelRounds, sentinels.size(), alpha, EFFECT),
          roundsFor(sd(pooled), sentinels.size(), alpha, EFFECT, POWER),
          tenPercent == null ? "n/a" : String.format(Locale.ROOT, "%.0f %%", 100 * tenPercent.rate(CanaryUse.FIGURES, i))));
    }
    md.append(String.format(Locale.ROOT, "%n\"Predicted\" assumes Holm's strictest step for both sentinels (alpha / 2 / %d, "
        + "a t approximation); \"resampled\" draws %d nights of %d rounds from the sentinels' recorded rounds with +%.0f %% "
        + "put in and judges them as the comparison does (Holm's later step lets the second sentinel in at alpha / 2), the "
        + "figure `Nightly.SENTINEL_ROUNDS` was chosen by.%n", sentinels.size(), ROLE_NIGHTS, sentinelRounds,
        100 * (EFFECT - 1)));
    md.append(String.format(Locale.ROOT, "%nA night's sentinels cost 2 x %d x %d forks, about %.0f min here. False alarms: the "
        + "comparison calls a point slower only when Holm's procedure rejects at a family-wise %.1f %% one-sided, so a night "
        + "of unchanged code fails at most that often; the A/A comparisons above called %d of %d points slower.%n",
        sentinels.size(), sentinelRounds, 2.0 * sentinels.size() * sentinelRounds * forkSeconds / 60, 50 * alpha, falseCalls,
        aaPoints));
    md.append(covariateSection(dirs, byCanary.keySet(), sentinels));
    if (byCanary.containsKey(Canary.COMPUTE)) {
      md.append(canaryRoleSection(dirs, sentinels, sentinelRounds));
    }
    return md.toString();
  }

  /** "9.7 % over `canary.compute`, 13.2 % over none" for one pooled key, "n/a" where none of the comparisons has it. */
  private static String pooledList(Set<Canary> canaries, Map<Canary, Map<String, double[]>> spreads, String key) {
    return canaries.stream().filter(c -> spreads.get(c).containsKey(key))
        .map(c -> String.format(Locale.ROOT, "%.1f %% over %s", 100 * sd(spreads.get(c).get(key)), label(c)))
        .reduce((a, b) -> a + ", " + b).orElse("n/a");
  }

  private static String label(Canary c) {
    return c == Canary.NONE ? "none" : "`" + c.metric() + "`";
  }

  /**
   * The canary as a covariate with an estimated coefficient (CUPED, Deng et al. 2013; ANCOVA's
   * slope) against the judgement's fixed coefficient of 1 (dividing by it), on the recorded
   * rounds: per round, y = log ratio of the figures, x = log ratio of the canaries, each centred
   * on its comparison's mean (the comparison's own ratio is not noise). The coefficient is
   * theta = sum xy / sum xx; its spread is also given with theta estimated leaving each
   * comparison out, so that no round judges itself.
   */
  static String covariateSection(List<Path> dirs, Set<Canary> measured, List<String> sentinels) throws IOException {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### The canary as a covariate%n%nWhat dividing by the "
        + "canary (a fixed coefficient of 1) and an estimated coefficient (CUPED: y - theta x, theta = sum xy / sum xx, "
        + "y and x a round's log ratio of the figures and of the canaries, each centred on its comparison) do to a round's "
        + "spread, over every recorded round of the comparisons above; \"held out\" estimates theta without the "
        + "comparison the round belongs to.%n%n| canary | points | rounds | correlation | theta | spread, none | spread, "
        + "coefficient 1 | spread, theta | spread, theta held out | variance kept, coefficient 1 | variance kept, theta held "
        + "out |%n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n"));
    for (Canary canary : Canary.values()) {
      if (canary == Canary.NONE || !measured.contains(canary)) {
        continue;
      }
      List<double[]> all = new ArrayList<>();
      List<double[]> sentinelRounds = new ArrayList<>();
      for (int d = 0; d < dirs.size(); d++) {
        Map<String, double[]> none = InterleavedResults.roundLogRatios(dirs.get(d), Canary.NONE);
        Map<String, double[]> over = InterleavedResults.roundLogRatios(dirs.get(d), canary);
        for (Map.Entry<String, double[]> e : none.entrySet()) {
          double[] y = e.getValue();
          double[] yOver = over.get(e.getKey());
          double my = Arrays.stream(y).average().orElseThrow();
          double mx = 0;
          for (int i = 0; i < y.length; i++) {
            mx += (y[i] - yOver[i]) / y.length;
          }
          for (int i = 0; i < y.length; i++) {
            double[] round = {d, y[i] - yOver[i] - mx, y[i] - my};
            all.add(round);
            if (sentinels.contains(e.getKey())) {
              sentinelRounds.add(round);
            }
          }
        }
      }
      md.append(covariateRow(canary, "the sentinels", sentinelRounds)).append(covariateRow(canary, "every point", all));
    }
    return md.append(String.format(Locale.ROOT, "%nA coefficient below 1 means the canary moves more than the step does with "
        + "the machine, so dividing by it adds the canary's own noise; where the held-out spread is smaller than the "
        + "coefficient-1 spread, an estimated coefficient would narrow the comparison's intervals by that much.%n")).toString();
  }

  static String covariateRow(Canary canary, String points, List<double[]> rounds) {
    if (rounds.isEmpty()) {
      return "";
    }
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    double s1 = 0;
    for (double[] r : rounds) {
      sxx += r[1] * r[1];
      sxy += r[1] * r[2];
      syy += r[2] * r[2];
      s1 += (r[2] - r[1]) * (r[2] - r[1]);
    }
    double theta = sxy / sxx;
    double heldOut = 0;
    for (double[] r : rounds) {
      double a = 0;
      double b = 0;
      for (double[] q : rounds) {
        if (q[0] != r[0]) {
          a += q[1] * q[2];
          b += q[1] * q[1];
        }
      }
      double t = b > 0 ? a / b : 0;
      heldOut += (r[2] - t * r[1]) * (r[2] - t * r[1]);
    }
    int n = rounds.size();
    return String.format(Locale.ROOT, "| `%s` | %s | %d | %.2f | %.2f | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.0f %% | %.0f %% |%n",
        canary.metric(), points, n, sxy / Math.sqrt(sxx * syy), theta, 100 * Math.sqrt(syy / n), 100 * Math.sqrt(s1 / n),
        100 * Math.sqrt((syy - theta * sxy) / n), 100 * Math.sqrt(heldOut / n), 100 * s1 / syy, 100 * heldOut / syy);
  }

  /** What a judgement does with the canary, in the role table. */
  enum CanaryUse {
    FIGURES("the figures alone"), DIVIDED("divided by the canary"), ESTIMATED("estimated coefficient, guarded");

    final String label;

    CanaryUse(String label) {
      this.label = label;
    }

    /** The use that judging over {@code canary} makes of it (COMPUTE and MEMORY divide). */
    static CanaryUse of(Canary canary) {
      return canary == Canary.NONE ? FIGURES : DIVIDED;
    }
  }

  /**
   * One line of the role table.
   *
   * @param stepChange what the candidate does to the step (0.10: 10 % slower)
   * @param canaryShift what it does to the canary measured after the step (0.05: 5 % slower)
   * @param calledSlower per {@link CanaryUse} and sentinel, the share of nights it was called slower
   */
  record RoleRow(double stepChange, double canaryShift, double[][] calledSlower) {
    /** Over the sentinels: the share of sentinel-nights called slower. */
    double rate(CanaryUse use) {
      return Arrays.stream(calledSlower[use.ordinal()]).average().orElseThrow();
    }

    double rate(CanaryUse use, int sentinel) {
      return calledSlower[use.ordinal()][sentinel];
    }
  }

  static final double[] CANARY_SHIFTS = {-0.10, -0.05, -0.03, 0, 0.03, 0.05, 0.10};

  /**
   * Whether the canary can fake or cancel a slowdown, measured on the recorded rounds: nights of
   * {@code rounds} rounds are drawn from each sentinel's recorded rounds (each comparison centred
   * on its own mean, so only the round-to-round spread is kept; a round keeps its figures' ratio,
   * its ratio over the canary and the canary's own ratio together), the candidate moves the step
   * by 0 or +10 % and the canary by each of {@link #CANARY_SHIFTS} (a change that leaves threads
   * spinning after the step slows a canary timed after it), and each night is judged as the
   * comparison judges: a paired ratio per sentinel, Holm over the sentinels, 2.5 % a direction.
   * ESTIMATED regresses the figures' log ratios on the canary's (ANCOVA; the intercept's t test,
   * n - 2 degrees of freedom) unless the canary's own 95 % interval excludes 1, where it judges
   * the figures alone.
   */
  static List<RoleRow> canaryRole(List<Path> dirs, List<String> sentinels, int rounds, int nights, long seed) throws IOException {
    List<List<double[]>> recorded = new ArrayList<>(); // per sentinel: rounds of {figures, over the canary, canary}
    for (String key : sentinels) {
      List<double[]> pooled = new ArrayList<>();
      for (Path d : dirs) {
        double[] figures = InterleavedResults.roundLogRatios(d, Canary.NONE).get(key);
        double[] over = InterleavedResults.roundLogRatios(d, Canary.COMPUTE).get(key);
        double[] canary = InterleavedResults.roundCanaryLogRatios(d).get(key);
        if (figures == null || over == null || canary == null) {
          continue;
        }
        double[] f = centred(figures);
        double[] o = centred(over);
        double[] c = centred(canary);
        for (int i = 0; i < f.length; i++) {
          pooled.add(new double[] {f[i], o[i], c[i]});
        }
      }
      if (pooled.size() < 2) {
        throw new IllegalArgumentException(key + ": no recorded rounds with the canary in " + dirs);
      }
      recorded.add(pooled);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<RoleRow> out = new ArrayList<>();
    for (double step : new double[] {0, EFFECT - 1}) {
      for (double shift : CANARY_SHIFTS) {
        double[][] called = new double[CanaryUse.values().length][sentinels.size()];
        for (int n = 0; n < nights; n++) {
          double[][] p = new double[CanaryUse.values().length][sentinels.size()];
          for (int s = 0; s < sentinels.size(); s++) {
            double[] figures = new double[rounds];
            double[] over = new double[rounds];
            double[] canary = new double[rounds];
            for (int r = 0; r < rounds; r++) {
              double[] round = recorded.get(s).get(random.nextInt(recorded.get(s).size()));
              figures[r] = round[0] + Math.log1p(step);
              over[r] = round[1] + Math.log1p(step) - Math.log1p(shift);
              canary[r] = round[2] + Math.log1p(shift);
            }
            p[CanaryUse.FIGURES.ordinal()][s] = pSlower(figures);
            p[CanaryUse.DIVIDED.ordinal()][s] = pSlower(over);
            p[CanaryUse.ESTIMATED.ordinal()][s] = pSlowerEstimated(figures, canary);
          }
          for (CanaryUse use : CanaryUse.values()) {
            boolean[] slower = PairedRatio.holm(p[use.ordinal()], 0.05 / 2);
            for (int s = 0; s < slower.length; s++) {
              called[use.ordinal()][s] += slower[s] ? 1.0 / nights : 0;
            }
          }
        }
        out.add(new RoleRow(step, shift, called));
      }
    }
    return out;
  }

  private static double[] centred(double[] v) {
    double mean = Arrays.stream(v).average().orElseThrow();
    return Arrays.stream(v).map(x -> x - mean).toArray();
  }

  /** The paired ratio's one-sided p-value of "slower" over rounds' log ratios. */
  private static double pSlower(double[] logRatios) {
    double[] one = new double[logRatios.length];
    Arrays.fill(one, 1);
    return PairedRatio.of(one, Arrays.stream(logRatios).map(Math::exp).toArray(), 0.95)
        .pSlower();
  }

  private static double pSlowerEstimated(double[] figures, double[] canary) {
    double[] one = new double[canary.length];
    Arrays.fill(one, 1);
    PairedRatio own = PairedRatio.of(one,
        Arrays.stream(canary).map(Math::exp).toArray(), 0.95);
    if (own.low() > 1 || own.high() < 1) {
      return pSlower(figures);
    }
    SimpleRegression fit = new SimpleRegression();
    for (int i = 0; i < figures.length; i++) {
      fit.addData(canary[i], figures[i]);
    }
    double t = fit.getIntercept() / fit.getInterceptStdErr();
    return 1 - new TDistribution(null, figures.length - 2.0).cumulativeProbability(t);
  }

  static String canaryRoleSection(List<Path> dirs, List<String> sentinels, int rounds) throws IOException {
    List<RoleRow> rows = canaryRole(dirs, sentinels, rounds, ROLE_NIGHTS, 41);
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### The canary's role%n%nThe canary runs in the "
        + "measured JVM right after each iteration, so the change under test can move it: threads left spinning after the "
        + "step, more garbage to collect. What that does to the judgement, on the sentinels' recorded rounds above (each "
        + "comparison centred on its own mean): %d simulated nights of %d rounds each, drawn from those rounds, with the "
        + "candidate moving the step by 0 or +%.0f %% and the canary by the amount in the first column; each night judged "
        + "as the comparison judges (a paired ratio per sentinel, Holm over the %d sentinels, 2.5 %% a direction) on the "
        + "figures alone, on the figures divided by the canary, and with an estimated coefficient (ANCOVA's intercept, "
        + "used only where the canary's own 95 %% interval contains 1). The share of sentinel-nights called slower:%n%n",
        ROLE_NIGHTS, rounds, 100 * (EFFECT - 1), sentinels.size()));
    md.append("| the change moves the canary by |");
    for (CanaryUse use : CanaryUse.values()) {
      md.append(" no slowdown, ").append(use.label).append(" |");
    }
    for (CanaryUse use : CanaryUse.values()) {
      md.append(" +10 %, ").append(use.label).append(" |");
    }
    md.append("\n|---:|").append("---:|".repeat(2 * CanaryUse.values().length)).append('\n');
    int half = rows.size() / 2;
    for (int i = 0; i < half; i++) {
      md.append(String.format(Locale.ROOT, "| %+.0f %% |", 100 * rows.get(i).canaryShift()));
      for (RoleRow r : List.of(rows.get(i), rows.get(i + half))) {
        for (CanaryUse use : CanaryUse.values()) {
          md.append(String.format(Locale.ROOT, " %.3f |", r.rate(use)));
        }
      }
      md.append('\n');
    }
    CanaryUse chosen = CanaryUse.of(InterleavedResults.DEFAULT_CANARY);
    double worstFalse = rows.subList(0, half).stream().mapToDouble(r -> r.rate(chosen)).max().orElseThrow();
    double worstCaught = rows.subList(half, rows.size()).stream().mapToDouble(r -> r.rate(chosen)).min().orElseThrow();
    return md.append(String.format(Locale.ROOT, "%nThe judgement uses %s (`InterleavedResults.DEFAULT_CANARY`): over every "
        + "canary shift above it calls unchanged code slower on at most %.1f %% of sentinel-nights and catches at least "
        + "%.0f %% of 10 %% slowdowns in %d rounds. A judgement whose first columns grow, or whose last fall, as the canary "
        + "moves can be faked or cancelled by the change it judges; the canary's own ratio stays in each comparison's "
        + "summary as a diagnostic.%n", chosen.label, 100 * worstFalse, 100 * worstCaught, rounds)).toString();
  }

  static final int ROLE_NIGHTS = 2000;
}
