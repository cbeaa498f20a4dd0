package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmnistbench.bench.count.CountSetting;
import org.fmnistbench.results.CountDrill;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;

/** COUNTS.md rendered from made-up runs: the verdict per point follows the data, not the wording. */
class CountsDocumentTest {
  private static final CountsDocument.RuntimeChange CHANGE = CountSetting::changeOf;

  private static CountResults run(String cpu, double... figures) {
    List<CountResults.Point> points = new ArrayList<>();
    for (double f : figures) {
      points.add(new CountResults.Point("inference", "mlp", "layer-api", 32, "ok", 1, null,
          List.of(Map.of("Ir", f), Map.of("Ir", f)), Map.of("libnd4jcpu.so", f), List.of(), 50));
    }
    points.add(new CountResults.Point("trainStep", "cnn", "samediff", 32, "failed", 3, "attempt 3: exit 134", List.of(),
        Map.of(), List.of(), 200));
    return new CountResults(new CountResults.Setting("abc", "c1", List.of("-Xbatch"), "valgrind-3.19.0", "default", cpu, 30,
        1, 2, false, "2026-12-04T00:00:00Z"), points);
  }

  /** {@code run}'s points as a run with {@code overrides} counts them. */
  private static CountResults under(String overrides, CountResults run) {
    CountResults.Setting s = run.setting();
    return new CountResults(new CountResults.Setting(s.commit(), s.jit(), s.jvmFlags(), s.valgrind(),
        "default," + overrides, s.cpu(), s.warmupOps(), s.stepsPerSegment(), s.segments(), s.cacheSimulation(), s.started(),
        overrides, s.platform()), run.points().stream().map(p -> p.withRuntimeOverrides(overrides)).toList());
  }

  /** The run's summary names its platform, or says it was not recorded (runs from before it was). */
  @Test
  void theSettingLineNamesThePlatform() {
    CountResults old = run("AMD EPYC", 1000);
    assertTrue(CountTable.settingLine(old).endsWith("; platform not recorded."), CountTable.settingLine(old));
    CountResults recorded = new CountResults(old.setting().withPlatform("JDK Temurin 17.0.14+7; glibc 2.39"), old.points());
    String line = CountTable.settingLine(recorded);
    assertTrue(line.endsWith("; platform JDK Temurin 17.0.14+7; glibc 2.39."), line);
    assertTrue(line.startsWith("Commit abc, AMD EPYC, JIT setting c1, runtime default;"), line);
  }

  @Test
  void aPointWithinTheTargetIsMetOneBeyondItIsMissedAndAFailureIsListed() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("steady/counts-c1.json", run("AMD EPYC", 1000, 1001, 999, 1000, 1000));
    String steady = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(steady.contains("| met |"), steady);
    assertTrue(steady.contains("FAILED trainStep/cnn/samediff/32"), steady);
    assertTrue(steady.contains("counted on one CPU model only"), steady);

