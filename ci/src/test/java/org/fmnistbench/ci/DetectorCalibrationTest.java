package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How A/A runs become replayed nights, with and without a confirming re-run. */
class DetectorCalibrationTest {
  @TempDir Path tmp;

  private List<Map<String, BenchResults.Point>> runs(double... cnnUs) throws Exception {
    List<Map<String, BenchResults.Point>> out = new ArrayList<>();
    for (int i = 0; i < cnnUs.length; i++) {
      out.add(BenchResults.read(Synthetic.jmh(tmp.resolve("run" + i + ".json"), Map.of("CNN", cnnUs[i]), 0.01, i)));
    }
    return out;
  }

  @Test
  void aConfirmedNightNeedsARunBesideItsHistory() throws Exception {
    assertEquals(0, DetectorCalibration.confirmedReplays(runs(100, 100, 100), 2).size(), "3 runs: a night, a re-run and 1 of history");
    // 4 runs: each ordered (night, re-run) pair, with the 2 others as history
    List<DetectorCalibration.Replay> four = DetectorCalibration.confirmedReplays(runs(100, 100, 100, 100), 2);
    assertEquals(12, four.size());
    assertTrue(four.stream().allMatch(r -> r.history().size() == 2 && !r.history().contains(r.again())
        && !r.history().contains(r.night()) && r.again() != r.night()));
    // 5 runs: 20 pairs, each with the 3 others as history and their 3 pairs
    assertEquals(20 * 4, DetectorCalibration.confirmedReplays(runs(100, 100, 100, 100, 100), 2).size());
    assertEquals(4 * 4, DetectorCalibration.replays(runs(100, 100, 100, 100), 2).size());
  }

  @Test
  void falseAlarmsAreCountedPerRunNotPerReplay() throws Exception {
    // one slow run among five: as the night it raises against each of its 11 histories, yet it is one night's measurement;
    // counted once, against the full history of the other four
    List<Map<String, BenchResults.Point>> aa = runs(13_000, 10_000, 10_100, 9_900, 10_000);
    RegressionDetector.Thresholds t = new RegressionDetector.Thresholds(RegressionDetector.Statistic.MEAN, 4, 0.05, 10, 2, 0.01);
    DetectorCalibration.Outcome o = DetectorCalibration.evaluate(t, DetectorCalibration.replays(aa, 2));
    assertEquals(5 * 11, o.nights());
    assertEquals(11, o.falseAlarmNights(), "the slow run's replays");
    assertEquals(5, o.nightRuns());
    assertEquals(1, o.falseAlarmRuns());
    // 1 of 5 runs: the bound is Clopper-Pearson's over 5 trials (0.657), not over 55 replays (0.31)
    assertEquals(new BetaDistribution(2, 4).inverseCumulativeProbability(0.95),
        o.falseAlarmRunUpper(), 1e-12);
    assertTrue(o.falseAlarmRunUpper() > 0.6, "five runs bound little: " + o.falseAlarmRunUpper());
  }

  @Test
  void aNightThatWasOnlyUnluckyIsNotConfirmed() throws Exception {
    // run 0 is 30 % slow, the others agree: judged alone it is a false alarm; its re-run clears it
    List<Map<String, BenchResults.Point>> aa = runs(13_000, 10_000, 10_000, 10_000);
    RegressionDetector.Thresholds t = new RegressionDetector.Thresholds(RegressionDetector.Statistic.MEAN, 4, 0.05, 10, 2, 0.01);
    DetectorCalibration.Replay alone = new DetectorCalibration.Replay(aa.get(0), List.of(aa.get(2), aa.get(3)));
    DetectorCalibration.Replay confirmed = new DetectorCalibration.Replay(aa.get(0), List.of(aa.get(2), aa.get(3)), aa.get(1));
    assertEquals(1, DetectorCalibration.evaluate(t, List.of(alone)).falseAlarmNights());
    DetectorCalibration.Outcome o = DetectorCalibration.evaluate(t, List.of(confirmed));
    assertEquals(0, o.falseAlarmNights());
    // a real 20 % slowdown is slow in the re-run too (the replay slows both) and is caught
    assertEquals(1.0, o.trainingDetectedAt(0.20), 1e-9);
  }
}
