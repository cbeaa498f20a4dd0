package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;

/** COUNTS.md rendered from made-up runs: the verdict per point follows the data, not the wording. */
class CountsDocumentTest {
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

  @Test
  void aPointWithinTheTargetIsMetOneBeyondItIsMissedAndAFailureIsListed() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("steady/counts-c1.json", run("AMD EPYC", 1000, 1001, 999, 1000, 1000));
    String steady = CountsDocument.markdown("count-report", runs);
    assertTrue(steady.contains("| met |"), steady);
    assertTrue(steady.contains("FAILED trainStep/cnn/samediff/32"), steady);
    assertTrue(steady.contains("counted on one CPU model only"), steady);

    runs.put("noisy/counts-c1.json", run("Intel Xeon", 1000, 1030, 970, 1000, 1010));
    String both = CountsDocument.markdown("count-report", runs);
    assertTrue(both.contains("| **missed** |"), both);
    assertTrue(both.contains("AMD EPYC: 1,000 (5); Intel Xeon: 1,002 (5)"), both);
    assertTrue(both.contains("| inside A/A |"), both);
  }

  @Test
  void aCountUnderAnotherRuntimeSettingIsSetBesideTheDefaultsAndNotPooledWithIt() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("aa/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000, 1000, 1000));
    CountResults glibc = run("AMD EPYC", 1010);
    runs.put("glibc/counts-c1.json", new CountResults(new CountResults.Setting("abc", "c1", List.of(), "valgrind-3.19.0",
        "default,malloc=glibc", "AMD EPYC", 30, 1, 2, false, "2026-12-04T00:00:00Z", "malloc=glibc"), glibc.points()));
    String doc = CountsDocument.markdown("count-report", runs);
    assertTrue(doc.contains("| `malloc=glibc` | inference/mlp/layer-api/32 | c1 | AMD EPYC | 1,000 | 1,010 | +1.000 % | [SWEEP-malloc.md]"), doc);
    // the A/A row still has 5 processes: the other setting's count is not one of them
    assertTrue(doc.contains("| inference | mlp | layer-api | c1 | AMD EPYC | 5 | 1,000 |"), doc);
  }

  @Test
  void theSpreadUnderAChangedSettingIsSetBesideTheCountingRuntimesOwn() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("aa/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000, 1020, 1020));
    CountResults mapped = run("AMD EPYC", 1000, 1000, 1001);
    runs.put("mapped/counts-c1.json", new CountResults(new CountResults.Setting("abc", "c1", List.of(), "valgrind-3.19.0",
        "default,malloc=mapped", "AMD EPYC", 30, 1, 2, false, "2026-12-04T00:00:00Z", "malloc=mapped"), mapped.points()));
    String doc = CountsDocument.markdown("count-report", runs);
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
    CountResults elsewhere = run("Intel Xeon", 1000, 1001);
    runs.put("mapped-intel/counts-c1.json", new CountResults(new CountResults.Setting("abc", "c1", List.of(),
        "valgrind-3.19.0", "default,malloc=mapped", "Intel Xeon", 30, 1, 2, false, "2026-12-04T00:00:00Z", "malloc=mapped"),
        elsewhere.points()));
    String more = CountsDocument.markdown("count-report", runs);
    assertTrue(more.contains("- `malloc=mapped`, JIT c1 on Intel Xeon: points with 2 or more processes: 1; the counting "
        + "runtime has a spread for none of them."), more);
    assertFalse(more.contains("NaN"), more);
    assertFalse(CountsDocument.markdown("count-report", Map.of("aa/counts-c1.json", runs.get("aa/counts-c1.json")))
        .contains("### A/A under a changed runtime setting"), "no section without such a run");
  }

  @Test
  void fewerThanFiveProcessesAreNotJudged() {
    String doc = CountsDocument.markdown("count-report", Map.of("short/counts-c1.json", run("AMD EPYC", 1000, 1100)));
    assertTrue(doc.contains("fewer than 5 processes"), doc);
  }

  @Test
  void whatTheAaStillLacksIsListedPerJitAndCpuModelIncludingAPairNeverCounted() {
    Map<String, CountResults> runs = new LinkedHashMap<>();
    runs.put("amd/counts-c1.json", run("AMD EPYC", 1000, 1000, 1000, 1000, 1000));
    String one = CountsDocument.markdown("count-report", runs);
    assertTrue(one.contains("Every point has 5 or more processes under each JIT setting on each CPU model met."), one);

    runs.put("intel/counts-c1.json", run("Intel Xeon", 1000, 1000));
    CountResults tiered = run("AMD EPYC", 1000, 1000, 1000, 1000, 1000);
    runs.put("amd/counts-tiered.json", new CountResults(new CountResults.Setting("abc", "tiered", List.of(), "valgrind-3.19.0",
        "default", "AMD EPYC", 60, 1, 2, false, "2026-12-04T00:00:00Z"), tiered.points()));
    String three = CountsDocument.markdown("count-report", runs);
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
    String close = CountsDocument.markdown("count-report", runs);
    // 0.3 % apart where five processes agree exactly: beyond A/A, still under the 1 % floor of the limit
    assertTrue(close.contains("| inference/mlp/layer-api/32 | c1 | AMD EPYC: 1,000 (5); Intel Xeon: 1,003 (1) | 0.300 % "
        + "| 0.000 % | 1.000 % | beyond A/A, inside the limit |"), close);
    assertTrue(close.contains("0 inside A/A, 1 beyond A/A but inside the nightly's limit, 0 beyond it"), close);

    runs.put("intel/counts-c1.json", run("Intel Xeon", 1100));
    String far = CountsDocument.markdown("count-report", runs);
    assertTrue(far.contains("| **beyond the limit** |"), far);
  }
}
