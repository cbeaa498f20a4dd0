package org.fmnistbench.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.results.RunMetadata;

/**
 * DETECTOR.md's section on judging beside the previous build: what {@code BenchDriver
 * interleave} comparisons ({@link org.fmnistbench.stats.PairedRatio}) measured on this machine, of one build with itself (A/A: every point
 * called slower is a false alarm) and with a slowdown injected into the candidate (every point
 * not called slower is a miss), and, from the A/A spread of a round, the share of 10 % slowdowns
 * a comparison of a given number of rounds would catch, with what it costs.
 */
final class InterleavedCalibration {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int[] ROUNDS = {4, 8, 16, 24, 32};
  static final double EFFECT = 1.10;

  private InterleavedCalibration() {}

  /** One comparison folder, read. */
  record Run(Path dir, double slowdown, int rounds, double alpha, List<InterleavedResults.Comparison> comparisons, double forkSeconds) {
    static Run read(Path dir) throws IOException {
      JsonNode design = InterleavedResults.design(dir);
      List<InterleavedResults.Comparison> comparisons = InterleavedResults.analyse(dir);
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
      return new Run(dir, design.path("candidate_slowdown").asDouble(), design.path("rounds").asInt(),
          design.path("alpha").asDouble(0.05), comparisons, forkSeconds);
    }

    long called(InterleavedResults.Verdict v) {
      return comparisons.stream().filter(c -> c.verdict() == v).count();
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

  static String markdown(List<Path> dirs, int suiteTrainingPoints) throws IOException {
    List<Run> runs = new ArrayList<>();
    for (Path d : dirs) {
      runs.add(Run.read(d));
    }
    StringBuilder md = new StringBuilder("\n## Beside the previous build (interleaved)\n\n")
        .append("When the previous build's jar is at hand, `ci/nightly` measures the points to confirm beside it rather than ")
        .append("alone: `BenchDriver interleave` runs both jars in alternating rounds, one fork per point and build per round, ")
        .append("in random order, and calls a point slower when Holm's procedure over the night's points rejects \"not slower\" ")
        .append("on the rounds' log ratios (family-wise alpha below). The machine's drift between runs cancels within a round, ")
        .append("so the yardstick is the spread of one round's ratio, not the history's spread between nights. Comparisons ")
        .append("measured on this machine: a build with itself or with a build of the same benchmark code (no slowdown), and ")
        .append("with a TEST-ONLY slowdown injected into the candidate; each folder's summary.md names its command and jars:\n\n")
        .append("| comparison | injected slowdown | rounds | alpha | points | called slower | called faster | seconds per fork |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Run r : runs) {
      md.append(String.format(Locale.ROOT, "| `%s` | %.0f %% | %d | %.2f | %d | %d | %d | %.0f |%n", r.dir().getFileName(),
          100 * r.slowdown(), r.rounds(), r.alpha(), r.comparisons().size(), r.called(InterleavedResults.Verdict.SLOWER),
          r.called(InterleavedResults.Verdict.FASTER), r.forkSeconds()));
    }
    List<Run> aa = runs.stream().filter(r -> r.slowdown() == 0).toList();
    List<Run> slowed = runs.stream().filter(r -> r.slowdown() > 0).toList();
    if (aa.isEmpty()) {
      return md.append("\nNo A/A comparison among these: false alarms are not measured.\n").toString();
    }
    // per point: the spread of a round, pooled over every comparison (weighted by degrees of freedom):
    // a constant slowdown moves the rounds' log ratios, not their spread
    Map<String, double[]> spread = new LinkedHashMap<>(); // key -> {sum of (n-1) sd^2, sum of (n-1)}
    for (Run r : runs) {
      for (InterleavedResults.Comparison c : r.comparisons()) {
        double[] s = spread.computeIfAbsent(c.key(), k -> new double[2]);
        s[0] += (c.ratio().rounds() - 1) * c.ratio().logSd() * c.ratio().logSd();
        s[1] += c.ratio().rounds() - 1;
      }
    }
    int points = aa.get(0).comparisons().size();
    double alpha = aa.get(0).alpha();
    double forkSeconds = runs.stream().mapToDouble(Run::forkSeconds).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    md.append(String.format(Locale.ROOT, "%nPer point: the spread of a round (standard deviation of one round's log ratio, "
        + "pooled over all the comparisons above: a constant slowdown moves the ratios, not their spread), what each comparison measured (ratio candidate / baseline, 95 %% interval; "
        + "the verdict), and the predicted share of +%.0f %% slowdowns caught by a comparison of that many rounds over %d "
        + "points at a two-sided alpha %.2f (Holm's strictest step, alpha / 2 / %d; t approximation).%n%n",
        100 * (EFFECT - 1), points, alpha, points));
    md.append("| point | spread of a round |");
    runs.forEach(r -> md.append(" `").append(r.dir().getFileName()).append("` |"));
    for (int n : ROUNDS) {
      md.append(String.format(Locale.ROOT, " caught, %d rounds |", n));
    }
    md.append("\n|---|---:|").append("---|".repeat(runs.size())).append("---:|".repeat(ROUNDS.length)).append('\n');
    for (Map.Entry<String, double[]> e : spread.entrySet()) {
      double sd = Math.sqrt(e.getValue()[0] / e.getValue()[1]);
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
    md.append(String.format(Locale.ROOT, "%nCost: a fork takes about %.0f s here, so each point judged costs 2 x rounds forks: "
        + "%.1f min at 8 rounds. Judging only the points the first look flags costs little but catches no more than the first "
        + "look flags (the tables above); judging every training step of the full suite (%d, `INTERLEAVE_SCOPE=training`) "
        + "adds %.0f min a night at 8 rounds, %.0f min at 12.%n", forkSeconds, 16 * forkSeconds / 60, suiteTrainingPoints,
        suiteTrainingPoints * 16 * forkSeconds / 60, suiteTrainingPoints * 24 * forkSeconds / 60));
    return md.toString();
  }
}
