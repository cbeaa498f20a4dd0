package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code BenchDriver count-compare}, the comparison of two builds' counts by hand, as a user runs it:
 * exit code, what it prints and the function it names; limits from the A/A runs kept beside COUNTS.md.
 */
class CountCompareTest {
  @TempDir
  Path tmp;

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome compare(Path baseline, Path candidate) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BenchDriver.withRefusalsAsMessages(BenchDriver.commandLine())
        .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute("count-compare", baseline.toString(), candidate.toString());
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void aChangeBeyondTheLimitFailsAndNamesTheFunctionThatMoved() throws Exception {
    InterleavedCountsTest.write(tmp.resolve("before"), 100e6, 10e6);
    InterleavedCountsTest.write(tmp.resolve("after"), 105e6, 15e6);

    Outcome o = compare(tmp.resolve("before/run"), tmp.resolve("after/run/counts-c1.json"));

    assertEquals(1, o.exitCode(), o.err());
    assertTrue(o.out().contains("trainStep/cnn/layer-api/32: +5.000 % (limit "), o.out());
    assertTrue(o.out().contains(" CHANGED\n    +5.0 M instructions/op in libnd4jcpu.so: im2col"), o.out());
  }

  @Test
  void theSameCountsOnBothSidesPassAndNameNothing() throws Exception {
    InterleavedCountsTest.write(tmp.resolve("before"), 100e6, 10e6);

    Outcome o = compare(tmp.resolve("before/run"), tmp.resolve("before/run"));

    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("trainStep/cnn/layer-api/32: +0.000 % (limit "), o.out());
    assertFalse(o.out().contains("CHANGED"), o.out());
  }

  @Test
  void runsOnDifferentPlatformsAreComparedWithAWarning() throws Exception {
    InterleavedCountsTest.write(tmp.resolve("before"), 100e6, 10e6);
    InterleavedCountsTest.write(tmp.resolve("after"), 100e6, 10e6);
    Path file = tmp.resolve("after/run/counts-c1.json");
    CountResults r = CountResults.read(file);
    new CountResults(r.setting().withPlatform("JDK Temurin 17.0.14+7; glibc 2.39"), r.points()).write(file);

    Outcome o = compare(tmp.resolve("before/run"), tmp.resolve("after/run"));

    assertEquals(0, o.exitCode(), o.err());
    assertTrue(o.out().contains("The runs were counted on different platforms (not recorded; JDK Temurin 17.0.14+7; glibc 2.39)"),
        o.out());
    assertFalse(compare(tmp.resolve("before/run"), tmp.resolve("before/run")).out().contains("different platforms"));
  }

  private static CountResults.Point process(double total, double im2col) {
    return new CountResults.Point("trainStep", "cnn", "layer-api", 32, "ok", 1, null, List.of(Map.of("Ir", total)),
        Map.of("libnd4jcpu.so", total), List.of(new CountResults.FunctionCount("libnd4jcpu.so", "im2col", im2col)), 10);
  }

  private static Path run(Path dir, List<CountResults.Point> processes) throws Exception {
    return run(dir, "c1", processes);
  }

  /** A counting run of {@code processes} under JIT setting {@code jit}: its folder. */
  private static Path run(Path dir, String jit, List<CountResults.Point> processes) throws Exception {
    Files.createDirectories(dir);
    new CountResults(new CountResults.Setting("abc", jit, List.of(), "valgrind-3.19.0", "default", "AMD EPYC", 20, 1, 3,
        false, "2026-12-04T00:00:00Z"), processes).write(dir.resolve("counts-" + jit + ".json"));
    return dir;
  }

  /** Builds counted with --processes 3: one line per point, judged on each side's median process, not on an outlier. */
  @Test
  void runsOfSeveralProcessesPerPointAreComparedByTheirMedianProcess() throws Exception {
    CountResults.Point failed = new CountResults.Point("trainStep", "cnn", "layer-api", 32, "failed", 3, "SIGILL",
        List.of(), Map.of(), List.of(), 10);
    Path before = run(tmp.resolve("before"), List.of(process(100e6, 10e6), process(100.01e6, 10e6), process(99.99e6, 10e6)));
    Path outlier = run(tmp.resolve("outlier"), List.of(process(100e6, 10e6), process(150e6, 60e6), failed,
        process(100.02e6, 10e6)));
    Path slower = run(tmp.resolve("slower"), List.of(process(103e6, 13e6), process(103e6, 13e6), process(100e6, 10e6)));

    Outcome same = compare(before, outlier);
    Outcome changed = compare(before, slower);

    assertEquals(0, same.exitCode(), same.out());
    assertEquals(1, same.out().lines().filter(l -> l.startsWith("trainStep/cnn/layer-api/32: ")).count(), same.out());
    assertTrue(same.out().contains("trainStep/cnn/layer-api/32: +0.020 % (limit "), same.out());
    assertTrue(same.out().contains("median processes of 3 and 3\n"), same.out());
    assertEquals(1, changed.exitCode(), changed.out());
    assertTrue(changed.out().contains("trainStep/cnn/layer-api/32: +3.000 % (limit "), changed.out());
    assertTrue(changed.out().contains("+3.0 M instructions/op in libnd4jcpu.so: im2col"), changed.out());
  }

  @Test
  void refusesRunsOfTwoJitSettingsAndAFolderWithoutCounts() throws Exception {
    InterleavedCountsTest.write(tmp.resolve("c1"), 100e6, 10e6);
    Path tiered = run(tmp.resolve("tiered"), "tiered", List.of(process(100e6, 10e6)));
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    Outcome jits = compare(tmp.resolve("c1/run"), tiered);
    Outcome none = compare(empty, tmp.resolve("c1/run"));

    assertEquals(1, jits.exitCode());
    assertEquals("bench: the runs counted under different JIT settings (c1, tiered): their counts do not compare\n",
        jits.err());
    assertEquals(1, none.exitCode());
    assertEquals("bench: " + empty + " holds no counts-<jit>.json\n", none.err());
  }

  @Test
  void aPointOnlyTheBaselineCountedIsNamedAndNothingComparedIsNoPass() throws Exception {
    CountResults.Point inference = new CountResults.Point("inference", "mlp", "layer-api", 32, "ok", 1, null,
        List.of(Map.of("Ir", 5e6)), Map.of("libnd4jcpu.so", 5e6), List.of(), 10);
    Path both = run(tmp.resolve("both"), List.of(process(100e6, 10e6), inference));
    Path train = run(tmp.resolve("train"), List.of(process(100e6, 10e6)));
    Path infer = run(tmp.resolve("infer"), List.of(inference));

    Outcome lacking = compare(both, train);
    Outcome disjoint = compare(train, infer);

    assertEquals(0, lacking.exitCode(), lacking.err());
    assertTrue(lacking.out().contains("inference/mlp/layer-api/32: not counted in both runs (candidate lacks it)\n"),
        lacking.out());
    assertTrue(lacking.out().endsWith("1 of 2 points compared, 0 changed\n"), lacking.out());
    assertEquals(1, disjoint.exitCode(), disjoint.out());
    assertTrue(disjoint.out().contains("trainStep/cnn/layer-api/32: not counted in both runs (candidate lacks it)"));
    assertTrue(disjoint.out().contains("inference/mlp/layer-api/32: not counted in both runs (baseline lacks it)"));
    assertEquals("bench: no point was counted comparably in both runs: nothing to compare\n", disjoint.err());
  }
}
