package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.CountSpread;
import org.junit.jupiter.api.Test;

/**
 * The change-point check on recorded data. Wall time: the rounds of two interleaved A/A
 * comparisons (the same jar on both sides, fresh JVMs each round, 20 and 32 runs in the order
 * measured) are unchanged code, and must show no change point. Counts: every point of COUNTS.md's
 * A/A runs with 5 or more processes; 20 nights drawn from its recorded processes' counts show
 * none, and a creep of 2 % a night for 5 nights on top of them is reported as a rise that began
 * where the creep did.
 */
class ChangePointRecordedTest {
  private static final Path REPORTS = Path.of("../benchmarks/reports");
  private static final ChangePointDetector DETECTOR = new ChangePointDetector(ChangePointDetector.Thresholds.DEFAULT);

  private static ChangePointDetector.Series series(String key, double[] values) {
    return new ChangePointDetector.Series(key, IntStream.range(0, values.length).mapToObj(i -> "night" + (i + 1)).toList(),
        values, new boolean[values.length]);
  }

  @Test
  void unchangedCodeShowsNoChangePointInRecordedWallTimes() throws Exception {
    int judged = 0;
    for (String experiment : List.of("20261202T062025Z-84aa5f676eb7-interleaved", "20261202T141911Z-13c170bfa6a8-interleaved")) {
      Path dir = REPORTS.resolve(experiment);
      List<Map<String, BenchResults.Point>> runs = new ArrayList<>();
      for (int r = 1; Files.isRegularFile(dir.resolve(String.format("round%02d-baseline-jmh-cpu.json", r))); r++) {
        for (String side : List.of("baseline", "candidate")) {
          runs.add(BenchResults.read(dir.resolve(String.format("round%02d-%s-jmh-cpu.json", r, side))));
        }
      }
      assertTrue(runs.size() >= 20, experiment + ": " + runs.size() + " runs");
      for (String key : runs.get(0).keySet()) {
        double[] v = runs.stream().mapToDouble(run -> RegressionDetector.Statistic.MEAN.of(run.get(key))).toArray();
        Optional<ChangePointDetector.Finding> f = DETECTOR.judge(series(key, v), Nightly.DEFAULT_CHANGE_MIN_EFFECT);
        assertEquals(Optional.empty(), f.map(x -> x.describe("us/sample")), experiment + " " + key);
        judged++;
      }
    }
    assertEquals(6, judged, "the recorded A/A comparisons' series");
  }

  @Test
  void creepOfTwoPercentANightIsFoundOnEveryCountedPointAtItsRecordedSpread() throws Exception {
    List<CountResults> aa = new ArrayList<>();
    for (Path f : CountResults.filesIn(REPORTS.resolve("counts-data"), 2)) {
      aa.add(CountResults.read(f));
    }
    CountLimit limits = new CountLimit(CountLimit.MIN_EFFECT, CountLimit.SPREADS, aa, "c1");
    int points = 0;
    for (CountSpread s : CountSpread.of(aa)) {
      if (!s.jit().equals("c1") || s.processes().size() < 5) {
        continue;
      }
      List<Double> recorded = limits.basis(s.key()) == CountLimit.Basis.NATIVE ? s.nativeOnly() : s.processes();
      SplittableRandom r = new SplittableRandom(s.key().hashCode());
      double[] steady = IntStream.range(0, 25).mapToDouble(i -> recorded.get(r.nextInt(recorded.size()))).toArray();
      double[] creeping = steady.clone();
      for (int i = 20; i < 25; i++) {
        creeping[i] *= 1 + 0.02 * (i - 19);
      }
      double limit = limits.limit(s.key());
      assertEquals(Optional.empty(), DETECTOR.judge(series(s.key(), steady), limit).map(x -> x.describe("instructions/op")),
          s.key() + ": 25 nights drawn from its A/A processes");
      ChangePointDetector.Finding f = DETECTOR.judge(series(s.key(), creeping), limit)
          .orElseThrow(() -> new AssertionError(s.key() + ": creep of 2 % a night not found"));
      assertTrue(f.slower(), f.describe("instructions/op"));
      assertTrue(List.of("night21", "night22", "night23").contains(f.since()), f.describe("instructions/op"));
      points++;
    }
    assertTrue(points >= 20, "the A/A points with 5 processes: " + points);
  }
}
