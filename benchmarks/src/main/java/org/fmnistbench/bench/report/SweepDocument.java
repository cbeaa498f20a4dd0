package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.params;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.stats.PairedRatio;
import org.fmnistbench.stats.RatioInterval;
import org.fmnistbench.variants.Variant;

/**
 * A sweep's document below its header: training and inference per configuration with each
 * configuration's train time relative to the first one's, and, over several rounds, the rounds'
 * table. Rendered from the points alone, so a test checks it without running JMH.
 */
public final class SweepDocument {
  private SweepDocument() {}

  /**
   * The document's body.
   *
   * @param byConfig each configuration's points of round 1 (the first configuration's with its batch sweep)
   * @param byRound each configuration's points per round
   * @param first the configuration the others are relative to
   * @param settings a configuration's settings as its run recorded them
   * @param notes what could not be measured
   */
  public static String body(Map<String, List<JmhJson.Point>> byConfig, Map<String, List<List<JmhJson.Point>>> byRound,
      int rounds, String first, Function<String, String> settings, List<String> notes) {
    StringBuilder md = new StringBuilder();
    md.append("Training step and inference, microseconds per sample (mean of fork means ± 95 % interval over forks), each ")
        .append("configuration in its own JVMs, one after another on the same machine. Relative: train time over the ")
        .append("first configuration's at batch 32, same engine and variant (below 1 is faster), ");
    if (rounds > 1) {
      md.append("paired: the geometric mean of the ").append(rounds).append(" rounds' ratios (each round ran every ")
          .append("configuration once, so the machine's drift slower than a round cancels from a round's ratio) with a 95 % ")
          .append("t interval over the rounds, marked * where it excludes 1; the other batch sizes ran once, apart, so ")
          .append("theirs are unpaired (Fieller, over fork means) and claim nothing. The figures are round 1 of ")
          .append(rounds).append("; the rounds follow below.\n\n");
    } else {
      md.append("with its 95 % interval (Fieller, over fork means), unpaired: the configurations ran in separate blocks, ")
          .append("so the machine's drift between them is not in the interval and no difference is claimed from it ")
          .append("(`--rounds` pairs them).\n\n");
    }
    md.append("| configuration | settings | engine | variant | batch | train, us/sample | inference, us/sample | relative train |\n")
        .append("|---|---|---|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, List<JmhJson.Point>> e : byConfig.entrySet()) {
      for (JmhJson.Point train : e.getValue().stream().filter(p -> p.method().equals("trainStep")).toList()) {
        Map<String, String> key = params("variant", train.param("variant"), "engine", train.param("engine"),
            "batchSize", train.param("batchSize"));
        Optional<JmhJson.Point> inf = JmhJson.find(e.getValue(), "inference", key);
        Optional<JmhJson.Point> base = Optional.ofNullable(byConfig.get(first)).flatMap(b -> JmhJson.find(b, "trainStep",
            params("variant", train.param("variant"), "engine", train.param("engine"), "batchSize", "32")));
        md.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | %s | %s | %s |%n", e.getKey(),
            settings.apply(e.getKey()), train.param("engine"),
            Variant.valueOf(train.param("variant")).id(), train.param("batchSize"),
            ResultTable.withInterval(train.interval()),
            inf.map(p -> ResultTable.withInterval(p.interval())).orElse("n/a"),
            base.map(b -> rounds > 1 && train.param("batchSize").equals("32")
                ? paired(byRound, e.getKey(), first, train).orElse("n/a (not in every round)")
                : RatioInterval.of(train.samples(), b.samples(), 0.95).formatUnpaired()).orElse("n/a")));
      }
    }
    if (rounds > 1) {
      md.append(SweepRounds.rounds(byRound, first));
    }
    if (!notes.isEmpty()) {
      md.append("\nNot measured:\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  /** A training point's train time over the first configuration's, paired over the rounds; empty if a round lacks either. */
  private static Optional<String> paired(Map<String, List<List<JmhJson.Point>>> byRound, String config, String first,
      JmhJson.Point train) {
    if (config.equals(first)) {
      return Optional.of("1 (the reference)");
    }
    List<List<JmhJson.Point>> these = byRound.get(config);
    List<List<JmhJson.Point>> base = byRound.get(first);
    if (these == null || base == null || these.size() != base.size()) {
      return Optional.empty();
    }
    Map<String, String> key = params("variant", train.param("variant"), "engine", train.param("engine"), "batchSize", "32");
    double[] a = new double[these.size()];
    double[] b = new double[these.size()];
    for (int r = 0; r < these.size(); r++) {
      Optional<JmhJson.Point> x = JmhJson.find(these.get(r), "trainStep", key);
      Optional<JmhJson.Point> y = JmhJson.find(base.get(r), "trainStep", key);
      if (x.isEmpty() || y.isEmpty()) {
        return Optional.empty();
      }
      a[r] = x.get().usPerSample();
      b[r] = y.get().usPerSample();
    }
    return Optional.of(PairedRatio.of(b, a, 0.95).formatMarked());
  }
}
