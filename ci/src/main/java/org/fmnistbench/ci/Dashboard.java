package org.fmnistbench.ci;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.GateResult;
import org.fmnistbench.stats.MeanInterval;
import org.fmnistbench.variants.Variant;

/**
 * Writes the static dashboard: {@code index.html}, {@code data.js} (the history as a script,
 * since a page opened from disk may not fetch files) and the vendored charting libraries
 * (Chart.js with chartjs-chart-error-bars, installed from npm at build time). It opens from disk
 * with no server and no network.
 */
public final class Dashboard {
  static final String HTML = "index.html";
  static final String DATA = "data.js";
  /** Vendored file in the build -> name the page loads it by. */
  static final Map<String, String> VENDOR = Map.of(
      "chart.umd.js", "chart.umd.js",
      "index.umd.min.js", "chartjs-chart-error-bars.umd.min.js");
  private static final String K80 = "Tesla K80 (Colab)";
  private static final String PI = "Raspberry Pi";

  private Dashboard() {}

  /** Generates the dashboard for {@code history} into {@code out}. */
  public static void write(History history, ArticleFigures article, Path out) throws IOException {
    Files.createDirectories(out);
    for (String name : List.of(HTML)) {
      copyResource("/dashboard/" + name, out.resolve(name));
    }
    for (Map.Entry<String, String> v : VENDOR.entrySet()) {
      copyResource("/dashboard/vendor/" + v.getKey(), out.resolve(v.getValue()));
    }
    String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(data(history, article));
    AtomicFiles.writeString(out.resolve(DATA), "window.SUITE_DATA = " + json + ";\n");
  }