    runs.put("noisy/counts-c1.json", run("Intel Xeon", 1000, 1030, 970, 1000, 1010));
    String both = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(both.contains("| **missed** |"), both);
    assertTrue(both.contains("AMD EPYC: 1,000 (5); Intel Xeon: 1,002 (5)"), both);
    assertTrue(both.contains("| inside A/A |"), both);
  }

  /** A point whose processes come from two builds' runs says so beside their number. */
  @Test
  void anAaPoolingTwoBuildsNamesHowMany() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("one/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000));
    assertTrue(CountsDocument.markdown("count-report", runs, CHANGE)
        .contains("| inference | mlp | layer-api | c1 | AMD EPYC | 3 | 1,000 |"));
    CountResults other = run("AMD EPYC", 1010, 1010);
    CountResults.Setting s = other.setting();
    runs.put("two/counts-c1.json", new CountResults(new CountResults.Setting("def", s.jit(), s.jvmFlags(), s.valgrind(),
        s.runtime(), s.cpu(), s.warmupOps(), s.stepsPerSegment(), s.segments(), s.cacheSimulation(), s.started()),
        other.points()));
    String doc = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(doc.contains("| inference | mlp | layer-api | c1 | AMD EPYC | 5 (2 builds) | 1,004 |"), doc);
    assertTrue(doc.contains("more than one build: 1; the builds' own means, (largest - smallest) over the mean, beside "
        + "the point's spread: inference/mlp/layer-api/32 (c1, AMD EPYC): 0.996 % apart, 1 sd 0.546 %."), doc);
  }

  @Test
  void aCountUnderAnotherRuntimeSettingIsSetBesideTheDefaultsAndNotPooledWithIt() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("aa/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000, 1000, 1000));
    runs.put("glibc/counts-c1.json", under("malloc=glibc", run("AMD EPYC", 1010)));
    String doc = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(doc.contains("| `malloc=glibc` | inference/mlp/layer-api/32 | c1 | AMD EPYC | 1,000 | 1,010 | +1.000 % | [SWEEP-malloc.md]"), doc);
    // the A/A row still has 5 processes: the other setting's count is not one of them
    assertTrue(doc.contains("| inference | mlp | layer-api | c1 | AMD EPYC | 5 | 1,000 |"), doc);
  }

  @Test
  void theSpreadUnderAChangedSettingIsSetBesideTheCountingRuntimesOwn() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("aa/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000, 1020, 1020));
    runs.put("mapped/counts-c1.json", under("malloc=mapped", run("AMD EPYC", 1000, 1000, 1001)));
    String doc = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(doc.contains("| `malloc=mapped` | inference/mlp/layer-api/32 | c1 | AMD EPYC | 3 | 1,000 | 0.058 % | 1.087 % | 5 |"),
        doc);
    // its three processes are one example, at their mean, not three
    String example = "| `malloc=mapped` | inference/mlp/layer-api/32 | c1 | AMD EPYC | 1,008 | 1,000 | -0.761 % | not measured (a counting aid) |";
    assertEquals(doc.indexOf(example), doc.lastIndexOf(example), doc);
    assertTrue(doc.contains(example), doc);
    // and the setting is summed up against the counting runtime: tighter here, and the count moved
    assertTrue(doc.contains("- `malloc=mapped`, JIT c1 on AMD EPYC: points with 2 or more processes: 1; of the 1 that the "
        + "counting runtime has a spread for too, 1 spread less under the setting; their means differ from the counting "
        + "runtime's by -0.761 % to -0.761 %."), doc);
    // a setting counted where the counting runtime has no A/A is said to have nothing beside it, not given NaN figures
    runs.put("mapped-intel/counts-c1.json", under("malloc=mapped", run("Intel Xeon", 1000, 1001)));
    String more = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(more.contains("- `malloc=mapped`, JIT c1 on Intel Xeon: points with 2 or more processes: 1; the counting "
        + "runtime has a spread for none of them."), more);
    assertFalse(more.contains("NaN"), more);
    assertFalse(CountsDocument.markdown("count-report", Map.of("aa/counts-c1.json", runs.get("aa/counts-c1.json")), CHANGE)
        .contains("### A/A under a changed runtime setting"), "no section without such a run");
  }

  /** Processes of SameDiff's mlp inference, a point counted under malloc=mapped (CountingRuntime), under {@code overrides}. */
  private static CountResults sameDiffMlpInference(String overrides, double... figures) {
    List<CountResults.Point> points = new ArrayList<>();
    for (double f : figures) {
      points.add(new CountResults.Point("inference", "mlp", "samediff", 32, "ok", 1, null,
          List.of(Map.of("Ir", f), Map.of("Ir", f)), Map.of("libnd4jcpu.so", f), List.of(), 50)
          .withRuntimeOverrides(overrides));
    }
    return new CountResults(new CountResults.Setting("abc", "c1", List.of(), "valgrind-3.19.0", "default", "AMD EPYC", 30,
        1, 2, false, "2026-12-04T00:00:00Z"), points);
  }

  @Test
  void aPointsAaTakesOnlyItsProcessesUnderItsOwnCountingRuntimeAndItsDrillsUnderAnotherAreNotJudged() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    // counted before the point had its own runtime: the base's malloc=retain, two values apart
    runs.put("retain/counts-c1.json", sameDiffMlpInference("", 1000, 1000, 1000, 1020, 1020));
    runs.put("mapped/counts-c1.json", sameDiffMlpInference("malloc=mapped", 990, 990, 990, 990, 991));
    CountDrill.Row old = new CountDrill.Row("inference/mlp/samediff/32", "aa", 0, 0, 0, 0.012, 0.0, Double.NaN, 0.037,
        false, null);
    String doc = CountsDocument.markdown("count-report", runs, List.of(new CountDrill("abc", "AMD EPYC", "c1", List.of(old))),
        CHANGE);
    // its A/A: the five mapped processes, met on all instructions
    assertTrue(doc.contains("| inference | mlp | samediff | c1 | AMD EPYC | 5 | 990 | 0.045 % |"), doc);
    assertTrue(doc.contains("| all | met |"), doc);
    // the retain processes: a changed setting of this point, named as what they change of its counting runtime
    assertTrue(doc.contains("| `malloc=retain` | inference/mlp/samediff/32 | c1 | AMD EPYC | 5 | 1,008 | 1.087 % | 0.045 % | 5 |"),
        doc);
    // a drill of it under retain is shown as not judged, and is not in the tally
    assertTrue(doc.contains("Not judged: counted under another runtime than the point's counting runtime now (what the "
        + "drill ran under, as a change of it, in brackets), which its limits do not hold for: "
        + "inference/mlp/samediff/32 (`malloc=retain`)."), doc);
    assertTrue(doc.contains("the latest of each of 0 points"), doc);
  }

  @Test
  void fewerThanFiveProcessesAreNotJudged() {
    String doc = CountsDocument.markdown("count-report", Map.of("short/counts-c1.json", run("AMD EPYC", 1000, 1100)),
        CHANGE);
    assertTrue(doc.contains("fewer than 5 processes"), doc);
  }

  @Test
  void whatTheAaStillLacksIsListedPerJitAndCpuModelIncludingAPairNeverCounted() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("amd/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000, 1000, 1000));
    String one = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(one.contains("Every point has 5 or more processes under each JIT setting on each CPU model met."), one);

    runs.put("intel/counts-c1.json", run("Intel Xeon", 1000, 1000));
    CountResults tiered = run("AMD EPYC", 1000, 1000, 1000, 1000, 1000);
    runs.put("amd/counts-tiered.json", new CountResults(new CountResults.Setting("abc", "tiered", List.of(), "valgrind-3.19.0",
        "default", "AMD EPYC", 60, 1, 2, false, "2026-12-04T00:00:00Z"), tiered.points()));
    String three = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(three.contains("- JIT c1 on Intel Xeon: 0 of 1 points have 5 processes; lacking: inference/mlp/layer-api/32 (2)."),
        three);
    assertTrue(three.contains("- JIT tiered on Intel Xeon: none of the 1 points counted yet."), three);
    String lacking = three.substring(three.indexOf("Still to count"), three.indexOf("## Across CPU models"));
    assertFalse(lacking.contains("AMD EPYC"), lacking); // both of its JIT settings have their 5 processes
  }

  @Test
  void aCpuModelsDifferenceIsJudgedAgainstTheAaRangeAndTheNightlysLimit() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("amd/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000, 1000, 1000));
    runs.put("intel/counts-c1.json", run("Intel Xeon", 1003));
    String close = CountsDocument.markdown("count-report", runs, CHANGE);
    // 0.3 % apart where five processes agree exactly: beyond A/A, still under the 1 % floor of the limit
    assertTrue(close.contains("| inference/mlp/layer-api/32 | c1 | AMD EPYC: 1,000 (5); Intel Xeon: 1,003 (1) | 0.300 % "
        + "| 0.000 % | 1.000 % | beyond A/A, inside the limit |"), close);
    assertTrue(close.contains("0 inside A/A, 1 beyond A/A but inside the nightly's limit, 0 beyond it"), close);

    runs.put("intel/counts-c1.json", run("Intel Xeon", 1100));
    String far = CountsDocument.markdown("count-report", runs, CHANGE);
    assertTrue(far.contains("| **beyond the limit** |"), far);
  }
}
