package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fmnistbench.results.RunMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report's header names the machine and time of the run it renders, read from the run's metadata, not the renderer's. */
class DocumentsHeaderTest {
  @Test
  void theHeaderIsTheRunsNotTheRenderingMachines(@TempDir Path dir) throws Exception {
    Path recorded = Path.of("reports/20261201T003800Z-9194cbc5ae77");
    Path run = Files.createDirectories(dir.resolve("20261201T003800Z-9194cbc5ae77"));
    for (int r = 1; r <= 2; r++) {
      Files.copy(recorded.resolve("run" + r + "-metadata-cpu.json"), run.resolve("run" + r + "-metadata-cpu.json"));
    }
    RunMetadata last = RunMetadata.read(run.resolve("run2-metadata-cpu.json"));
    String header = Documents.header("T", "cmd", run, "abc");
    assertTrue(header.contains("measured until " + last.collectedAt()), header);
    assertTrue(header.contains("- machine: " + last.cpu().model() + ", " + last.cpu().logicalCores() + " logical cores, SIMD "
        + last.cpu().simd() + "\n"), header);
    String bare = Documents.header("T", "cmd", Files.createDirectories(dir.resolve("no-metadata")), "abc");
    assertTrue(bare.contains("- machine: not known: the run kept no metadata") && bare.contains("rendered "), bare);
  }
}
