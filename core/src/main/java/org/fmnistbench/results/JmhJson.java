package org.fmnistbench.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.MeanInterval;
import org.fmnistbench.variants.Variant;

/**
 * JMH's JSON result file, read into plain records: the one reader of it for the generated
 * reports, the stability experiment and the nightly history.
 */
public final class JmhJson {
  /** The system property a fork's runtime configuration is named by (what NativeRuntime reads). */
  public static final String RUNTIME_PROPERTY = "suite.runtime";
  /** The engine of results written before the engine parameter existed: DL4J's layer API. */
  public static final String ENGINE_WHEN_UNNAMED = "layer-api";
  /** The canary profiler's metrics (benchmarks' CanaryProfiler): a plain-Java kernel timed beside each iteration. */
  public static final String CANARY_COMPUTE = "canary.compute";
  public static final String CANARY_MEMORY = "canary.memory";
  private static final ObjectMapper JSON = new ObjectMapper();

  private JmhJson() {}

  /** The secondary metric of the suite's PeakMemoryProfiler: the forks' peak resident set, MiB. */
  public static final String PEAK_HOST_RSS = "peak.host.rss";

  /**
   * One benchmark point.
   *
   * @param method the benchmark method's simple name (trainStep, inference, forward...)
   * @param params JMH parameters (variant as the enum name, engine, batchSize, layer...)
   * @param usPerOp the primary score, microseconds per operation (one minibatch)
   * @param error its 99.9 % half-width, NaN when JMH gives none
   * @param usPerSample the {@code samples} secondary score, or NaN
   * @param secondary every secondary score by name (samples, profilers' metrics)
   * @param samples the {@code samples} metric's measured iterations per fork (us/sample), or null
   * @param iterationSeconds the length of one measured iteration, seconds (0 when unknown)
   * @param runtime the runtime configuration the forks ran ({@code -Dsuite.runtime=...}, "default" if none)
   * @param canary the canary profiler's measured iterations per fork, by metric; empty in results without it
   */
  public record Point(String method, Map<String, String> params, double usPerOp, double error, double usPerSample,
      Map<String, Double> secondary, ForkSamples samples, double iterationSeconds, String runtime,
      Map<String, ForkSamples> canary) {
    /** A point without raw iterations, runtime or canary: what a table needs. */
    public Point(String method, Map<String, String> params, double usPerOp, double error, double usPerSample,
        Map<String, Double> secondary) {
      this(method, params, usPerOp, error, usPerSample, secondary, null, 0, "default", Map.of());
    }

    public String param(String name) {
      return params.getOrDefault(name, "");
    }

    /** The engine parameter; results from before the SameDiff engine have none and are the layer API's. */
    public String engine() {
      return param("engine").isEmpty() ? ENGINE_WHEN_UNNAMED : param("engine");
    }

    /** The variant's registry id (JMH's parameter is the enum constant's name). */
    public String variantId() {
      return Variant.valueOf(param("variant")).id();
    }

    public int batchSize() {
      return Integer.parseInt(param("batchSize"));
    }

    /** The point's series, {@link #seriesKey} spelled. */
    public String seriesKey() {
      return JmhJson.seriesKey(method, variantId(), engine(), runtime, batchSize());
    }

    /** The peak resident set of the point's forks, MiB (the suite's PeakMemoryProfiler), or null in results without it. */
    public Double peakHostRssMib() {
      return secondary.get(PEAK_HOST_RSS);
    }

    /** The per-sample figure with its 95 % interval over fork means. */
    public MeanInterval interval() {
      if (samples == null) {
        throw new IllegalStateException(method + " " + params + " has no 'samples' metric");
      }
      return samples.interval();
    }
  }

