package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.stats.MeanInterval;

/**
 * Results in formats other tools read. JMH's own JSON is kept unchanged in the history; this
 * adds github-action-benchmark's {@code customSmallerIsBetter} format (its JMH reader assumes
 * higher is better for every mode, which is wrong for AverageTime).
 */
public final class Exports {
  private Exports() {}

  /**
   * Writes one {@code customSmallerIsBetter} entry per benchmark point, in us/sample. The name
   * holds every part of the series' identity (benchmark, variant, engine, runtime configuration,
   * batch, backend), so two engines or configurations of one run never share a series.
   */
  public static void githubActionBenchmark(Map<String, BenchResults.Point> points, String backend, Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BenchResults.Point p : points.values()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", name(p, backend));
      e.put("unit", "us/sample");
      e.put("value", p.score());
      MeanInterval ci = p.interval();
      if (!Double.isNaN(ci.halfWidth())) {
        e.put("range", String.format(Locale.ROOT, "± %.2f", ci.halfWidth()));
      }
      e.put("extra", String.format(Locale.ROOT, "mean of %d fork means (JMH AverageTime, samples metric), median %.2f; "
          + "range: 95 %% t interval over fork means", ci.forks(), ci.median()));
      out.add(e);
    }
    AtomicFiles.writeJson(file, out);
  }

  /** "trainStep cnn layer-api default batch 32 (cpu)". */
  static String name(BenchResults.Point p, String backend) {
    return p.benchmark() + " " + p.variant() + " " + p.engine() + " " + p.runtime() + " batch " + p.batchSize() + " (" + backend + ")";
  }

  /**
   * Writes one {@code customSmallerIsBetter} entry per counted point, in instructions per sample,
   * as a series of its own beside wall time: the name says "instructions" and the JIT setting and
   * CPU model it was counted with.
   */
  public static void githubActionBenchmarkCounts(CountResults run, Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (CountResults.Point p : run.points()) {
      if (!p.ok()) {
        continue;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", "instructions " + p.benchmark() + " " + p.variant() + " " + p.engine() + " batch " + p.batchSize()
          + " (" + run.setting().jit() + ", " + run.setting().cpu() + ")");
      e.put("unit", "instructions/sample");
      e.put("value", p.perSample(CountResults.INSTRUCTIONS));
      e.put("extra", "Callgrind, median of " + p.segments().size() + " counted operations; commit " + run.setting().commit());
      out.add(e);
    }
    AtomicFiles.writeJson(file, out);
  }
}
