package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.stats.ForkSamples;
import org.junit.jupiter.api.Test;

/** STABILITY.md's analysis from JMH points, without running JMH. */
class StabilityReportTest {
  private static JmhJson.Point point(String method, String variant, ForkSamples s) {
    return point(method, variant, s, Map.of());
  }

  private static JmhJson.Point point(String method, String variant, ForkSamples s, Map<String, ForkSamples> canary) {
    return new JmhJson.Point(method, Map.of("variant", variant, "engine", "layer-api", "batchSize", "32"),
        s.mean() * 32, Double.NaN, s.mean(), Map.of(), s, 2.0, "default", canary);
  }

  private static ForkSamples forks(Random r, double mean, double forkSd, double iterSd, double trend) {
    List<double[]> fs = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      double m = mean + forkSd * r.nextGaussian();
      double[] it = new double[4];
      for (int i = 0; i < 4; i++) {
        it[i] = m * (1 + trend * (1.5 - i)) + iterSd * r.nextGaussian(); // trend > 0: early iterations slower
      }
      fs.add(it);
    }
    return new ForkSamples(fs);
  }

  @Test
  void levelsCoverageWarmUpAndPlans() {
    Random r = new Random(7);
    List<List<JmhJson.Point>> runs = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      runs.add(List.of(point("trainStep", "CNN", forks(r, 2000, 20, 40, 0.02)), point("inference", "CNN", forks(r, 400, 4, 8, 0))));
    }
    // 2 points x 3 forks x (fork's fixed 10 s + 4 iterations of 2 s) = 108 s a run
    StabilityReport report = new StabilityReport(runs, List.of(108.0, 108.0, 108.0, 108.0), 3, 2);
    assertEquals(10.0, report.forkSeconds(), 1e-9);
    assertEquals(2, report.points().size());
    StabilityReport.PointStats train = report.points().get(0);
    assertEquals("trainStep/cnn/layer-api/b32", train.key());
    assertEquals(12, train.pairs(), "ordered pairs of 4 runs");
    assertTrue(train.iterationProfile()[0] > train.iterationProfile()[3], "the simulated warm-up trend shows");
    StabilityReport.Setting s = report.predict(true, 3, 4);
    assertEquals(StabilityReport.SUITE_POINTS_PER_KIND * 3 * (10 + 4 * 2) / 60.0, s.minutes(), 1e-9);
    String md = report.markdown("design");
    assertTrue(md.contains("| trainStep | cnn | layer-api | "), md);
    assertTrue(md.contains("| this experiment's shape | training | 3 | 4 |"), md);
    assertTrue(md.contains("best within 25 min") || md.contains("No setting with this warm-up fits 25 minutes"), md);
    assertTrue(md.contains("Coverage over all points:"), md);
    assertTrue(!md.contains("## Machine drift and the canary"), "no canary measured, no canary section");

    String quick = report.quickLevel(List.of(point("trainStep", "CNN", forks(r, 2200, 20, 40, 0)),
        point("trainStep", "MLP", forks(r, 200, 2, 4, 0))), "20261201T000000Z-abc", 600);
    assertTrue(quick.contains("run `20261201T000000Z-abc`"), quick);
    assertTrue(quick.contains("10.0 min for the JMH invocation"), quick);
    assertTrue(quick.matches("(?s).*\\| trainStep \\| cnn \\| layer-api \\| 2,[0-9]{3}\\.[0-9] \\| [0-9.]+ % \\| 3 % \\| 1\\.[01][0-9] \\|.*"),
        "the quick figure against this experiment's 2,000: " + quick);
    assertTrue(quick.contains("| trainStep | mlp | layer-api |") && quick.contains("| not measured there |"), quick);
    assertTrue(quick.contains("Training: half-width median"), quick);
  }

  @Test
  void aCanaryThatDriftsWithTheMachineTakesTheRunLevelOutOfTheRatio() {
    Random r = new Random(11);
    List<List<JmhJson.Point>> runs = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      double machine = 1 + 0.10 * r.nextGaussian(); // the whole run slower or faster, figure and canary alike
      ForkSamples figure = forks(r, 2000, 10, 20, 0).scaled(machine);
      ForkSamples canary = forks(r, 100, 0.5, 1, 0).scaled(machine);
      runs.add(List.of(point("trainStep", "CNN", figure, Map.of(JmhJson.CANARY_COMPUTE, canary))));
    }
    StabilityReport report = new StabilityReport(runs, List.of(60.0, 60.0, 60.0, 60.0, 60.0), 3, 2);
    StabilityReport.PointStats p = report.points().get(0);
    double raw = p.components().relativeSd(3);
    double ratio = p.canaries().get(JmhJson.CANARY_COMPUTE).ratio().relativeSd(3);
    assertTrue(raw > 0.05, "the simulated drift shows in the figure: " + raw);
    assertTrue(ratio < raw / 3, "and not in the figure over its canary: " + ratio + " vs " + raw);
    String md = report.markdown("design");
    assertTrue(md.contains("## Machine drift and the canary"), md);
    assertTrue(md.contains("The ratio drifts less than the figure in 1 of 1 (point, canary) pairs, more in 0"), md);
  }
}
