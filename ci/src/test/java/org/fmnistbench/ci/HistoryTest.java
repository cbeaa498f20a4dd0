package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fmnistbench.io.MergeRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  @TempDir Path tmp;

  @Test
  void appendsKeyedByMachineBackendTimeAndCommit() throws Exception {
    History h = new History(tmp.resolve("history"));
    History.Entry a = Synthetic.run(h, tmp, 1, 10_000, 0.01, "AMD EPYC", "cpu");
    History.Entry b = Synthetic.run(h, tmp, 2, 10_000, 0.01, "AMD EPYC", "cpu");
    assertEquals("amd-epyc-x2", a.machine());
    assertEquals("20261101T030000Z-000000000000", a.id());
    assertEquals(List.of(a, b), h.entries());
    assertEquals(List.of(a), h.before(b));
    assertTrue(a.gate().isPresent());
    try (var s = Files.list(a.dir().getParent())) {
      assertEquals(2, s.count(), "no temporary folders left");
    }
  }

  @Test
  void neverOverwritesAnEntry() throws Exception {
    History h = new History(tmp.resolve("history"));
    History.Entry a = Synthetic.run(h, tmp, 1, 10_000, 0.01, "AMD EPYC", "cpu");
    String before = Files.readString(a.jmh());
    Path dir = Files.createDirectories(tmp.resolve("again"));
    assertThrows(FileAlreadyExistsException.class, () -> h.append(
        Synthetic.jmh(dir.resolve("j.json"), Map.of("CNN", 1.0), 0, 9),
        Synthetic.metadata(dir.resolve("m.json"), String.format("%040d", 1), "2026-11-01T03:00:00Z", "AMD EPYC", "cpu"),
        Optional.empty()));
    assertEquals(before, Files.readString(a.jmh()));
  }

  @Test
  void importMergesAnotherMachinesRunsOnce() throws Exception {
    History here = new History(tmp.resolve("here"));
    History gpuBox = new History(tmp.resolve("gpu-box"));
    Synthetic.run(here, tmp, 1, 10_000, 0.01, "AMD EPYC", "cpu");
    Synthetic.run(gpuBox, tmp, 1, 300, 0.01, "Intel Xeon", "cuda");
    Synthetic.run(gpuBox, tmp, 2, 300, 0.01, "Intel Xeon", "cuda");
    assertEquals(2, here.importFrom(gpuBox, MergeRule.Keep.NEITHER).added().size());
    var again = here.importFrom(gpuBox, MergeRule.Keep.NEITHER);
    assertEquals(0, again.added().size(), "a second import adds nothing");
    assertEquals(2, again.identical().size());
    assertEquals(3, here.entries().size());
    assertTrue(here.entries().stream().anyMatch(e -> e.machine().equals("tesla-t4-on-intel-xeon-x2") && e.backend().equals("cuda")));
  }

  @Test
  void importRefusesAnEntryThatDiffersUnderTheSameIdUnlessToldWhichToKeep() throws Exception {
    History here = new History(tmp.resolve("here"));
    History other = new History(tmp.resolve("other"));
    History.Entry ours = Synthetic.run(here, tmp.resolve("a"), 1, 10_000, 0.01, "AMD EPYC", "cpu");
    Synthetic.run(other, tmp.resolve("b"), 1, 12_000, 0.01, "AMD EPYC", "cpu"); // same machine, time, commit
    Synthetic.run(other, tmp.resolve("b"), 2, 12_000, 0.01, "AMD EPYC", "cpu");
    String before = Files.readString(ours.jmh());
    MergeRule.ConflictException e = assertThrows(MergeRule.ConflictException.class,
        () -> here.importFrom(other, MergeRule.Keep.NEITHER));
    assertTrue(e.getMessage().contains("ours:") && e.getMessage().contains("theirs:") && e.getMessage().contains("jmh.json"),
        e.getMessage());
    assertEquals(1, here.entries().size(), "nothing imported, not even the new entry");
    assertEquals(before, Files.readString(ours.jmh()));

    assertEquals(1, here.importFrom(other, MergeRule.Keep.OURS).added().size());
    assertEquals(before, Files.readString(ours.jmh()));
    here.importFrom(other, MergeRule.Keep.THEIRS);
    assertTrue(!before.equals(Files.readString(ours.jmh())), "theirs replaced ours");
    assertEquals(2, here.entries().size());
    try (var s = Files.list(ours.dir().getParent())) {
      assertEquals(2, s.count(), "no temporary or replaced folders left");
    }
  }

  @Test
  void importCarriesTheOtherMachinesCountsToo() throws Exception {
    History here = new History(tmp.resolve("here"));
    History intelBox = new History(tmp.resolve("intel-box"));
    Synthetic.run(intelBox, tmp, 1, 10_000, 0.01, "Intel Xeon", "cpu");
    CountHistory theirCounts = new CountHistory(intelBox.root());
    CountHistory.Entry night = theirCounts.append(CountDetectorTest.run("abc", "2026-12-01T03:00:00Z",
        List.of(CountDetectorTest.point("cnn", 1000e6, 100e6, "ok"))), List.of());
    theirCounts.append(CountDetectorTest.run("abd", "2026-12-02T03:00:00Z",
        List.of(CountDetectorTest.point("cnn", 1001e6, 100e6, "ok"))), List.of());

    var outcome = here.importFrom(intelBox, MergeRule.Keep.NEITHER);
    assertEquals(3, outcome.added().size(), outcome.added().toString());
    assertTrue(outcome.added().contains("counts/amd-epyc/c1/" + night.id()), outcome.added().toString());
    List<CountHistory.Entry> ours = new CountHistory(here.root()).entries();
    assertEquals(2, ours.size(), "the counts are a series here too");
    assertEquals(1000e6, ours.get(0).counts().points().get(0).perOp("Ir"), 1);
    assertEquals(3, here.importFrom(intelBox, MergeRule.Keep.NEITHER).identical().size(), "a second import adds nothing");
  }

  @Test
  void importRefusesAFolderThatHoldsNoHistory() throws Exception {
    History here = new History(tmp.resolve("here"));
    Path notHistory = Files.createDirectories(tmp.resolve("ci/out"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> here.importFrom(new History(notHistory), MergeRule.Keep.NEITHER));
    assertTrue(e.getMessage().startsWith(notHistory + " holds no history entry"), e.getMessage());
  }

  @Test
  void exportsGithubActionBenchmarkSmallerIsBetter() throws Exception {
    Path jmh = Synthetic.jmh(tmp.resolve("j.json"), Map.of("CNN", 10_000.0), 0.01, 1);
    Path out = tmp.resolve("gab.json");
    Exports.githubActionBenchmark(BenchResults.read(jmh), "cpu", out);
    var tree = new ObjectMapper().readTree(out.toFile());
    assertEquals(2, tree.size());
    assertEquals("trainStep cnn layer-api default batch 32 (cpu)", tree.get(0).path("name").asText());
    assertEquals("us/sample", tree.get(0).path("unit").asText());
    assertTrue(tree.get(0).path("value").asDouble() > 9_000);
  }
}
