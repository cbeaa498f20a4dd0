package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;

/**
 * {@code count --complete-aa} counts what the kept A/A lacks: the processes kept of each point on this
 * CPU model under this JIT setting and the point's counting runtime, never another's, and a resumed
 * run's own processes once.
 */
class CompleteAaTest {
  private static CountResults run(String jit, String cpu, String overrides, CountResults.Point... points) {
    return new CountResults(new CountResults.Setting("abc", jit, List.of(), "valgrind-3.19.0", "default", cpu, 20, 1, 3,
        false, "2026-12-07T00:00:00Z", overrides, ""), List.of(points));
  }

  private static CountResults.Point ok(String variant, String engine) {
    return new CountResults.Point("inference", variant, engine, 32, "ok", 1, null, List.of(Map.of("Ir", 100.0)),
        Map.of(), List.of(), 60);
  }

  @Test
  void keptProcessesAreThoseOfThisCpuJitAndCountingRuntime() {
    CountResults.Point failed = new CountResults.Point("inference", "cnn", "layer-api", 32, "failed", 3, "exit 134",
        List.of(), Map.of(), List.of(), 90);
    Map<String, CountResults> kept = Map.of(
        "r1/counts-c1.json", run("c1", "Intel Xeon", "", ok("cnn", "layer-api"), ok("cnn", "layer-api"), failed,
            ok("mlp", "samediff")),
        "r2/counts-c1.json", run("c1", "Intel Xeon", "malloc=mapped", ok("mlp", "samediff"), ok("cnn", "layer-api")),
        "r3/counts-tiered.json", run("tiered", "Intel Xeon", "", ok("cnn", "layer-api")),
        "r4/counts-c1.json", run("c1", "AMD EPYC", "", ok("cnn", "layer-api")));
    Map<String, Integer> have = CountCommand.keptProcesses(kept, "c1", "Intel Xeon", null);
    // mlp/samediff counts under malloc=mapped: r1's process under the base is not its A/A; r2's cnn is under another
    assertEquals(Map.of("inference/cnn/layer-api/32", 2, "inference/mlp/samediff/32", 1), have);
    assertEquals(Map.of("inference/cnn/layer-api/32", 1),
        CountCommand.keptProcesses(kept, "tiered", "Intel Xeon", null));
  }

  @Test
  void aResumedRunsOwnFolderIsNotCountedTwice() {
    Map<String, CountResults> kept = Map.of(
        "r1/counts-c1.json", run("c1", "Intel Xeon", "", ok("cnn", "layer-api")),
        "r2/counts-c1.json", run("c1", "Intel Xeon", "", ok("cnn", "layer-api"), ok("cnn", "layer-api")));
    assertEquals(Map.of("inference/cnn/layer-api/32", 1),
        CountCommand.keptProcesses(kept, "c1", "Intel Xeon", Path.of("/work/runs/r2")));
  }
}
