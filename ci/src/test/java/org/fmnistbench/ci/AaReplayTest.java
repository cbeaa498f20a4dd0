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
 * experiment that STABILITY.md and DETECTOR.md were generated from (JMH's JSON, unchanged, in
 * {@code src/test/resources/aa-runs/}), replayed as nights. Unchanged code must raise no
 * regression; the same nights made 10 % slower must be caught on the training steps.
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
  void aTenPercentSlowdownOfTheTrainingStepsIsCaught() {
    DetectorCalibration.Outcome o = DetectorCalibration.evaluate(RegressionDetector.Thresholds.defaults(), replays);
    assertTrue(o.trainingDetectedAt(0.10) >= 0.90,
        "10 % training slowdowns caught in " + Math.round(100 * o.trainingDetectedAt(0.10)) + " % of figures");
  }
}
