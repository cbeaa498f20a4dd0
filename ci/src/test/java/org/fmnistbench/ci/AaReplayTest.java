package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fmnistbench.ci.RegressionDetector.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The nightly detector with its default thresholds on real data: the A/A runs of the stability
 * experiment of 2026-11-30 16:15 (run 20261130T161526Z, JMH's JSON unchanged, in
 * {@code src/test/resources/aa-runs/}), replayed as nights. Unchanged code must raise no
 * regression; made slower, the nights must be flagged more often the larger the slowdown, and
 * never as faster. Those runs predate {@code malloc=retain}; DETECTOR.md is generated from the
 * later runs, on which the defaults raise one false regression in three replayed nights (a
 * SameDiff mlp inference run 65 % slow against two runs of history), so they are not put here
 * until more A/A runs calibrate the defaults (with the confirming re-run). On this machine's noise
 * the defaults catch few slowdowns below 50 %; the target of 90 % of 10 % slowdowns is not met.
 */
class AaReplayTest {
  private static final Path RUNS = Path.of("src/test/resources/aa-runs");
  private static List<DetectorCalibration.Replay> replays;

  @BeforeAll
  static void load() throws Exception {
    List<Map<String, BenchResults.Point>> runs = new ArrayList<>();
    for (int r = 1; Files.isRegularFile(RUNS.resolve("run" + r + "-jmh-cpu.json")); r++) {
      runs.add(BenchResults.read(RUNS.resolve("run" + r + "-jmh-cpu.json")));
    }
    assertTrue(runs.size() >= 3, "the recorded A/A runs are in " + RUNS.toAbsolutePath() + ", found " + runs.size());
    replays = DetectorCalibration.replays(runs, RegressionDetector.Thresholds.defaults().minHistory());
  }

  @Test
  void unchangedCodeRaisesNoRegression() {
    RegressionDetector d = new RegressionDetector(RegressionDetector.Thresholds.defaults());
    for (DetectorCalibration.Replay r : replays) {
      List<RegressionDetector.Finding> regressions = d.compareTimes(r.night(), r.history()).stream()
          .filter(f -> f.verdict() == Verdict.REGRESSION).toList();
      assertEquals(List.of(), regressions, "a false regression on unchanged code");
    }
  }

  @Test
  void slowerNightsAreFlaggedMoreOftenAndNeverAsFaster() {
    RegressionDetector d = new RegressionDetector(RegressionDetector.Thresholds.defaults());
    double previous = -1;
    for (double slowdown : new double[] {0, 0.2, 0.5, 1.0, 3.0}) {
      int flagged = 0;
      for (DetectorCalibration.Replay r : replays) {
        Map<String, BenchResults.Point> slowed = new java.util.LinkedHashMap<>();
        r.night().forEach((k, p) -> slowed.put(k, p.scaled(1 + slowdown)));
        for (RegressionDetector.Finding f : d.compareTimes(slowed, r.history())) {
          assertTrue(f.verdict() != Verdict.IMPROVEMENT, "a slower night called faster: " + f.describe());
          flagged += f.verdict() == Verdict.REGRESSION ? 1 : 0;
        }
      }
      assertTrue(flagged >= previous, "flagged " + flagged + " figures at +" + slowdown + ", fewer than at a smaller slowdown");
      previous = flagged;
    }
    assertTrue(previous > 0, "a night four times slower is flagged somewhere");
  }
}
