package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.fmnistbench.io.MergeRule;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging other machines' baseline files: added, merged once, conflicts refused, all or nothing. */
class BaselineMergeTest {
  @TempDir Path tmp;

  /** Records a 5-epoch full-tier mlp run with this seed and accuracy into {@code dir}. */
  private static void record(Path dir, long seed, double accuracy, String machine) {
    record(dir, seed, accuracy, machine, "CpuBackend[build=onednn-avx2,onednn-max-isa=avx2]");
  }

  private static void record(Path dir, long seed, double accuracy, String machine, String backend) {
    AccuracyRecord row = new AccuracyRecord("mlp", "full", "layer-api", Tier.FULL.recipe(Variant.MLP).describe(), seed,
        accuracy, 0.36, 10000, 0.29, 150.0, backend, "1.0.0-M2.1", "abc", "2026-11-30T00:00:00Z", machine, "", 0.0);
    EpochBaselines.read(dir).put(row, IntStream.rangeClosed(1, 5).mapToObj(e -> new EpochRecord("mlp", "full", "layer-api",
        seed, e, 0.3, 0.9, 0.36, accuracy, 60000, 30.0, 500, 1.0, "abc")).toList());
    AccuracyBaselines.read(dir).put(row);
  }

  private Path folder(String name) throws Exception {
    return Files.createDirectories(tmp.resolve(name));
  }

  private static List<Double> accuracies(Path dir) {
    return AccuracyBaselines.read(dir).rows().stream().map(AccuracyRecord::testAccuracy).toList();
  }

  private static String contents(Path dir) throws Exception {
    return Files.readString(dir.resolve("accuracy.csv")) + Files.readString(dir.resolve("epochs.csv"));
  }

  @Test
  void newRunsAreAddedAndIdenticalOnesMergeOnce() throws Exception {
    Path ours = folder("ours");
    Path shard1 = folder("shard1");
    Path shard2 = folder("shard2");
    record(ours, 1, 0.8685, "a");
    record(shard1, 1, 0.8685, "a"); // the same run, as both machines have it
    record(shard1, 2, 0.8739, "b");
    record(shard2, 3, 0.8711, "c");

    MergeRule.Outcome<BaselineMerge.Key, BaselineMerge.Run> o =
        BaselineMerge.merge(ours, List.of(shard1, shard2), MergeRule.Keep.NEITHER);
    assertEquals(2, o.added().size());
    assertEquals(1, o.identical().size());
    assertEquals(List.of(1L, 2L, 3L), AccuracyBaselines.read(ours).rows().stream().map(AccuracyRecord::seed).toList());
    assertEquals(15, EpochBaselines.read(ours).rows().size());

    String once = contents(ours);
    BaselineMerge.merge(ours, List.of(shard1, shard2), MergeRule.Keep.NEITHER);
    assertEquals(once, contents(ours), "merging again changes nothing");
  }

  @Test
  void aRunRecordedDifferentlyIsRefusedWithBothRowsUnlessToldWhichToKeep() throws Exception {
    Path ours = folder("ours");
    Path theirs = folder("theirs");
    record(ours, 1, 0.8685, "ours-box");
    record(theirs, 1, 0.8701, "their-box");
    record(theirs, 2, 0.8739, "their-box");
    String before = contents(ours);

    MergeRule.ConflictException e = assertThrows(MergeRule.ConflictException.class,
        () -> BaselineMerge.merge(ours, List.of(theirs), MergeRule.Keep.NEITHER));
    assertTrue(e.getMessage().contains("mlp full layer-api seed 1"), e.getMessage());
    assertTrue(e.getMessage().contains("0.8685") && e.getMessage().contains("ours-box"), e.getMessage());
    assertTrue(e.getMessage().contains("0.8701") && e.getMessage().contains("their-box"), e.getMessage());
    assertTrue(e.getMessage().contains("--keep"), e.getMessage());
    assertEquals(before, contents(ours), "a refused merge changes nothing, not even the new run");

    BaselineMerge.merge(ours, List.of(theirs), MergeRule.Keep.OURS);
    assertEquals(List.of(0.8685, 0.8739), accuracies(ours));
    BaselineMerge.merge(ours, List.of(theirs), MergeRule.Keep.THEIRS);
    assertEquals(List.of(0.8701, 0.8739), accuracies(ours));
    assertEquals(0.8701, EpochBaselines.read(ours).rows().get(0).testAccuracy(), "the epochs came with their run");
  }

  @Test
  void aCrashBeforeTheCommitPointLeavesTheFilesAsTheyWere() throws Exception {
    Path ours = folder("ours");
    Path theirs = folder("theirs");
    record(ours, 1, 0.8685, "a");
    record(theirs, 2, 0.8739, "b");
    String before = contents(ours);
    assertThrows(Crash.class, () -> BaselineMerge.merge(ours, List.of(theirs), MergeRule.Keep.NEITHER, crashAt("staged")));
    assertEquals(before, contents(ours));
    assertEquals(1, AccuracyBaselines.read(ours).rows().size());
    try (var files = Files.list(ours)) {
      assertEquals(List.of("accuracy.csv", "epochs.csv"), files.map(p -> p.getFileName().toString())
          .filter(f -> !f.equals(BaselinesLock.FILE)).sorted().toList(), "the next read removed the staged files");
    }
  }

  @Test
  void aCrashAfterTheCommitPointIsFinishedByTheNextRead() throws Exception {
    Path ours = folder("ours");
    Path theirs = folder("theirs");
    record(ours, 1, 0.8685, "a");
    record(theirs, 2, 0.8739, "b");
    Path expected = folder("expected");
    record(expected, 1, 0.8685, "a");
    BaselineMerge.merge(expected, List.of(theirs), MergeRule.Keep.NEITHER);

    assertThrows(Crash.class, () -> BaselineMerge.merge(ours, List.of(theirs), MergeRule.Keep.NEITHER,
        crashAt("renamed epochs.csv")));
    // One file renamed, the other not: the marker says the merge committed, so a read finishes it.
    assertTrue(Files.exists(ours.resolve(BaselineMerge.MARKER)));
    assertEquals(2, AccuracyBaselines.read(ours).rows().size());
    assertEquals(contents(expected), contents(ours));
    assertFalse(Files.exists(ours.resolve(BaselineMerge.MARKER)));
  }

  @Test
  void aFolderWithoutBaselinesIsNamed() throws Exception {
    Path ours = folder("ours");
    Path empty = folder("empty");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BaselineMerge.merge(ours, List.of(empty), MergeRule.Keep.NEITHER));
    assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("accuracy.csv"), e.getMessage());
  }

  private static final class Crash extends RuntimeException {}

  private static Consumer<String> crashAt(String step) {
    return s -> {
      if (s.equals(step)) {
        throw new Crash();
      }
    };
  }

  /** A shard that ran oneDNN uncapped (an AVX-512 machine of a hosted pool) cannot join the AVX2 rows. */
  @Test
  void aRunRecordedWithoutTheKernelCapIsRefused() throws Exception {
    Path ours = folder("ours");
    record(ours, 1, 0.87, "A");
    Path shard = folder("shard");
    record(shard, 2, 0.88, "Intel Xeon", "CpuBackend[build=onednn-avx2,helpers=on]");
    String before = contents(ours);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BaselineMerge.merge(ours, List.of(shard), MergeRule.Keep.NEITHER));
    assertTrue(e.getMessage().contains("seed 2") && e.getMessage().contains("ONEDNN_MAX_CPU_ISA=AVX2"), e.getMessage());
    assertEquals(before, contents(ours));
  }
}
