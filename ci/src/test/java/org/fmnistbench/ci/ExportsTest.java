package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every exported series name, history key and dashboard series names engine and runtime configuration. */
class ExportsTest {
  @TempDir Path tmp;

  @Test
  void twoEnginesAndTwoConfigurationsOfOneRunKeepFourSeries() throws Exception {
    Map<String, BenchResults.Point> points = new LinkedHashMap<>();
    points.putAll(BenchResults.read(Synthetic.jmh(tmp.resolve("default.json"), Map.of("CNN", 10_000.0), 0.01, 1,
        List.of("layer-api", "samediff"), "default")));
    points.putAll(BenchResults.read(Synthetic.jmh(tmp.resolve("stock.json"), Map.of("CNN", 30_000.0), 0.01, 2,
        List.of("layer-api", "samediff"), "stock")));
    assertEquals(8, points.size(), "history keys: 2 benchmarks x 2 engines x 2 configurations, none merged: " + points.keySet());
    assertTrue(points.containsKey("trainStep/cnn/samediff/stock/b32"), points.keySet().toString());

    Path file = tmp.resolve("gab.json");
    Exports.githubActionBenchmark(points, "cpu", file);
    JsonNode entries = new ObjectMapper().readTree(file.toFile());
    Set<String> names = new HashSet<>();
    entries.forEach(e -> names.add(e.path("name").asText()));
    assertEquals(8, names.size(), "exported names are distinct: " + names);
    assertTrue(names.contains("trainStep cnn layer-api default batch 32 (cpu)"), names.toString());
    assertTrue(names.contains("trainStep cnn samediff stock batch 32 (cpu)"), names.toString());
    entries.forEach(e -> assertTrue(e.path("range").asText().startsWith("± "), "a 95 % interval over 3 forks: " + e));
  }

  @Test
  void theDashboardKeepsTheSeriesApartAndItsBarsAreIntervals() throws Exception {
    History h = new History(tmp.resolve("history"));
    for (int n = 1; n <= 3; n++) {
      Path dir = Files.createDirectories(tmp.resolve("run" + n));
      Path meta = Synthetic.metadata(dir.resolve("meta.json"), String.format("%040d", n),
          String.format("2026-11-%02dT03:00:00Z", n), "AMD EPYC", "cpu");
      h.append(Synthetic.jmh(dir.resolve("d.json"), Map.of("CNN", 10_000.0), 0.01, n, List.of("layer-api", "samediff"), "default"),
          meta, Optional.empty());
      Path meta2 = Synthetic.metadata(dir.resolve("meta2.json"), String.format("%040d", n),
          String.format("2026-11-%02dT04:00:00Z", n), "AMD EPYC", "cpu");
      h.append(Synthetic.jmh(dir.resolve("s.json"), Map.of("CNN", 30_000.0), 0.01, 10 + n, List.of("layer-api", "samediff"), "stock"),
          meta2, Optional.empty());
    }
    @SuppressWarnings("unchecked")
    Map<String, Map<String, List<Map<String, Object>>>> series = (Map<String, Map<String, List<Map<String, Object>>>>)
        Dashboard.data(h, ArticleFigures.read(Repo.baselinesDir())).get("series");
    Map<String, List<Map<String, Object>>> device = series.values().iterator().next();
    assertTrue(device.keySet().containsAll(List.of("trainStep/cnn/layer-api/default/b32", "trainStep/cnn/samediff/default/b32",
        "trainStep/cnn/layer-api/stock/b32", "trainStep/cnn/samediff/stock/b32")), device.keySet().toString());
    for (List<Map<String, Object>> points : device.values()) {
      assertEquals(3, points.size(), "one point per run of that series");
      for (Map<String, Object> p : points) {
        double y = (Double) p.get("y");
        double low = (Double) p.get("yMin");
        double high = (Double) p.get("yMax");
        assertTrue(low > 0 && low < y && high > y && high < 1.1 * y, "a 95 % interval around the figure, not below zero: " + p);
      }
    }
  }
}
