package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.results.RunMetadata;

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
      org.fmnistbench.results.InterleaveDesign design = InterleavedResults.design(dir);
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
        .append("(`--interleaved-canary`, default `").append(chosen.name().toLowerCase(Locale.ROOT)).append("`): a stretch of a ")
        .append("slower machine that falls on one side of a round slows that side's canary too. Comparisons measured on this ")
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
    rows.sort(java.util.Comparator.comparingInt((String k) -> k.equals(ALL) ? 2 : k.endsWith("(pooled)") ? 1 : 0));
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
    md.append(String.format(Locale.ROOT, "%nThe judgement divides by `%s` by default (`InterleavedResults.DEFAULT_CANARY`), "
        + "chosen on the layer API's training steps in the default configuration, what the detection target is about: "
        + "pooled spread %s there; %s over every point.%n", chosen.name().toLowerCase(Locale.ROOT),
        pooledList(byCanary.keySet(), spreads, DEFAULT_TRAINING), pooledList(byCanary.keySet(), spreads, ALL)));

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
    md.append("| sentinel | spread of a round | degrees of freedom | caught | rounds for 90 % |\n|---|---:|---:|---:|---:|\n");
    for (String key : sentinels) {
      double[] pooled = spread.get(key);
      if (pooled == null) {
        md.append("| ").append(key).append(" | not measured in these comparisons | | | |\n");
        continue;
      }
      md.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.0f | %.0f %% | %.0f |%n", key, 100 * sd(pooled), pooled[1],
          100 * power(sd(pooled), sentinelRounds, sentinels.size(), alpha, EFFECT),
          roundsFor(sd(pooled), sentinels.size(), alpha, EFFECT, POWER)));
    }
    md.append(String.format(Locale.ROOT, "%nA night's sentinels cost 2 x %d x %d forks, about %.0f min here. False alarms: the "
        + "comparison calls a point slower only when Holm's procedure rejects at a family-wise %.1f %% one-sided, so a night "
        + "of unchanged code fails at most that often; the A/A comparisons above called %d of %d points slower.%n",
        sentinels.size(), sentinelRounds, 2.0 * sentinels.size() * sentinelRounds * forkSeconds / 60, 50 * alpha, falseCalls,
        aaPoints));
    md.append(covariateSection(dirs, byCanary.keySet(), sentinels));
    return md.toString();
  }

  /** "9.7 % over `canary.compute`, 13.2 % over none" for one pooled key, "n/a" where none of the comparisons has it. */
  private static String pooledList(java.util.Set<Canary> canaries, Map<Canary, Map<String, double[]>> spreads, String key) {
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
  static String covariateSection(List<Path> dirs, java.util.Set<Canary> measured, List<String> sentinels) throws IOException {
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
          double my = java.util.Arrays.stream(y).average().orElseThrow();
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
}
