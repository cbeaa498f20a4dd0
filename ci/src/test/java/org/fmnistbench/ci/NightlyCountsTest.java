package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code Nightly counts} over two made-up nights: the first is new, the second, 5 % more in one
 * function, is a regression (exit 1) named by that function; both land in the history, the
 * export and the dashboard's data as their own series.
 */
class NightlyCountsTest {
  static Path night(Path dir, String started, double total, double im2col) throws Exception {
    Path run = dir.resolve(started.replace(':', '-'));
    Files.createDirectories(run);
    new CountResults(new CountResults.Setting("c0ffee", "c1", List.of(), "valgrind-3.19.0", "default", "AMD EPYC", 20, 1, 3,
        false, started), List.of(new CountResults.Point("trainStep", "cnn", "layer-api", 32, "ok", 1, null,
        List.of(Map.of("Ir", total)), Map.of("libnd4jcpu.so", total),
        List.of(new CountResults.FunctionCount("libnd4jcpu.so", "im2col", im2col)), 10)))
        .write(run.resolve("counts-c1.json"));
    return run;
  }

  @SuppressWarnings("unchecked")
  @Test
  void aCountThatGrewFailsTheNightAndShowsOnTheDashboardWithItsFunction(@TempDir Path dir) throws Exception {
    Path history = dir.resolve("history");
    Path aa = dir.resolve("aa"); // no A/A runs: the 1 % floor alone
    int first = new CommandLine(new Nightly()).execute("counts", "--results",
        night(dir, "2026-12-02T00:00:00Z", 100e6, 10e6).toString(), "--history", history.toString(), "--aa", aa.toString(),
        "--no-dashboard");
    assertEquals(0, first);
    Path second = night(dir, "2026-12-03T00:00:00Z", 105e6, 15e6);
    int exit = new CommandLine(new Nightly()).execute("counts", "--results", second.toString(), "--history",
        history.toString(), "--aa", aa.toString(), "--no-dashboard");
    assertEquals(1, exit, "5 % more instructions is a regression");
    assertEquals(2, new CountHistory(history).entries().size());
    String export = Files.readString(second.resolve("github-action-benchmark-counts-c1.json"));
    assertTrue(export.contains("\"instructions trainStep cnn layer-api batch 32 (c1, AMD EPYC)\""), export);

    Map<String, Object> data = Dashboard.data(new History(history), ArticleFigures.read(Repo.baselinesDir()));
    Map<String, Map<String, List<Map<String, Object>>>> counts =
        (Map<String, Map<String, List<Map<String, Object>>>>) data.get("counts");
    List<Map<String, Object>> series = counts.get("amd-epyc / counted, JIT c1").get("trainStep/cnn/layer-api/b32");
    assertEquals(2, series.size());
    assertTrue(String.valueOf(series.get(1).get("flag")).contains("im2col"), series.toString());
    List<Map<String, Object>> flagged = (List<Map<String, Object>>) data.get("flagged");
    assertTrue(flagged.stream().anyMatch(f -> f.get("verdict").equals("REGRESSION (count)")
        && String.valueOf(f.get("describe")).contains("+5.0 M instructions/op in libnd4jcpu.so: im2col")), flagged.toString());
  }
}
