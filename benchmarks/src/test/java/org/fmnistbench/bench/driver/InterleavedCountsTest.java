package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** interleave --count's section, from made-up counts of both sides: the change is called beyond the limit, with its function. */
class InterleavedCountsTest {
  static void write(Path dir, double total, double im2col) throws Exception {
    Files.createDirectories(dir.resolve("run"));
    new CountResults(new CountResults.Setting("abc", "c1", List.of(), "valgrind-3.19.0", "default", "AMD EPYC", 20, 1, 3,
        false, "2026-12-04T00:00:00Z"), List.of(new CountResults.Point("trainStep", "cnn", "layer-api", 32, "ok", 1, null,
        List.of(Map.of("Ir", total)), Map.of("libnd4jcpu.so", total),
        List.of(new CountResults.FunctionCount("libnd4jcpu.so", "im2col", im2col)), 10)))
        .write(dir.resolve("run").resolve("counts-c1.json"));
  }

  static void writeSameDiffMlpInference(Path dir, String runtimeOverrides, double total) throws Exception {
    Files.createDirectories(dir.resolve("run"));
    new CountResults(new CountResults.Setting("abc", "c1", List.of(), "valgrind-3.19.0", "default", "AMD EPYC", 20, 1, 3,
        false, "2026-12-04T00:00:00Z"), List.of(new CountResults.Point("inference", "mlp", "samediff", 32, "ok", 1, null,
        List.of(Map.of("Ir", total)), Map.of("libnd4jcpu.so", total),
        List.of(new CountResults.FunctionCount("libnd4jcpu.so", "gemm", total)), 10).withRuntimeOverrides(runtimeOverrides)))
        .write(dir.resolve("run").resolve("counts-c1.json"));
  }

  /**
   * SameDiff's mlp inference is counted under malloc=mapped (CountingRuntime): a build counted before
   * that, under the base's malloc=retain, is no baseline for it, and the section says so rather than
   * calling the runtime's difference a change of the build.
   */
  @Test
  void aPointCountedUnderAnotherRuntimeOnOneSideIsNotCompared(@TempDir Path runDir) throws Exception {
    writeSameDiffMlpInference(runDir.resolve("counts-baseline"), "", 3.386e6);
    writeSameDiffMlpInference(runDir.resolve("counts-candidate"), "malloc=mapped", 3.362e6);
    String md = Interleaved.countedSection(runDir);
    assertTrue(md.contains("| inference/mlp/samediff/32 | counted under different runtimes (baseline '', candidate "
        + "'malloc=mapped'): not comparable |"), md);
  }

  @Test
  void aCountedChangeBeyondTheLimitIsCalledWithTheFunctionThatMoved(@TempDir Path runDir) throws Exception {
    assertEquals("", Interleaved.countedSection(runDir), "no counts: no section");
    write(runDir.resolve("counts-baseline"), 100e6, 10e6);
    write(runDir.resolve("counts-candidate"), 105e6, 15e6);
    String md = Interleaved.countedSection(runDir);
    assertTrue(md.contains("| trainStep/cnn/layer-api/32 | 100,000,000 | 105,000,000 | +5.000 % |"), md);
    assertTrue(md.contains("| yes | +5.0 M instructions/op in libnd4jcpu.so: im2col |"), md);
  }
}
