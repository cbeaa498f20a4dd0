package org.fmnistbench.ci.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * nightly.yml, replayed as GitHub would run it (see {@link WorkflowReplay}) on a repository that
 * has never run it: no gh-pages, no bench-history. Night 1 must pass and create both; night 2,
 * at a new commit, must pass and add to both. The scope is reduced through the workflow's own
 * repository variables (mlp, layer API, inference, short JMH settings, no counting, no
 * confirmation), so a night takes minutes; what the replay cannot reproduce, the hosted runner
 * image, is named in WorkflowReplay.
 *
 * <p>Counting is left out of the default scope: it adds about a quarter of an hour a night. With
 * {@code -Dreplay.counts=1} two counting nights are replayed instead (27 to 42 minutes here): night 1's
 * counts must reach the history, the charts and the dashboard, and night 2's be judged unchanged.
 *
 * <p>The replay runs what is committed, as GitHub would: uncommitted changes are not in it.
 */
class NightlyWorkflowReplayTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, String> SMALL_NIGHT = Map.of(
      "NIGHTLY_MAVEN_ARGS", "-DskipTests -Dbench.variants=mlp -Dbench.engines=layer-api -Dbench.benchmarks=inference"
          + " -Dbench.forks=1 -Dbench.warmupIterations=1 -Dbench.warmupTime=1 -Dbench.iterations=2 -Dbench.time=1",
      "NIGHTLY_COUNTS", "0",
      "NIGHTLY_CONFIRM", "0");

  /** Kept after the test (target/replay/...), so that a failed job's log can be read. */
  private final Path tmp = ReplayFolders.fresh("nightly");

  /** A bare repository holding this repository's current commit on its default branch, and nothing else. */
  static Path freshOrigin(Path tmp) {
    Path origin = tmp.resolve("origin.git");
    WorkflowReplay.exec(List.of("git", "clone", "-q", "--bare", "--single-branch", ROOT.toString(), origin.toString()),
        tmp, Map.of());
    return origin;
  }

  /** A commit on origin's default branch, as a developer's push would make it. */
  static void pushACommit(Path tmp, Path origin, String file) {
    Path dev = tmp.resolve("dev-" + file);
    WorkflowReplay.exec(List.of("git", "clone", "-q", origin.toString(), dev.toString()), tmp, Map.of());
    try {
      Files.writeString(dev.resolve(file), "a change between nights\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    WorkflowReplay.git(dev, "add", file);
    WorkflowReplay.git(dev, "-c", "user.name=dev", "-c", "user.email=dev@localhost", "commit", "-qm", "change");
    WorkflowReplay.git(dev, "push", "-q", "origin", "HEAD");
  }

  private static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void nightOneOnAFreshRepositoryThenNightTwoPass() throws Exception {
    Path origin = freshOrigin(tmp);
    assertTrue(WorkflowReplay.git(origin, "branch", "--list", "gh-pages", "bench-history").isBlank());
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), SMALL_NIGHT, System.out);

    WorkflowReplay.RunResult night1 = replay.run(".github/workflows/nightly.yml", "schedule", Map.of());
    assertEveryJobPassed(night1);
    // the bench job kept no token; export and publish could push
    assertFalse(night1.leg("bench", "bench (cpu)").canPush());
    assertTrue(night1.leg("export", "export (cpu)").canPush());
    // one chart series per machine (CPU model and cores), under the runner's name
    List<String> pages = lines(WorkflowReplay.git(origin, "ls-tree", "-r", "--name-only", "gh-pages"));
    String data = chartData(pages);
    String machine = data.split("/")[2];
    assertTrue(pages.contains("dashboard/index.html"), pages.toString());
    assertEquals(1, entries(origin, data));
    List<String> history = lines(WorkflowReplay.git(origin, "ls-tree", "-d", "--name-only", "bench-history:history/" + machine + "/cpu"));
    assertEquals(1, history.size(), history.toString());
    // the Maven cache is keyed by runner and profile, not shared between bench and publish
    assertTrue(night1.leg("bench", "bench (cpu)").cacheKeys().stream().anyMatch(k -> k.startsWith("m2-cpu-bench-")));
    assertTrue(night1.leg("publish", "publish").cacheKeys().stream().noneMatch(k -> k.startsWith("m2-cpu-bench-")));

    pushACommit(tmp, origin, "NIGHT2.txt");
    WorkflowReplay.RunResult night2 = replay.run(".github/workflows/nightly.yml", "schedule", Map.of());
    assertEveryJobPassed(night2);
    assertEquals(2, entries(origin, data));
    assertEquals(2, lines(WorkflowReplay.git(origin, "ls-tree", "-d", "--name-only",
        "bench-history:history/" + machine + "/cpu")).size());
  }

  @Test
  @EnabledIfSystemProperty(named = "replay.counts", matches = "1")
  void countingNightsPublishTheirCountsAndJudgeTheSecondUnchanged() throws Exception {
    Path origin = freshOrigin(tmp);
    Map<String, String> vars = new HashMap<>(SMALL_NIGHT);
    vars.put("NIGHTLY_COUNTS", "1");
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), vars, System.out);
    WorkflowReplay.RunResult night1 = replay.run(".github/workflows/nightly.yml", "schedule", Map.of());
    assertEveryJobPassed(night1);
    // the history: one counted night of this CPU model under the nightly's JIT setting
    List<String> history = lines(WorkflowReplay.git(origin, "ls-tree", "-r", "--name-only", "bench-history:history/counts"));
    assertTrue(history.stream().anyMatch(f -> f.matches("[^/]+/c1/[^/]+/counts\\.json")), history.toString());
    // the charts: instruction counts beside the wall-time series, one per counted point
    String data = chartData(lines(WorkflowReplay.git(origin, "ls-tree", "-r", "--name-only", "gh-pages")));
    List<String> charted = new ArrayList<>();
    for (JsonNode series : benchmarkData(origin, data).path("entries")) {
      series.forEach(night -> night.path("benches").forEach(b -> charted.add(b.path("name").asText())));
    }
    assertTrue(charted.stream().anyMatch(n -> n.startsWith("instructions ")), charted.toString());
    // the dashboard: the counted points under their CPU model and JIT setting
    JsonNode dashboard = JSON.readTree(WorkflowReplay.git(origin, "show", "gh-pages:dashboard/data.js")
        .replaceFirst("^window\\.SUITE_DATA = ", "").replaceFirst(";\\s*$", ""));
    List<String> counted = new ArrayList<>();
    dashboard.path("counts").fieldNames().forEachRemaining(counted::add);
    assertTrue(counted.stream().anyMatch(c -> c.endsWith("/ counted, JIT c1") && dashboard.path("counts").path(c).size() > 0),
        counted.toString());

    // night 2, at a commit that changes no counted code: every point is judged (against night 1,
    // the previous build counted beside it only when wall time flagged a point) and found unchanged
    pushACommit(tmp, origin, "NIGHT2.txt");
    WorkflowReplay.RunResult night2 = replay.run(".github/workflows/nightly.yml", "schedule", Map.of());
    assertEveryJobPassed(night2);
    List<String> nights = lines(WorkflowReplay.git(origin, "ls-tree", "-r", "--name-only", "bench-history:history/counts"))
        .stream().filter(f -> f.endsWith("/findings.json")).sorted().toList();
    assertEquals(2, nights.size(), nights.toString());
    JsonNode findings = JSON.readTree(WorkflowReplay.git(origin, "show", "bench-history:history/counts/" + nights.get(1)));
    assertTrue(findings.size() > 0, nights.get(1));
    for (JsonNode f : findings) {
      assertTrue(f.path("basis").asText().matches("(history|previous build) .+"), f.toString());
      assertEquals("UNCHANGED", f.path("verdict").asText(), f.toString());
    }
  }

  /** Every job of a night passed; else which did not, and where its log is. */
  private void assertEveryJobPassed(WorkflowReplay.RunResult night) {
    for (String job : List.of("plan", "bench", "export", "publish")) {
      assertEquals("success", night.result(job), job + ": " + night.summary() + "; logs under " + tmp.resolve("scratch/runs")
          + " (each job's log.txt)");
    }
  }

  /** github-action-benchmark's data file for the CPU runner, among gh-pages' files. */
  private static String chartData(List<String> pages) {
    return pages.stream().filter(p -> p.startsWith("bench/cpu/") && p.endsWith("/data.js")).findFirst()
        .orElseThrow(() -> new AssertionError("no bench/cpu/<machine>/data.js on gh-pages: " + pages));
  }

  /** What github-action-benchmark keeps in {@code dataJs} on gh-pages: its series, each a list of nights. */
  private static JsonNode benchmarkData(Path origin, String dataJs) throws Exception {
    return JSON.readTree(WorkflowReplay.git(origin, "show", "gh-pages:" + dataJs).replaceFirst("^window\\.BENCHMARK_DATA = ", ""));
  }

  private static int entries(Path origin, String dataJs) throws Exception {
    int n = 0;
    for (JsonNode series : benchmarkData(origin, dataJs).path("entries")) {
      n += series.size();
    }
    return n;
  }
}
