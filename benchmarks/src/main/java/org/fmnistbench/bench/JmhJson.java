package org.fmnistbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JMH's JSON result file, read into plain records for the generated reports. */
final class JmhJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JmhJson() {}

  /**
   * One benchmark point.
   *
   * @param method the benchmark method's simple name (trainStep, inference, forward...)
   * @param params JMH parameters (variant as the enum name, engine, batchSize, layer...)
   * @param usPerOp the primary score, microseconds per operation (one minibatch)
   * @param error its 99.9 % half-width, NaN when JMH gives none
   * @param usPerSample the {@code samples} secondary score, or NaN
   * @param secondary every secondary score by name (samples, profilers' metrics)
   */
  record Point(String method, Map<String, String> params, double usPerOp, double error, double usPerSample,
      Map<String, Double> secondary) {
    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  static List<Point> read(Path file) throws IOException {
    List<Point> out = new ArrayList<>();
    for (JsonNode r : JSON.readTree(file.toFile())) {
      String benchmark = r.path("benchmark").asText();
      Map<String, String> params = new LinkedHashMap<>();
      r.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      JsonNode primary = r.path("primaryMetric");
      JsonNode samples = r.path("secondaryMetrics").path("samples");
      Map<String, Double> secondary = new LinkedHashMap<>();
      r.path("secondaryMetrics").fields().forEachRemaining(e -> secondary.put(e.getKey(), e.getValue().path("score").asDouble()));
      out.add(new Point(benchmark.substring(benchmark.lastIndexOf('.') + 1), params,
          primary.path("score").asDouble(), number(primary.path("scoreError")),
          samples.isMissingNode() ? Double.NaN : samples.path("score").asDouble(), secondary));
    }
    return out;
  }

  /** The point of {@code method} whose parameters include all of {@code match}. */
  static Optional<Point> find(List<Point> points, String method, Map<String, String> match) {
    return points.stream().filter(p -> p.method().equals(method))
        .filter(p -> match.entrySet().stream().allMatch(e -> e.getValue().equals(p.params().get(e.getKey()))))
        .findFirst();
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
