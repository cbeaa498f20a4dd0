package org.fmnistbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.variants.Variant;

/**
 * Reads JMH's JSON results and sets our per-sample figures beside the article's "us/step":
 * training steps and epochs against the article's training us/step, inference against its
 * evaluate us/step. The ratio is ours / article's (above 1: we are slower).
 */
public final class ResultTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One benchmark result with its comparison. */
  public record Row(String variant, String benchmark, String engine, String backend, int batchSize, double usPerSample,
      double usPerSampleError, double usPerBatch, Double articleUsPerSample, String articleHardware,
      Double peakRssMiB) {

    public Optional<Double> ratio() {
      return Optional.ofNullable(articleUsPerSample).map(a -> usPerSample / a);
    }
  }

  private ResultTable() {}

  /** The rows of one JMH JSON result file. */
  public static List<Row> read(Path jmhJson, String backend, ArticleFigures article) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (JsonNode r : JSON.readTree(jmhJson.toFile())) {
      String method = r.path("benchmark").asText();
      String kind = method.substring(method.lastIndexOf('.') + 1);
      JsonNode params = r.path("params");
      Variant variant = Variant.valueOf(params.path("variant").asText());
      int batch = params.path("batchSize").asInt();
      JsonNode samples = r.path("secondaryMetrics").path("samples");
      if (samples.isMissingNode()) {
        throw new IOException(jmhJson + ": " + method + " has no 'samples' metric; was it run by this suite's benchmarks?");
      }
      Optional<ArticleFigures.Row> a = article.of(variant);
      Double articleUs = a.map(x -> kind.equals("inference") ? x.evalUsPerSample() : x.trainUsPerSample()).orElse(null);
      JsonNode rss = r.path("secondaryMetrics").path("peak.host.rss");
      String engine = params.path("engine").asText("layer-api");
      rows.add(new Row(variant.id(), kind, engine, backend, batch, samples.path("score").asDouble(),
          finiteOrNaN(samples.path("scoreError")), r.path("primaryMetric").path("score").asDouble(),
          articleUs, a.map(ArticleFigures.Row::hardware).orElse(""),
          rss.isMissingNode() ? null : rss.path("score").asDouble()));
    }
    return rows;
  }

  private static double finiteOrNaN(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN; // JMH writes "NaN" as a string with one iteration
  }

  /** A Markdown table of the rows. */
  public static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| variant | benchmark | engine | backend | batch | ours, us/sample | ours, us/batch | article, us/step | article hardware | ratio ours/article | peak RSS, MiB |\n");
    sb.append("|---|---|---|---|---:|---:|---:|---:|---|---:|---:|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %.0f | %s | %s | %s | %s |%n",
          r.variant(), r.benchmark(), r.engine(), r.backend(), r.batchSize(),
          Double.isNaN(r.usPerSampleError())
              ? String.format(Locale.ROOT, "%.1f", r.usPerSample())
              : String.format(Locale.ROOT, "%.1f ± %.1f", r.usPerSample(), r.usPerSampleError()),
          r.usPerBatch(),
          r.articleUsPerSample() == null ? "n/a" : String.format(Locale.ROOT, "%.0f", r.articleUsPerSample()),
          r.articleHardware().isEmpty() ? "n/a" : r.articleHardware(),
          r.ratio().map(x -> String.format(Locale.ROOT, "%.2f", x)).orElse("n/a"),
          r.peakRssMiB() == null ? "n/a" : String.format(Locale.ROOT, "%.0f", r.peakRssMiB())));
    }
    return sb.toString();
  }
}
