package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

class CountSpreadTest {
  static CountResults run(String jit, String cpu, List<CountResults.Point> points) {
    return run("abc", jit, cpu, points);
  }

  static CountResults run(String commit, String jit, String cpu, List<CountResults.Point> points) {
    return new CountResults(new CountResults.Setting(commit, jit, List.of(), "valgrind-3.19.0", "default", cpu, 30, 1, 2,
        false, "2026-12-04T00:00:00Z"), points);
  }

  /** A process whose two segments counted {@code a} and {@code b} instructions, {@code nativeShare} of them in a library. */
  static CountResults.Point point(String variant, double a, double b, double nativeShare) {
    double mean = (a + b) / 2;
    return new CountResults.Point("trainStep", variant, "layer-api", 32, "ok", 1, null,
        List.of(Map.of("Ir", a), Map.of("Ir", b)),
        Map.of("libnd4jcpu.so", mean * nativeShare, "???", mean * (1 - nativeShare) * 0.8, "libjvm.so",
            mean * (1 - nativeShare) * 0.2),
        List.of(), 60);
  }

  @Test
  void theSpreadIsTheProcessesRelativeSampleSdAsCommonsMathComputesIt() {
    double[] figures = {100_000, 100_300, 99_800, 100_100, 99_900};
    List<CountResults.Point> points = new ArrayList<>();
    for (double f : figures) {
      points.add(point("cnn", f - 50, f + 50, 0.6));
    }
    CountSpread s = CountSpread.of(List.of(run("c1", "AMD EPYC", points))).get(0);
    DescriptiveStatistics ref = new DescriptiveStatistics(figures);
    assertEquals(100 * ref.getStandardDeviation() / ref.getMean(), s.sdPercent(), 1e-9);
    assertEquals(ref.getMean(), s.mean(), 1e-9);
    assertEquals(100 * (100_300 - 99_800) / ref.getMean(), s.rangePercent(), 1e-9);
    // each process's segments are 100 apart
    assertEquals(100 * 100 / 99_800.0, s.withinProcessPercent(), 1e-9);
    // the native figures are 0.6 of each: the same relative spread
    assertEquals(s.sdPercent(), s.nativeSdPercent(), 1e-9);
  }

  @Test
  void jitSettingsAndCpuModelsAreKeptApartAndFailuresAreNotFigures() {
    CountResults.Point failed = new CountResults.Point("trainStep", "cnn", "layer-api", 32, "failed", 3, "exit 134",
        List.of(), Map.of(), List.of(), 90);
    List<CountSpread> spreads = CountSpread.of(List.of(
        run("c1", "AMD EPYC", List.of(point("cnn", 10, 10, 1), point("cnn", 12, 12, 1), failed)),
        run("tiered", "AMD EPYC", List.of(point("cnn", 20, 20, 1))),
        run("c1", "Intel Xeon", List.of(point("cnn", 30, 30, 1)))));
    assertEquals(3, spreads.size());
    CountSpread amdC1 = spreads.stream().filter(s -> s.jit().equals("c1") && s.cpu().equals("AMD EPYC")).findFirst()
        .orElseThrow();
    assertEquals(List.of(10.0, 12.0), amdC1.processes());
    assertEquals(1, CountSpread.failures(List.of(run("c1", "AMD EPYC", List.of(failed)))).size());
  }

  /** A spread pooling two builds' processes names both, once each, in the runs' order, and how far apart they count. */
  @Test
  void aSpreadNamesTheBuildsItPoolsAndHowFarApartTheyCount() {
    List<CountSpread> spreads = CountSpread.of(List.of(
        run("b1", "c1", "AMD EPYC", List.of(point("cnn", 100, 100, 1), point("mlp", 10, 10, 1))),
        run("b2", "c1", "AMD EPYC", List.of(point("cnn", 103, 103, 1))),
        run("b1", "c1", "AMD EPYC", List.of(point("cnn", 102, 102, 1)))));
    CountSpread cnn = spreads.stream().filter(s -> s.key().contains("/cnn/")).findFirst().orElseThrow();
    assertEquals(List.of("b1", "b2"), cnn.builds());
    // b1's mean 101, b2's 103, over the mean of all three, 305 / 3
    assertEquals(100 * 2 / (305 / 3.0), cnn.betweenBuildsPercent(), 1e-9);
    CountSpread mlp = spreads.stream().filter(s -> s.key().contains("/mlp/")).findFirst().orElseThrow();
    assertEquals(List.of("b1"), mlp.builds());
    assertTrue(Double.isNaN(mlp.betweenBuildsPercent()));
  }

  @Test
  void nativeInstructionsLeaveOutGeneratedCodeAndTheJvm() {
    CountResults.Point p = point("mlp", 1000, 1000, 0.25);
    assertEquals(250, CountSpread.nativeInstructions(p), 1e-9);
  }

  /**
   * SameDiff's mlp inference is counted under malloc=mapped ({@link CountingRuntime}): its A/A takes
   * those processes alone. A point read from a run from before points recorded their runtime ran
   * under the run's overrides.
   */
  @Test
  void aPointsAaTakesOnlyItsProcessesUnderItsOwnCountingRuntime() throws Exception {
    CountResults.Point p = new CountResults.Point("inference", "mlp", "samediff", 32, "ok", 1, null,
        List.of(Map.of("Ir", 100.0)), Map.of(), List.of(), 60);
    CountResults retain = run("c1", "AMD EPYC", List.of(p, p));
    assertEquals("", retain.points().get(0).runtimeOverrides(), "a point without its own: the run's");
    CountResults mapped = run("c1", "AMD EPYC", List.of(p.withRuntimeOverrides("malloc=mapped")));
    List<CountSpread> spreads = CountSpread.of(List.of(retain, mapped));
    assertEquals(1, spreads.size());
    assertEquals(List.of(100.0), spreads.get(0).processes());
    // the other points keep the base: their processes under it are their A/A
    assertEquals(2, CountSpread.of(List.of(run("c1", "AMD EPYC", List.of(point("cnn", 1, 1, 1), point("cnn", 1, 1, 1)))))
        .get(0).processes().size());

    // read back from JSON: a point written without the field takes its run's overrides, one with it keeps its own
    Path dir = Files.createTempDirectory("counts");
    Path file = dir.resolve("counts-c1.json");
    mapped.write(file);
    assertEquals("malloc=mapped", CountResults.read(file).points().get(0).runtimeOverrides());
    String legacy = Files.readString(file).replaceAll(",\\s*\"runtime_overrides\"\\s*:\\s*\"malloc=mapped\"", "")
        .replace("\"runtime_overrides\" : \"\"", "\"runtime_overrides\" : \"helpers=off\"");
    Files.writeString(file, legacy);
    assertEquals("helpers=off", CountResults.read(file).points().get(0).runtimeOverrides(), legacy);
  }
}
