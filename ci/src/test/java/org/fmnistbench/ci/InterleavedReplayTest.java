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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.InterleavedResults;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Judging beside the previous build on real measurements (JMH's JSON unchanged, in
 * {@code src/test/resources/interleaved/}): {@code aa/} is a {@code BenchDriver interleave}
 * comparison of one build with itself (training steps of cnn, cnn3 and cnn4 on both engines, 8
 * rounds), {@code slowdown10/} the interleaved confirmation of a nightly drill ({@code
 * INTERLEAVE_SCOPE=training INTERLEAVE_ROUNDS=12 ci/nightly -Dbench.variants=cnn,cnn3
 * -Dbench.engines=layer-api -Dbench.injectSlowdown=0.1}): the previous build (built by the
 * nightly from the history's commit, 9194cbc) against this one (4ee5ca5) with every operation 10 %
 * slower; {@code unchanged-nightly/} the same nightly without the slowdown, the next build (1de5224)
 * beside the drill's (4ee5ca5), whose benchmark code is the same. Unchanged code must be called slower nowhere; the
 * 10 % slowdown must be caught at every training step measured; and a night judged by
 * {@code Nightly record} against the recorded A/A history passes beside the first and fails
 * beside the second.
 */
class InterleavedReplayTest {
  private static final Path AA = Path.of("src/test/resources/interleaved/aa");
  private static final Path SLOWED = Path.of("src/test/resources/interleaved/slowdown10");
  private static final Path UNCHANGED = Path.of("src/test/resources/interleaved/unchanged-nightly");
  private static final Path RUNS = Path.of("src/test/resources/aa-runs");
  @TempDir Path tmp;

  /** The nightly's judgement, and the one without a canary that a team can ask for. */
  private static final List<Canary> JUDGEMENTS = List.of(InterleavedResults.DEFAULT_CANARY, Canary.NONE);

  @Test
  void unchangedCodeIsCalledSlowerNowhere() throws Exception {
    for (Canary canary : JUDGEMENTS) {
      List<InterleavedResults.Comparison> aa = InterleavedResults.analyse(AA, canary);
      assertTrue(aa.size() >= 6, "the A/A comparison holds " + aa.size() + " points");
      List<InterleavedResults.Comparison> all = new ArrayList<>(aa);
      all.addAll(InterleavedResults.analyse(UNCHANGED, canary));
      for (InterleavedResults.Comparison c : all) {
        assertTrue(!c.slower(), "unchanged code called slower over " + canary + ": " + c.key() + " " + c.ratio().format());
        assertEquals(canary, c.canary());
      }
    }
  }

  @Test
  void aTenPercentSlowdownIsCaughtAtEveryTrainingStep() throws Exception {
    assertEquals(0.1, new ObjectMapper().readTree(SLOWED.resolve(InterleavedResults.DESIGN_FILE).toFile())
        .path("candidate_slowdown").asDouble(), 1e-9);
    for (Canary canary : JUDGEMENTS) {
      List<InterleavedResults.Comparison> slowed = InterleavedResults.analyse(SLOWED, canary).stream()
          .filter(c -> c.benchmark().equals("trainStep")).toList();
      assertTrue(slowed.size() >= 2, "the drill measured " + slowed.size() + " training steps");
      for (InterleavedResults.Comparison c : slowed) {
        assertTrue(c.slower(), "a 10 % slowdown missed over " + canary + ": " + c.key() + " " + c.ratio().format() + ", p "
            + c.ratio().pSlower());
        assertTrue(c.ratio().low() > 1, "called slower only when the 95 % interval says so: " + c.ratio().format());
      }
    }
  }

  @Test
  void theCanaryNarrowsTheRoundsYetTheDefaultJudgesTheFiguresAlone() throws Exception {
    Map<Canary, Double> spread = new EnumMap<>(Canary.class);
    for (Canary canary : List.of(Canary.NONE, Canary.COMPUTE)) {
      List<InterleavedCalibration.Run> runs = new ArrayList<>();
      for (Path dir : List.of(AA, UNCHANGED, SLOWED)) {
        runs.add(InterleavedCalibration.Run.read(dir, canary));
      }
      spread.put(canary, InterleavedCalibration.sd(
          InterleavedCalibration.pooledSpread(runs).get(InterleavedCalibration.DEFAULT_TRAINING)));
    }
    // dividing by the canary narrows a round's spread, but the change under test can move the canary
    // (CanaryRoleTest, DETECTOR.md "The canary's role"), so the default judges the figures alone
    assertTrue(spread.get(Canary.COMPUTE) < 0.9 * spread.get(Canary.NONE), "the measurement behind the trade-off: " + spread);
    assertEquals(Canary.NONE, InterleavedResults.DEFAULT_CANARY);
  }

  /** A copy of the A/A comparison's folder, for a test to damage. */
  private Path copyOfAa(String name) throws IOException {
    Path copy = Files.createDirectories(tmp.resolve(name));
    try (var files = Files.list(AA)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  @Test
  void aComparisonWithoutTheCanaryIsRefusedByName() throws Exception {
    Path copy = copyOfAa("no-canary");
    Path round = copy.resolve("round02-candidate-jmh-cpu.json");
    ObjectMapper json = new ObjectMapper();
    JsonNode points = json.readTree(round.toFile());
    points.forEach(p -> ((ObjectNode) p.path("secondaryMetrics")).remove("canary.compute"));
    json.writeValue(round.toFile(), points);
    IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class,
        () -> InterleavedResults.analyse(copy, Canary.COMPUTE));
    assertTrue(e.getMessage().contains("round02-candidate-jmh-cpu.json") && e.getMessage().contains("canary.compute")
        && e.getMessage().contains("NONE"), e.getMessage());
    assertEquals(6, InterleavedResults.analyse(copy, Canary.NONE).size(), "without a canary it is judged as measured");
  }

  /** A point that lost a round's figure is named with the round, not dropped in silence. */
  @Test
  void aPointMissingARoundIsReportedNotDropped() throws Exception {
    Path copy = copyOfAa("missing-round");
    assertEquals(List.of(), InterleavedResults.incomplete(copy));
    Path round = copy.resolve("round02-candidate-jmh-cpu.json");
    ObjectMapper json = new ObjectMapper();
    ArrayNode points = (ArrayNode) json.readTree(round.toFile());
    String dropped = points.get(0).path("params").path("variant").asText();
    points.remove(0);
    json.writeValue(round.toFile(), points);
    List<String> incomplete = InterleavedResults.incomplete(copy);
    assertEquals(1, incomplete.size(), incomplete.toString());
    assertTrue(incomplete.get(0).contains("round 2 of the candidate"), incomplete.toString());
    assertTrue(incomplete.get(0).toLowerCase(Locale.ROOT).contains(dropped.toLowerCase(Locale.ROOT)),
        incomplete + " names " + dropped);
    assertEquals(5, InterleavedResults.analyse(copy, Canary.NONE).size(), "the other points are judged");
  }

  @Test
  void theNightPassesBesideItselfAndFailsBesideTheSlowdown() throws Exception {
    assertEquals(0, record("beside-itself", AA), "unchanged code beside itself");
    assertEquals(1, record("beside-slowdown", SLOWED), "the night beside the slowdown drill");
  }

  /** {@code Nightly record} of the last recorded A/A run as the night, the earlier ones as its history. */
  private int record(String name, Path interleaved) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    History h = new History(dir.resolve("history"));
    int last = 1;
    while (Files.isRegularFile(RUNS.resolve("run" + (last + 1) + "-jmh-cpu.json"))) {
      last++;
    }
    for (int r = 1; r < last; r++) {
      h.append(RUNS.resolve("run" + r + "-jmh-cpu.json"), metadata(dir.resolve("meta" + r + ".json"), r),
          Optional.empty());
    }
    Path night = Files.createDirectories(dir.resolve("night"));
    Files.copy(RUNS.resolve("run" + last + "-jmh-cpu.json"), night.resolve("jmh-cpu.json"));
    metadata(night.resolve("metadata-cpu.json"), last);
    return new CommandLine(new Nightly()).execute("record", "--history", h.root().toString(), "--dashboard",
        dir.resolve("dashboard").toString(), "--results", night.toString(), "--interleaved", interleaved.toString());
  }

  private static Path metadata(Path file, int run) throws Exception {
    return Synthetic.metadata(file, String.format("%040d", run), String.format("2026-11-%02dT03:00:00Z", run), "AMD EPYC", "cpu");
  }
}
