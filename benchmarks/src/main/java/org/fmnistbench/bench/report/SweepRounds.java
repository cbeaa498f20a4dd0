package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.params;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.fmnistbench.results.JmhJson;

/** The sweep's table of interleaved rounds, rendered from the rounds' points. */
public final class SweepRounds {
  private SweepRounds() {}

  /**
   * The interleaved rounds: per configuration, engine and variant, the median and range of the
   * rounds' training and inference times, and of each round's train time over the first
   * configuration's in the same round.
   */
  public static String rounds(Map<String, List<List<JmhJson.Point>>> byRound, String first) {
    StringBuilder md = new StringBuilder("\n## Interleaved rounds\n\n")
        .append("Each round ran every configuration once, in the order above; medians over the rounds, [min-max] in ")
        .append("brackets, microseconds per sample. The per-round ratio compares configurations measured minutes apart, ")
        .append("so slow drift of the machine cancels out of it.\n\n")
        .append("| configuration | engine | variant | batch | rounds | train, us/sample | inference, us/sample | train / first configuration's, per round |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|\n");
    List<List<JmhJson.Point>> base = byRound.get(first);
    byRound.forEach((id, perRound) -> {
      for (JmhJson.Point p : perRound.get(0).stream().filter(q -> q.method().equals("trainStep")).toList()) {
        Map<String, String> key = params("variant", p.param("variant"), "engine", p.param("engine"),
            "batchSize", p.param("batchSize"));
        DescriptiveStatistics train = new DescriptiveStatistics();
        DescriptiveStatistics inference = new DescriptiveStatistics();
        DescriptiveStatistics ratio = new DescriptiveStatistics();
        for (int r = 0; r < perRound.size(); r++) {
          Optional<JmhJson.Point> t = JmhJson.find(perRound.get(r), "trainStep", key);
          t.ifPresent(x -> train.addValue(x.usPerSample()));
          JmhJson.find(perRound.get(r), "inference", key).ifPresent(x -> inference.addValue(x.usPerSample()));
          Optional<JmhJson.Point> b = base != null && r < base.size() ? JmhJson.find(base.get(r), "trainStep", key)
              : Optional.empty();
          if (t.isPresent() && b.isPresent()) {
            ratio.addValue(t.get().usPerSample() / b.get().usPerSample());
          }
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s | %s |%n", id, p.param("engine"),
            p.variantId(), p.param("batchSize"), train.getN(), medianRange(train, "%,.0f"),
            medianRange(inference, "%,.0f"), medianRange(ratio, "%.2f")));
      }
    });
    return md.toString();
  }

  private static String medianRange(DescriptiveStatistics s, String format) {
    if (s.getN() == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, format + " [" + format + "-" + format + "]", s.getPercentile(50), s.getMin(), s.getMax());
  }
}
