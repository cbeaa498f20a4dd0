package org.fmnistbench.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.results.RunFolder;
import org.fmnistbench.results.RunSpread;
import org.fmnistbench.stats.MeanInterval;
import org.fmnistbench.variants.Variant;

/**
 * Sets our per-sample figures beside the article's "us/step": training steps and epochs against
 * the article's training us/step, inference against its evaluate us/step. Our figure is the mean
 * of the fork means with its 95 % interval over forks (which includes the variation between
 * JVMs; none with one fork) and the median of the fork means. The ratio is ours / article's
 * (above 1: we are slower), its interval ours divided by the article's single figure.
 */
public final class ResultTable {

  /** One benchmark result with its comparison; {@code defaultConfig}: measured on the CPU in the suite's default configuration. */
  public record Row(String variant, String benchmark, String engine, String backend, int batchSize, MeanInterval perSample,
      double usPerBatch, Double articleUsPerSample, String articleHardware, Double peakRssMiB, boolean defaultConfig) {

    public double usPerSample() {
      return perSample.mean();
    }

    public Optional<Double> ratio() {
      return Optional.ofNullable(articleUsPerSample).map(a -> usPerSample() / a);
    }
  }

  private ResultTable() {}

  /** The rows of one JMH JSON result file. */
  public static List<Row> read(Path jmhJson, String backend, ArticleFigures article) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (JmhJson.Point p : JmhJson.read(jmhJson)) {
      if (p.samples() == null) {
        throw new IOException(jmhJson + ": " + p.method() + " has no 'samples' metric; was it run by this suite's benchmarks?");
      }
      Variant variant = Variant.valueOf(p.param("variant"));
      Optional<ArticleFigures.Row> a = article.of(variant);
      Double articleUs = a.map(x -> p.method().equals("inference") ? x.evalUsPerSample() : x.trainUsPerSample()).orElse(null);
      Double rss = p.peakHostRssMib();
      rows.add(new Row(variant.id(), p.method(), p.engine(), backend, p.batchSize(), p.interval(),
          p.usPerOp(), articleUs, a.map(ArticleFigures.Row::hardware).orElse(""), rss,
          backend.equals(RunFolder.CPU)));
    }
    return rows;
  }

  /** The relative half-width beyond which a figure's interval is given in words. */
  public static final double TOO_WIDE = 0.20;

  /** A Markdown table of the rows, without the run level. */
  public static String markdown(List<Row> rows) {
    return markdown(rows, Optional.empty());
  }

  /**
   * A Markdown table of the rows. The interval is within this run (over its forks); beside it,
   * how far the point moved between runs of the recorded A/A experiment, the level that interval
   * leaves out: another day's figure is compared against both, not against the interval alone.
   */
  public static String markdown(List<Row> rows, Optional<RunSpread> spread) {
    StringBuilder sb = new StringBuilder();
    sb.append("| variant | benchmark | engine | backend | batch | ours, us/sample (mean ± 95 % CI within this run, over its forks) ")
        .append("| between runs, sd (STABILITY.md) | median | forks ")
        .append("| ours, us/batch | article, us/step | article hardware | ratio ours/article [95 % CI] | peak RSS, MiB |\n");
    sb.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
    for (Row r : rows) {
      MeanInterval ci = r.perSample();
      String between = !r.defaultConfig() ? "n/a (the A/A experiment ran the CPU's default configuration)"
          : spread.flatMap(s -> s.find(r.benchmark(), r.variant(), r.engine(), r.batchSize()))
              .map(p -> String.format(Locale.ROOT, "±%.1f %% (%d runs)", 100 * p.relativeRunSd(), p.runs()))
              .orElse(spread.isPresent() ? "n/a (not in the A/A experiment)" : "n/a (no A/A experiment kept)");
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s | %.1f | %d | %.0f | %s | %s | %s | %s |%n",
          r.variant(), r.benchmark(), r.engine(), r.backend(), r.batchSize(), withInterval(ci), between, ci.median(), ci.forks(),
          r.usPerBatch(),
          r.articleUsPerSample() == null ? "n/a" : String.format(Locale.ROOT, "%.0f", r.articleUsPerSample()),
          r.articleHardware().isEmpty() ? "n/a" : r.articleHardware(),
          r.ratio().map(x -> ratio(x, ci, r.articleUsPerSample())).orElse("n/a"),
          r.peakRssMiB() == null ? "n/a" : String.format(Locale.ROOT, "%.0f", r.peakRssMiB())));
    }
    return sb.toString();
  }

  /**
   * "2,668.1 ± 41.2 (1.5 %)"; the mean alone, marked, when one fork gives no interval; and in
   * words when the interval is wider than {@link #TOO_WIDE} of the mean, where a number such as
   * "± 98 %" would suggest a precision the figure does not have.
   */
  public static String withInterval(MeanInterval ci) {
    return withInterval(ci, "fork");
  }

  /** The same where the interval is over other units than forks ({@code unit}: "round"). */
  public static String withInterval(MeanInterval ci, String unit) {
    if (Double.isNaN(ci.halfWidth())) {
      return String.format(Locale.ROOT, "%,.1f (1 %s: no interval)", ci.mean(), unit);
    }
    if (ci.relativeHalfWidth() > TOO_WIDE) {
      return String.format(Locale.ROOT, "%,.1f (its %d %ss cannot tell ±%.0f %% apart)", ci.mean(), ci.forks(), unit,
          100 * TOO_WIDE);
    }
    return String.format(Locale.ROOT, "%,.1f ± %,.1f (%.1f %%)", ci.mean(), ci.halfWidth(), 100 * ci.relativeHalfWidth());
  }

  private static String ratio(double ratio, MeanInterval ci, double article) {
    return Double.isNaN(ci.halfWidth()) ? String.format(Locale.ROOT, "%.2f", ratio)
        // a time is positive: an interval reaching below zero does not bound the ratio from below
        : String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", ratio, Math.max(0, ci.low()) / article, ci.high() / article);
  }
}
