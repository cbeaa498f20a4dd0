package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fmnistbench.io.AtomicFiles;

/**
 * Results in formats other tools read. JMH's own JSON is kept unchanged in the history; this
 * adds github-action-benchmark's {@code customSmallerIsBetter} format (its JMH reader assumes
 * higher is better for every mode, which is wrong for AverageTime).
 */
public final class Exports {
  private Exports() {}

  /** Writes one {@code customSmallerIsBetter} entry per benchmark point, in us/sample. */
  public static void githubActionBenchmark(Map<String, BenchResults.Point> points, String backend, Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BenchResults.Point p : points.values()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", p.benchmark() + " " + p.variant() + " batch " + p.batchSize() + " (" + backend + ")");
      e.put("unit", "us/sample");
      e.put("value", p.score());
      if (!Double.isNaN(p.error())) {
        e.put("range", String.format(Locale.ROOT, "± %.2f", p.error()));
      }
      e.put("extra", "JMH AverageTime, samples metric; raw iterations: " + p.raw().size());
      out.add(e);
    }
    AtomicFiles.writeJson(file, out);
  }
}
