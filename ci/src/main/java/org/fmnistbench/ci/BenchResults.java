package org.fmnistbench.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-sample figures of one JMH JSON result file, keyed by benchmark, variant and batch
 * size, with JMH's raw per-iteration samples (what the regression test compares).
 */
public final class BenchResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchResults() {}

  /**
   * One benchmark point.
   *
   * @param benchmark method name (trainStep, inference, epoch)
   * @param variant registry id
   * @param batchSize minibatch size
   * @param score JMH's mean, microseconds per sample
   * @param error JMH's 99.9 % half-width, or NaN when it could not compute one
   * @param raw every iteration's value of every fork, microseconds per sample
   */
  public record Point(String benchmark, String variant, String engine, int batchSize, double score, double error,
      List<Double> raw) {
    /** benchmark/variant/bN for the layer API (as history has always named it), benchmark/variant/engine/bN otherwise. */
    public String key() {
      return benchmark + "/" + variant + (engine.equals("layer-api") ? "" : "/" + engine) + "/b" + batchSize;
    }
  }

  /** Reads the {@code samples} metric of every benchmark in a JMH JSON file. */
  public static Map<String, Point> read(Path jmhJson) throws IOException {
    Map<String, Point> out = new LinkedHashMap<>();
    for (JsonNode r : JSON.readTree(jmhJson.toFile())) {
      String method = r.path("benchmark").asText();
      JsonNode samples = r.path("secondaryMetrics").path("samples");
      if (samples.isMissingNode()) {
        continue; // not one of the suite's benchmarks
      }
      String variantName = r.path("params").path("variant").asText();
      String variant = variantName.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      List<Double> raw = new ArrayList<>();
      for (JsonNode fork : samples.path("rawData")) {
        for (JsonNode v : fork) {
          raw.add(v.asDouble());
        }
      }
      JsonNode err = samples.path("scoreError");
      Point p = new Point(method.substring(method.lastIndexOf('.') + 1), variant,
          r.path("params").path("engine").asText("layer-api"), r.path("params").path("batchSize").asInt(), samples.path("score").asDouble(),
          err.isNumber() ? err.asDouble() : Double.NaN, raw);
      out.put(p.key(), p);
    }
    return out;
  }
}