  /**
   * The records of a JMH JSON result ({@code -rf json}); refused, naming the file, when it is not
   * one: another JSON, a cut-off file, a record without its benchmark or primary score.
   */
  public static List<Point> read(Path file) throws IOException {
    String what = file + " is not JMH's JSON result (-rf json, an array of benchmark records): ";
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(what + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IOException(what + "it holds " + (root == null || root.isMissingNode() ? "nothing"
          : "a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    List<Point> out = new ArrayList<>();
    for (JsonNode r : root) {
      if (!r.path("benchmark").isTextual() || !r.path("primaryMetric").has("score")) {
        throw new IOException(what + "record " + (out.size() + 1) + " has no 'benchmark' or no 'primaryMetric' score");
      }
      String benchmark = r.path("benchmark").asText();
      Map<String, String> params = new LinkedHashMap<>();
      r.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      JsonNode primary = r.path("primaryMetric");
      JsonNode samples = r.path("secondaryMetrics").path("samples");
      Map<String, Double> secondary = new LinkedHashMap<>();
      r.path("secondaryMetrics").fields().forEachRemaining(e -> secondary.put(e.getKey(), e.getValue().path("score").asDouble()));
      Map<String, ForkSamples> canary = new LinkedHashMap<>();
      for (String metric : List.of(CANARY_COMPUTE, CANARY_MEMORY)) {
        JsonNode m = r.path("secondaryMetrics").path(metric);
        if (!m.isMissingNode()) {
          canary.put(metric, forks(m.path("rawData"), file, benchmark + "'s '" + metric + "' metric"));
        }
      }
      out.add(new Point(benchmark.substring(benchmark.lastIndexOf('.') + 1), params,
          primary.path("score").asDouble(), number(primary.path("scoreError")),
          samples.isMissingNode() ? Double.NaN : samples.path("score").asDouble(), secondary,
          samples.isMissingNode() ? null : forks(samples.path("rawData"), file, benchmark + "'s 'samples' metric"),
          seconds(r.path("measurementTime").asText("")), runtime(r.path("jvmArgs")), Collections.unmodifiableMap(canary)));
    }
    return out;
  }

  private static ForkSamples forks(JsonNode rawData, Path file, String metric) throws IOException {
    List<double[]> forks = new ArrayList<>();
    for (JsonNode fork : rawData) {
      double[] values = new double[fork.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = fork.get(i).asDouble();
      }
      forks.add(values);
    }
    if (forks.isEmpty() || forks.stream().anyMatch(f -> f.length == 0)) {
      throw new IOException(file + ": " + metric + " has no raw iterations");
    }
    return new ForkSamples(forks);
  }

  /** The last {@code -Dsuite.runtime=} among the forks' JVM arguments: what they ran (later ones win in Java too). */
  static String runtime(JsonNode jvmArgs) {
    String id = "default";
    for (JsonNode a : jvmArgs) {
      if (a.asText().startsWith("-D" + RUNTIME_PROPERTY + "=")) {
        id = a.asText().substring(("-D" + RUNTIME_PROPERTY + "=").length());
      }
    }
    return id;
  }

  /** JMH writes times as "4 s", "500 ms"... */
  static double seconds(String jmhTime) {
    String[] parts = jmhTime.trim().split("\\s+");
    if (parts.length != 2) {
      return 0;
    }
    double v = Double.parseDouble(parts[0]);
    return switch (parts[1]) {
      case "s" -> v;
      case "ms" -> v / 1e3;
      case "us" -> v / 1e6;
      case "min" -> v * 60;
      default -> 0;
    };
  }

  /**
   * benchmark/variant/engine/runtime/bN: how a series is named wherever runs are compared (the
   * nightly history, its detector and dashboard, an interleaved comparison).
   */
  public static String seriesKey(String benchmark, String variantId, String engine, String runtime, int batchSize) {
    return benchmark + "/" + variantId + "/" + engine + "/" + runtime + "/b" + batchSize;
  }

  /**
   * A series key's parts: the one parser of {@link #seriesKey}'s spelling.
   *
   * @param benchmark the benchmark method (trainStep, inference, epoch)
   * @param variantId the registry id
   * @param engine the engine id
   * @param runtime the runtime configuration id
   * @param batchSize the minibatch size
   */
  public record SeriesKey(String benchmark, String variantId, String engine, String runtime, int batchSize) {
    private static final Pattern SPELLING =
        Pattern.compile("([A-Za-z]+)/([a-z0-9-]+)/([a-z0-9-]+)/([^/\\s;]+)/b([1-9][0-9]*)");

    public static SeriesKey parse(String key) {
      Matcher m = SPELLING.matcher(key.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + key + "' is not a point: expected benchmark/variant/engine/configuration/bN, "
            + "e.g. trainStep/cnn/layer-api/default/b32");
      }
      return new SeriesKey(m.group(1), m.group(2), m.group(3), m.group(4), Integer.parseInt(m.group(5)));
    }

    @Override
    public String toString() {
      return seriesKey(benchmark, variantId, engine, runtime, batchSize);
    }
  }

  /** The point of {@code method} whose parameters include all of {@code match}. */
  public static Optional<Point> find(List<Point> points, String method, Map<String, String> match) {
    return points.stream().filter(p -> p.method().equals(method))
        .filter(p -> match.entrySet().stream().allMatch(e -> e.getValue().equals(p.params().get(e.getKey()))))
        .findFirst();
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
