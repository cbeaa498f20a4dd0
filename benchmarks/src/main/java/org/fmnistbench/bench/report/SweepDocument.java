package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.params;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.fmnistbench.results.JmhJson;
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
        .append("first configuration's at batch 32, same engine and variant (below 1 is faster), with its 95 % interval ")
        .append("(Fieller, over fork means), unpaired: the configurations ran in separate blocks, so the machine's drift ")
        .append("between them is not in the interval and no difference is claimed from it (`--rounds` pairs them: each ")
        .append("round's ratio below)")
        .append(rounds > 1 ? "; this table is round 1 of " + rounds + ", the rounds follow below.\n\n" : ".\n\n")
        .append("| configuration | settings | engine | variant | batch | train, us/sample | inference, us/sample | relative train |\n")
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
            base.map(b -> RatioInterval.of(train.samples(), b.samples(), 0.95).formatUnpaired()).orElse("n/a")));
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
}
