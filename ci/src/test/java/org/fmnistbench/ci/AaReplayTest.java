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
 * The nightly detector with its default thresholds on real data: seven A/A runs of unchanged
 * code in the order they were measured (JMH's JSON unchanged, in {@code src/test/resources/aa-runs/}):
 * runs 1-3 from the stability experiment 20261130T221329Z, runs 4-7 from 20261201T003800Z a day
 * later, the first with the canary. Replayed as the nightly job meets them: each run from the
 * third on is a night judged against all earlier runs, and a slower figure is measured again in
 * the run that followed it (the last night has none and is judged on its first look). Unchanged
 * code must raise no regression; made slower, nights must be flagged more often the larger the
 * slowdown, and never as faster. DETECTOR.md measures the same defaults over every replay of
 * these runs; the target of catching 90 % of 10 % training slowdowns is not met on this machine.
 */
class AaReplayTest {
  private static final Path RUNS = Path.of("src/test/resources/aa-runs");
  private static final List<DetectorCalibration.Replay> NIGHTS = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    List<Map<String, BenchResults.Point>> runs = new ArrayList<>();
    for (int r = 1; Files.isRegularFile(RUNS.resolve("run" + r + "-jmh-cpu.json")); r++) {
      runs.add(BenchResults.read(RUNS.resolve("run" + r + "-jmh-cpu.json")));
    }
    assertTrue(runs.size() >= 7, "the recorded A/A runs are in " + RUNS.toAbsolutePath() + ", found " + runs.size());
    int first = RegressionDetector.Thresholds.defaults().minHistory();
    for (int night = first; night < runs.size(); night++) {
      NIGHTS.add(new DetectorCalibration.Replay(runs.get(night), List.copyOf(runs.subList(0, night)),
          night + 1 < runs.size() ? runs.get(night + 1) : null));
    }
  }

  @Test
  void unchangedCodeRaisesNoRegression() {
    RegressionDetector d = new RegressionDetector(RegressionDetector.Thresholds.defaults());
    for (DetectorCalibration.Replay r : NIGHTS) {
      List<RegressionDetector.Finding> regressions = DetectorCalibration.judge(d, r, 1).stream()
          .filter(f -> f.verdict() == Verdict.REGRESSION).toList();
      assertEquals(List.of(), regressions, "a false regression on unchanged code, night after " + r.history().size() + " runs");
    }
  }

  @Test
  void slowerNightsAreFlaggedMoreOftenAndNeverAsFaster() {
    RegressionDetector d = new RegressionDetector(RegressionDetector.Thresholds.defaults());
    double previous = -1;
    for (double slowdown : new double[] {0, 0.2, 0.5, 1.0, 3.0}) {
      int flagged = 0;
      for (DetectorCalibration.Replay r : NIGHTS) {
        for (RegressionDetector.Finding f : DetectorCalibration.judge(d, r, 1 + slowdown)) { // night and re-run both slowed
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
