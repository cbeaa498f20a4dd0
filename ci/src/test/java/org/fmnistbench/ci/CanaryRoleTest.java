package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fmnistbench.ci.InterleavedCalibration.CanaryUse;
import org.fmnistbench.ci.InterleavedCalibration.RoleRow;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.results.JmhJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change inside the measured step that also moves the canary (threads left spinning after the
 * step slow a canary timed right after it) neither fakes nor cancels a slowdown in the
 * interleaved judgement. Checked two ways: on a recorded comparison whose candidate's canary is
 * rewritten, through the comparison's own reader and judgement; and on nights drawn from the
 * sentinels' recorded rounds (DETECTOR.md's "The canary's role"), where dividing by the canary is
 * shown to be faked and cancelled, so that the check can tell the judgements apart.
 */
class CanaryRoleTest {
  private static final List<Path> RECORDED = List.of(Path.of("src/test/resources/interleaved/aa"),
      Path.of("src/test/resources/interleaved/unchanged-nightly"), Path.of("src/test/resources/interleaved/slowdown10"));

  @TempDir
  Path tmp;

  @Test
  void aCandidateThatMovesOnlyItsCanaryMovesNoRatioAndNoVerdict() throws IOException {
    Path recorded = RECORDED.get(2);
    Map<String, InterleavedResults.Comparison> before = InterleavedResults.byKey(InterleavedResults.analyse(recorded));
    for (double canaryFactor : new double[] {0.8, 1.25}) {
      Path copy = rewriteCandidate(recorded, tmp.resolve("canary" + canaryFactor), 1.0, canaryFactor);
      Map<String, InterleavedResults.Comparison> after = InterleavedResults.byKey(InterleavedResults.analyse(copy));
      assertEquals(before.keySet(), after.keySet());
      before.forEach((key, b) -> {
        InterleavedResults.Comparison a = after.get(key);
        assertEquals(b.ratio().ratio(), a.ratio().ratio(), 1e-12, key + ": the ratio moved with the canary");
        assertEquals(b.verdict(), a.verdict(), key + ": the verdict moved with the canary");
        assertEquals(b.canaryRatio().ratio() * canaryFactor, a.canaryRatio().ratio(), 1e-9,
            key + ": the diagnostic shows the canary's move");
      });
    }
  }

  @Test
  void aSlowdownWhoseCanarySlowsAsMuchIsJudgedAsOneWhoseCanaryDoesNot() throws IOException {
    Map<String, InterleavedResults.Comparison> alone = InterleavedResults.byKey(InterleavedResults.analyse(
        rewriteCandidate(RECORDED.get(0), tmp.resolve("step"), 1.25, 1.0)));
    Map<String, InterleavedResults.Comparison> both = InterleavedResults.byKey(InterleavedResults.analyse(
        rewriteCandidate(RECORDED.get(0), tmp.resolve("both"), 1.25, 1.25)));
    alone.forEach((key, a) -> {
      assertEquals(a.ratio().ratio(), both.get(key).ratio().ratio(), 1e-12, key + ": the canary cancelled part of the slowdown");
      assertEquals(a.verdict(), both.get(key).verdict(), key);
    });
    for (String sentinel : Nightly.DEFAULT_SENTINELS) {
      assertTrue(both.get(sentinel).slower(), sentinel + ": 25 % slower, judged " + both.get(sentinel).ratio().format());
    }
  }

  @Test
  void onTheSentinelsRecordedRoundsTheDefaultIsNeitherFakedNorCancelled() throws IOException {
    List<RoleRow> rows = InterleavedCalibration.canaryRole(RECORDED, Nightly.DEFAULT_SENTINELS, Nightly.SENTINEL_ROUNDS, 1000, 7);
    CanaryUse chosen = CanaryUse.of(InterleavedResults.DEFAULT_CANARY);
    for (RoleRow r : rows) {
      String what = String.format(Locale.ROOT, "step %+.0f %%, canary %+.0f %%", 100 * r.stepChange(), 100 * r.canaryShift());
      if (r.stepChange() == 0) {
        // Holm at 2.5 % over 2 sentinels: at most 2.5 % of nights, per sentinel less; plus 3 Monte Carlo sd (1.5 %)
        assertTrue(r.rate(chosen) <= 0.025 + 0.015, what + ": unchanged code called slower on " + r.rate(chosen));
      } else {
        assertTrue(r.rate(chosen) >= 0.9, what + ": a 10 % slowdown caught on " + r.rate(chosen));
      }
    }
    // the same nights can tell a judgement the canary fakes and cancels
    double faked = rows.stream().filter(r -> r.stepChange() == 0).mapToDouble(r -> r.rate(CanaryUse.DIVIDED)).max().orElseThrow();
    double cancelled = rows.stream().filter(r -> r.stepChange() > 0).mapToDouble(r -> r.rate(CanaryUse.DIVIDED)).min().orElseThrow();
    assertTrue(faked > 0.5 && cancelled < 0.2, "dividing by the canary: faked on " + faked + ", caught as little as " + cancelled);
  }

  /** A copy of a comparison whose candidate's step figures are multiplied by {@code step} and its canaries by {@code canary}. */
  private static Path rewriteCandidate(Path from, Path to, double step, double canary) throws IOException {
    Files.createDirectories(to);
    ObjectMapper json = new ObjectMapper();
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.matches("round\\d+-candidate-jmh-.*\\.json")) {
          Files.copy(f, to.resolve(name));
          continue;
        }
        JsonNode root = json.readTree(f.toFile());
        for (JsonNode benchmark : root) {
          scale(benchmark.path("primaryMetric"), step);
          scale(benchmark.path("secondaryMetrics").path("samples"), step);
          for (String metric : List.of(JmhJson.CANARY_COMPUTE, JmhJson.CANARY_MEMORY)) {
            scale(benchmark.path("secondaryMetrics").path(metric), canary);
          }
        }
        json.writeValue(to.resolve(name).toFile(), root);
      }
    }
    return to;
  }

  private static void scale(JsonNode metric, double factor) {
    if (metric.isMissingNode()) {
      return;
    }
    ((ObjectNode) metric).put("score", metric.path("score").asDouble() * factor);
    for (JsonNode fork : metric.path("rawData")) {
      ArrayNode iterations = (ArrayNode) fork;
      for (int i = 0; i < iterations.size(); i++) {
        iterations.set(i, iterations.get(i).asDouble() * factor);
      }
    }
  }
}
