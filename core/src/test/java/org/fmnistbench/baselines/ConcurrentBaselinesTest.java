package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.fmnistbench.io.MergeRule;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes writing one baselines folder at once, a merge and a recording, lose nothing:
 * without the folder's lock and the re-read under it, each rewrote the files from what it had
 * read, and dropped the other's runs.
 */
class ConcurrentBaselinesTest {
  @TempDir Path tmp;

  static AccuracyRecord row(long seed) {
    return new AccuracyRecord("mlp", "full", "layer-api", Tier.FULL.recipe(Variant.MLP).describe(), seed, 0.87, 0.36,
        10000, 0.29, 150.0, "CpuBackend[build=onednn-avx2,onednn-max-isa=avx2]", "1.0.0-M2.1", "abc",
        "2026-11-30T00:00:00Z", "A", "", 0.0);
  }

  static void record(Path dir, long seed) {
    AccuracyRecord row = row(seed);
    EpochBaselines.read(dir).put(row, IntStream.rangeClosed(1, 5).mapToObj(e -> new EpochRecord("mlp", "full",
        "layer-api", seed, e, 0.3, 0.9, 0.36, 0.87, 60000, 30.0, 500, 1.0, "abc")).toList());
    AccuracyBaselines.read(dir).put(row);
  }

  /** A writer process: {@code DIR put|merge FROM COUNT}. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long from = Long.parseLong(args[2]);
    int count = Integer.parseInt(args[3]);
    for (long seed = from; seed < from + count; seed++) {
      if (args[1].equals("put")) {
        record(dir, seed);
      } else {
        Path one = Files.createTempDirectory(dir.getParent(), "shard-" + seed + "-");
        record(one, seed);
        BaselineMerge.merge(dir, List.of(one), MergeRule.Keep.NEITHER);
      }
    }
  }

  private Process writer(Path dir, String mode, long from, int count) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ConcurrentBaselinesTest.class.getName(),
        dir.toString(), mode, Long.toString(from), Integer.toString(count)).inheritIO().start();
  }

  @Test
  void aMergeAndARecordingAtOnceLoseNothing() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("baselines"));
    Process merging = writer(dir, "merge", 1, 25);
    Process recording = writer(dir, "put", 101, 25);
    assertTrue(merging.waitFor(3, TimeUnit.MINUTES) && recording.waitFor(1, TimeUnit.MINUTES));
    assertEquals(0, merging.exitValue());
    assertEquals(0, recording.exitValue());
    assertEquals(50, AccuracyBaselines.read(dir).rows().size());
    assertEquals(250, EpochBaselines.read(dir).rows().size());
  }
}