  private static void copyResource(String resource, Path target) throws IOException {
    try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("resource " + resource + " is missing from the build (npm install in ci/dashboard failed?)");
      }
      AtomicFiles.write(target, tmp -> Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING));
    }
  }

  /** Everything the page shows, as plain maps and lists. */
  static Map<String, Object> data(History history, ArticleFigures article) throws IOException {
    Map<String, Object> d = new LinkedHashMap<>();
    List<String> variants = new ArrayList<>();
    for (Variant v : Variant.suite()) {
      variants.add(v.id());
    }
    d.put("variants", variants);
    // series: device -> key (benchmark/variant/engine/runtime/bN) -> points over time
    Map<String, Map<String, List<Map<String, Object>>>> series = new TreeMap<>();
    Map<String, Map<String, List<Map<String, Object>>>> accuracy = new TreeMap<>();
    Map<String, Map<String, BenchResults.Point>> latest = new TreeMap<>();
    List<Map<String, Object>> flagged = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    for (History.Entry e : history.entries()) {
      String device = e.machine() + " / " + e.backend();
      String label = e.time() + " " + e.commit();
      runs.add(label);
      Map<String, String> flags = flags(e, device, label, flagged);
      Map<String, BenchResults.Point> points = BenchResults.read(e.jmh());
      latest.put(device, points);
      for (BenchResults.Point p : points.values()) {
        MeanInterval ci = p.interval();
        Map<String, Object> point = point(label, ci.mean(), ci.low(), ci.high());
        if (flags.containsKey(p.key())) {
          point.put("flag", flags.get(p.key()));
        }
        series.computeIfAbsent(device, k -> new TreeMap<>()).computeIfAbsent(p.key(), k -> new ArrayList<>()).add(point);
      }
      Optional<Path> gate = e.gate();
      if (gate.isPresent()) {
        for (GateResult g : GateResult.read(gate.get())) {
          // the error bar of an accuracy is the gate's accepted band
          Map<String, Object> p = point(label, g.accuracy(), g.bandLow() == null ? Double.NaN : g.bandLow(),
              g.bandHigh() == null ? Double.NaN : g.bandHigh());
          accuracy.computeIfAbsent(device, k -> new TreeMap<>()).computeIfAbsent(g.series(), k -> new ArrayList<>()).add(p);
        }
      }
    }
    d.put("counts", counts(new CountHistory(history.root()), runs, flagged));
    d.put("flagged", flagged);
    d.put("runs", runs.stream().distinct().sorted().toList());
    d.put("series", series);
    d.put("accuracy", accuracy);
    d.put("latest", latestRows(latest, article));
    d.put("generations", generations(latest, article, variants));
    return d;
  }

  /**
   * The nightly counts (instructions per sample) by CPU model and JIT setting, then by point
   * ({@code trainStep/cnn/layer-api/b32}); a count the detector called is flagged with its
   * message, which names the functions that moved, and listed in {@code flagged}.
   */
  private static Map<String, Map<String, List<Map<String, Object>>>> counts(CountHistory history, List<String> runs,
      List<Map<String, Object>> flagged) throws IOException {
    Map<String, Map<String, List<Map<String, Object>>>> out = new TreeMap<>();
    for (CountHistory.Entry e : history.entries()) {
      String device = e.cpu() + " / counted, JIT " + e.jit();
      String label = e.id().substring(0, e.id().indexOf('-')) + " " + e.id().substring(e.id().indexOf('-') + 1);
      runs.add(label);
      Map<String, String> flags = new LinkedHashMap<>();
      for (CountDetector.Finding f : e.findingsList()) {
        if (f.verdict() == CountDetector.Verdict.REGRESSION || f.verdict() == CountDetector.Verdict.IMPROVEMENT
            || f.verdict() == CountDetector.Verdict.CHANGE_POINT) {
          flags.merge(f.key(), f.message(), (a, b) -> a + "; " + b);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("run", label);
          row.put("device", device);
          row.put("verdict", f.verdict() + " (count)");
          row.put("describe", f.message());
          flagged.add(row);
        }
      }
      for (CountResults.Point p : e.counts().points()) {
        if (!p.ok()) {
          continue;
        }
        double y = p.perSample(CountResults.INSTRUCTIONS);
        Map<String, Object> point = point(label, y, y, y);
        if (flags.containsKey(p.key())) {
          point.put("flag", flags.get(p.key()));
        }
        String key = p.benchmark() + "/" + p.variant() + "/" + p.engine() + "/b" + p.batchSize();
        out.computeIfAbsent(device, k -> new TreeMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(point);
      }
    }
    return out;
  }

  /** A chart point; without an interval (one fork) the bar has zero length rather than a made-up one. */
  private static Map<String, Object> point(String label, double y, double low, double high) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("run", label);
    p.put("y", y);
    p.put("yMin", Double.isNaN(low) ? y : low);
    p.put("yMax", Double.isNaN(high) ? y : high);
    return p;
  }

  /** The run's regressions, improvements and change points by series key, also listed in {@code flagged} for the page's table. */
  private static Map<String, String> flags(History.Entry e, String device, String label, List<Map<String, Object>> flagged)
      throws IOException {
    Map<String, String> byKey = new LinkedHashMap<>();
    for (RecordedFinding f : e.findings()) {
      if (f.reportsChange() || f.verdict().equals(RegressionDetector.Verdict.UNCONFIRMED.name())) {
        byKey.merge(f.key(), f.describe(), (a, b) -> a + "; " + b);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", label);
        row.put("device", device);
        row.put("verdict", f.verdict());
        row.put("describe", f.describe());
        flagged.add(row);
      }
    }
    return byKey;
  }

  private static List<Map<String, Object>> latestRows(Map<String, Map<String, BenchResults.Point>> latest, ArticleFigures article) {
    List<Map<String, Object>> rows = new ArrayList<>();
    latest.forEach((device, points) -> points.values().forEach(p -> {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("device", device);
      MeanInterval ci = p.interval();
      r.put("benchmark", p.benchmark());
      r.put("variant", p.variant());
      r.put("engine", p.engine());
      r.put("runtime", p.runtime());
      r.put("batch", p.batchSize());
      r.put("us_per_sample", ci.mean());
      r.put("median", ci.median());
      r.put("half_width_95", Double.isNaN(ci.halfWidth()) ? null : ci.halfWidth());
      r.put("forks", ci.forks());
      article.of(Variant.byId(p.variant())).ifPresent(a -> {
        Double us = p.benchmark().equals("inference") ? a.evalUsPerSample() : a.trainUsPerSample();
        r.put("article_us_per_step", us);
        r.put("article_hardware", a.hardware());
        r.put("ratio", us == null ? null : p.score() / us);
      });
      rows.add(r);
    }));
    return rows;
  }

  /**
   * Training us/sample per variant per device: every device in the history (its latest run,
   * batch 32 training steps of the layer API in the default configuration, or epochs where
   * present) and the article's K80 and Raspberry Pi, with each device's speed-up over the K80.
   */
  private static List<Map<String, Object>> generations(Map<String, Map<String, BenchResults.Point>> latest,
      ArticleFigures article, List<String> variants) {
    Map<String, Double> k80 = new LinkedHashMap<>();
    Map<String, Double> pi = new LinkedHashMap<>();
    for (ArticleFigures.Row a : article.rows()) {
      if (a.trainUsPerSample() != null) {
        (a.hardware().equals(PI) ? pi : k80).put(a.variant(), a.trainUsPerSample());
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(generationRow(K80 + " (article, Keras epoch)", k80, k80, variants));
    rows.add(generationRow(PI + " (article, Keras epoch)", pi, k80, variants));
    latest.forEach((device, points) -> {
      Map<String, Double> us = new LinkedHashMap<>();
      for (BenchResults.Point p : points.values()) {
        boolean suiteDefault = p.engine().equals("layer-api") && p.runtime().equals("default");
        if (p.batchSize() == 32 && suiteDefault
            && (p.benchmark().equals("epoch") || (p.benchmark().equals("trainStep") && !us.containsKey(p.variant())))) {
          us.put(p.variant(), p.score());
        }
      }
      rows.add(generationRow(device, us, k80, variants));
    });
    return rows;
  }

  private static Map<String, Object> generationRow(String device, Map<String, Double> us, Map<String, Double> k80, List<String> variants) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("device", device);
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Object> speedup = new LinkedHashMap<>();
    for (String v : variants) {
      Double x = us.get(v);
      values.put(v, x);
      speedup.put(v, x == null || k80.get(v) == null ? null : k80.get(v) / x);
    }
    row.put("us_per_sample", values);
    row.put("speedup_over_k80", speedup);
    return row;
  }
}
