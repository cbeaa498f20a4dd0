package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.PairedRatio;
import org.fmnistbench.stats.RatioInterval;
import org.fmnistbench.variants.Variant;

/**
 * COMPARISON.md below its header: stock DL4J, the suite's default on both engines, DJL on PyTorch
 * (the Java peer, in the same JMH run) and the Python PyTorch reference, per variant, with each
 * ratio's 95 % interval: paired over rounds where the sides ran in rounds ({@link #pairedBody}),
 * labelled unpaired where they ran in one block each ({@link #body}). Rendered from the
 * measurements alone, so a test checks it without running JMH or PyTorch.
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

  /**
   * One round of a paired comparison: every side once, one fork (process) each.
   *
   * @param byConfig the JMH points by configuration id
   * @param torch per variant id, PyTorch's {train, inference} samples of its one process (empty when it could not run)
   */
  public record Round(Map<String, List<JmhJson.Point>> byConfig, Map<String, ForkSamples[]> torch) {}

  /** The sides, in the table's order: the column's name and how a round's figure is found. */
  private record Side(String column, BiFunction<Round, String[], ForkSamples> figure) {}

  private static List<Side> sides(int batch) {
    return List.of(
        new Side("stock layer API", (r, k) -> value(r.byConfig().get(STOCK), k[0], variant(k[1]), "layer-api", batch)),
        new Side("default layer API", (r, k) -> value(r.byConfig().get(DEFAULT), k[0], variant(k[1]), "layer-api", batch)),
        new Side("default SameDiff", (r, k) -> value(r.byConfig().get(DEFAULT), k[0], variant(k[1]), "samediff", batch)),
        new Side("DJL (PyTorch)", (r, k) -> value(r.byConfig().get(DEFAULT), k[0], variant(k[1]), "djl-pytorch", batch)),
        new Side("PyTorch (Python)", (r, k) -> {
          ForkSamples[] t = r.torch().get(k[1]);
          return t == null ? null : k[0].equals("trainStep") ? t[0] : t[1];
        }));
  }

  private static Variant variant(String id) {
    return Variant.byId(id);
  }

  /** The ratios shown, as {numerator, denominator} indices into {@link #sides}. */
  private static final int[][] RATIOS = {{1, 0}, {1, 3}, {1, 4}, {2, 4}};

  /**
   * The document's body for a comparison measured in paired rounds: each figure the mean over
   * the rounds ± the 95 % t interval over them (a round's fork or process is its figure); each
   * ratio the geometric mean of the rounds' ratios with a 95 % t interval over them
   * ({@link PairedRatio}), marked {@code *} where that interval excludes 1.
   *
   * @param order each round's sides as measured, for the reader
   */
  public static String pairedBody(List<Round> rounds, List<String> order, long seed, List<Variant> variants, int batch,
      Function<String, String> settings, List<String> notes) {
    List<Side> sides = sides(batch);
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Microseconds per sample at batch %d on one machine, measured in %d paired rounds: in "
        + "each round every side ran once (DL4J and DJL on PyTorch through JMH's `TrainStepBenchmarks` and "
        + "`InferenceBenchmarks`, one fork per point; PyTorch from Python through `benchmarks/pytorch/reference.py`, one "
        + "process, the same layers, Adam, time-based warm-up, timed windows), the sides in an order that puts each first "
        + "equally often, shuffled by seed %d: %s. Each figure is the mean over the rounds ± the 95 %% interval over them; "
        + "each ratio is the geometric mean of the rounds' ratios with a 95 %% t interval over the rounds (paired: drift of "
        + "the machine slower than a round cancels from it), marked * where that interval excludes 1, each ratio at its own "
        + "95 %% (%d ratios in this document, so about one in twenty of those without a real difference would be marked by "
        + "chance). Lower is faster. `stock` = DL4J out of the box (`%s`); `default` = the suite's default (`%s`); DJL "
        + "runs in the default configuration's JVMs with its threads set to ND4J's.%n%n", batch, rounds.size(), seed,
        String.join("; ", order), 2 * variants.size() * RATIOS.length, settings.apply(STOCK), settings.apply(DEFAULT)));
    for (String kind : List.of("trainStep", "inference")) {
      md.append("## ").append(kind.equals("trainStep") ? "Training" : "Inference").append("\n\n| variant |");
      sides.forEach(s -> md.append(' ').append(s.column()).append(" |"));
      for (int[] r : RATIOS) {
        md.append(' ').append(sides.get(r[0]).column()).append(" / ").append(sides.get(r[1]).column()
            .replace(" layer API", "").replace(" (Python)", "").replace(" (PyTorch)", "")).append(" |");
      }
      md.append("\n|---|").append("---:|".repeat(sides.size() + RATIOS.length)).append('\n');
      for (Variant v : variants) {
        String[] key = {kind, v.id()};
        List<double[]> perSide = new ArrayList<>();
        md.append("| ").append(v.id()).append(" |");
        for (Side s : sides) {
          double[] figures = new double[rounds.size()];
          List<double[]> forks = new ArrayList<>();
          for (int r = 0; r < rounds.size() && figures != null; r++) {
            ForkSamples f = s.figure().apply(rounds.get(r), key);
            if (f == null) {
              figures = null;
            } else {
              figures[r] = f.mean();
              forks.addAll(f.forks());
            }
          }
          perSide.add(figures);
          md.append(' ').append(figures == null ? "n/a (not in every round)" : ResultTable.withInterval(new ForkSamples(forks)
              .interval(), "round")).append(" |");
        }
        for (int[] r : RATIOS) {
          double[] a = perSide.get(r[0]);
          double[] b = perSide.get(r[1]);
          if (a == null || b == null) {
            md.append(" n/a |");
            continue;
          }
          md.append(' ').append(PairedRatio.of(b, a, 0.95).formatMarked()).append(" |");
        }
        md.append('\n');
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
