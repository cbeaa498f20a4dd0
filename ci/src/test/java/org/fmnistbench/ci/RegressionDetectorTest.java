package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fmnistbench.ci.RegressionDetector.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression detection on synthetic histories: five earlier runs of JMH-like samples. */
class RegressionDetectorTest {
  @TempDir Path tmp;
  private final RegressionDetector detector = new RegressionDetector(RegressionDetector.Thresholds.defaults());

  private Map<String, BenchResults.Point> run(int seed, double cnnUs, double noise) throws Exception {
    return BenchResults.read(Synthetic.jmh(tmp.resolve("r" + seed + "-" + cnnUs + ".json"), Map.of("CNN", cnnUs), noise, seed));
  }

  private List<Map<String, BenchResults.Point>> history(double noise) throws Exception {
    List<Map<String, BenchResults.Point>> h = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      h.add(run(100 + i, 10_000, noise));
    }
    return h;
  }

  private Verdict verdict(List<RegressionDetector.Finding> findings) {
    return findings.stream().filter(f -> f.key().equals("trainStep/cnn/b32")).findFirst().orElseThrow().verdict();
  }

  @Test
  void aTenPercentSlowdownIsFlagged() throws Exception {
    List<RegressionDetector.Finding> f = detector.compareTimes(run(1, 11_000, 0.01), history(0.01));
    assertEquals(Verdict.REGRESSION, verdict(f));
    assertTrue(f.get(0).change() > 0.05 && f.get(0).change() < 0.15, f.get(0).describe());
    assertTrue(f.get(0).describe().contains("REGRESSION, median"), f.get(0).describe());
  }

  @Test
  void noiseWithinJmhsErrorIsNot() throws Exception {
    for (int seed = 1; seed <= 20; seed++) {
      assertEquals(Verdict.UNCHANGED, verdict(detector.compareTimes(run(seed, 10_000, 0.015), history(0.015))), "seed " + seed);
    }
  }

  @Test
  void aSpeedUpIsNeverARegression() throws Exception {
    assertEquals(Verdict.IMPROVEMENT, verdict(detector.compareTimes(run(1, 8_000, 0.01), history(0.01))));
    assertEquals(Verdict.IMPROVEMENT, verdict(detector.compareTimes(run(2, 5_000, 0.01), history(0.01))));
  }

  @Test
  void aFirstRunHasNothingToCompareWith() throws Exception {
    assertEquals(Verdict.NOT_ENOUGH_DATA, verdict(detector.compareTimes(run(1, 20_000, 0.01), List.of())));
  }

  @Test
  void accuracyDropsAndGateFailuresAreRegressionsRisesAreNot() {
    List<GateResult> past = List.of(new GateResult("cnn", "layer-api", "smoke", 1, 0.74, 0.7, null, null, true));
    List<List<GateResult>> history = List.of(past, past);
    assertEquals(Verdict.REGRESSION, detector.compareAccuracy(List.of(new GateResult("cnn", "layer-api", "smoke", 1, 0.70, 0.7, null, null, true)), history).get(0).verdict());
    assertEquals(Verdict.IMPROVEMENT, detector.compareAccuracy(List.of(new GateResult("cnn", "layer-api", "smoke", 1, 0.78, 0.7, null, null, true)), history).get(0).verdict());
    assertEquals(Verdict.UNCHANGED, detector.compareAccuracy(List.of(new GateResult("cnn", "layer-api", "smoke", 1, 0.745, 0.7, null, null, true)), history).get(0).verdict());
    assertEquals(Verdict.REGRESSION, detector.compareAccuracy(List.of(new GateResult("cnn", "layer-api", "smoke", 1, 0.74, 0.7, null, null, false)), history).get(0).verdict());
  }
}
