package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.params;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.RatioInterval;
import org.fmnistbench.variants.Variant;

/**
 * COMPARISON.md below its header: stock DL4J, the suite's default on both engines, DJL on PyTorch
 * (the Java peer, in the same JMH run) and the Python PyTorch reference, per variant, with each
 * ratio's 95 % interval. Rendered from the measurements alone,
 * so a test checks it without running JMH or PyTorch.
 */
public final class ComparisonDocument {
  /** The configurations compared, by id: DL4J out of the box, and the suite's default (RuntimeConfig's STOCK and DEFAULT). */
  public static final String STOCK = "stock";
  public static final String DEFAULT = "default";

  private ComparisonDocument() {}

  /**
   * The document's body.
   *
   * @param byConfig the JMH points by configuration id (default, with the DJL engine's, and stock)
   * @param torch per variant id, PyTorch's {train, inference} samples (absent when it could not run)
   * @param torchProcesses how many processes PyTorch ran as (its forks)
   * @param settings a configuration's settings as its run recorded them
   * @param notes what else the reader must know (PyTorch's version and threads, what was not measured)
   */
  public static String body(Map<String, List<JmhJson.Point>> byConfig, Map<String, ForkSamples[]> torch, List<Variant> variants,
      int batch, int torchProcesses, Function<String, String> settings, List<String> notes) {
    StringBuilder md = new StringBuilder();
    md.append("Microseconds per sample at batch ").append(batch).append(", one run on one machine: DL4J through JMH ")
        .append("(`TrainStepBenchmarks`, `InferenceBenchmarks`), DJL on PyTorch through the same JMH benchmarks ")
        .append("(engine `djl-pytorch`, the same registry entries, its threads set to ND4J's), PyTorch from Python through ")
        .append("`benchmarks/pytorch/reference.py` ")
        .append("(the same layers, Adam, time-based warm-up, timed windows), run as ").append(torchProcesses)
        .append(" separate processes so that, like JMH's forks, its figure sees the variation between processes. ")
        .append("Each figure is the mean of its forks' (processes') means ± the 95 % interval over them; each ratio ")
        .append("has its 95 % interval (Fieller, over fork means). The sides were measured in separate blocks one after ")
        .append("another, not in paired rounds, so the machine's drift between the blocks (STABILITY.md) is not in these ")
        .append("intervals: they are unpaired, too narrow to claim a difference, and no ratio is marked; `BenchDriver ")
        .append("interleave` measures two builds in paired rounds. Lower is faster. ")
        .append("`stock` = DL4J out of the box (`").append(settings.apply(STOCK))
        .append("`); `default` = the suite's default (`").append(settings.apply(DEFAULT))
        .append("`).\n\n");
    for (String kind : List.of("trainStep", "inference")) {
      md.append("## ").append(kind.equals("trainStep") ? "Training" : "Inference").append("\n\n")
          .append("| variant | stock layer API | default layer API | default SameDiff | DJL (PyTorch) | PyTorch (Python) ")
          .append("| default layer API / stock | default layer API / DJL | default layer API / PyTorch | default SameDiff / PyTorch |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Variant v : variants) {
        ForkSamples stock = value(byConfig.get(STOCK), kind, v, "layer-api", batch);
        ForkSamples layer = value(byConfig.get(DEFAULT), kind, v, "layer-api", batch);
        ForkSamples sd = value(byConfig.get(DEFAULT), kind, v, "samediff", batch);
        ForkSamples djl = value(byConfig.get(DEFAULT), kind, v, "djl-pytorch", batch);
        ForkSamples[] t = torch.get(v.id());
        ForkSamples pt = t == null ? null : kind.equals("trainStep") ? t[0] : t[1];
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", v.id(), cell(stock),
            cell(layer), cell(sd), cell(djl), cell(pt), ratio(layer, stock), ratio(layer, djl), ratio(layer, pt), ratio(sd, pt)));
      }
      md.append('\n');
    }
    if (!notes.isEmpty()) {
      md.append("Notes:\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static String cell(ForkSamples s) {
    return s == null ? "n/a" : ResultTable.withInterval(s.interval());
  }

  private static String ratio(ForkSamples a, ForkSamples b) {
    return a == null || b == null ? "n/a" : RatioInterval.of(a, b, 0.95).formatUnpaired();
  }

  private static ForkSamples value(List<JmhJson.Point> points, String kind, Variant v, String engine, int batch) {
    if (points == null) {
      return null;
    }
    return JmhJson.find(points, kind, params("variant", v.name(), "engine", engine, "batchSize", batch))
        .map(JmhJson.Point::samples).orElse(null);
  }
}
