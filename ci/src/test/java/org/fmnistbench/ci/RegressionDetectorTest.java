package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fmnistbench.ci.RegressionDetector.Verdict;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.GateResult;
import org.fmnistbench.stats.ForkSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector's logic on synthetic histories (earlier runs of 3 forks x 3 iterations), with
 * thresholds fixed here rather than the calibrated defaults, which follow the measured noise
 * (DETECTOR.md; AaReplayTest checks them on real A/A runs).
 */
class RegressionDetectorTest {
  private static final String CNN_TRAIN = "trainStep/cnn/layer-api/default/b32";
  private static final RegressionDetector.Thresholds T =
      new RegressionDetector.Thresholds(RegressionDetector.Statistic.MEAN, 4.0, 0.04, 10, 2, 0.01);
  @TempDir Path tmp;
  private final RegressionDetector detector = new RegressionDetector(T);

  private Map<String, BenchResults.Point> run(int seed, double cnnUs, double noise) throws Exception {
    return BenchResults.read(Synthetic.jmh(tmp.resolve("r" + seed + "-" + cnnUs + ".json"), Map.of("CNN", cnnUs, "MLP", 200.0), noise, seed));
  }

  private List<Map<String, BenchResults.Point>> history(int runs, double noise) throws Exception {
    List<Map<String, BenchResults.Point>> h = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      h.add(run(100 + i, 10_000, noise));
    }
    return h;
  }

  private static RegressionDetector.Finding cnn(List<RegressionDetector.Finding> findings) {
    return findings.stream().filter(f -> f.key().equals(CNN_TRAIN)).findFirst().orElseThrow();
  }

  @Test
  void aTenPercentSlowdownIsFlagged() throws Exception {
    RegressionDetector.Finding f = cnn(detector.compareTimes(run(1, 11_000, 0.01), history(5, 0.01)));
    assertEquals(Verdict.REGRESSION, f.verdict(), f.describe());
    assertTrue(f.change() > 0.07 && f.change() < 0.13, f.describe());
    assertTrue(f.describe().contains(": REGRESSION, ") && f.describe().contains("over 5 earlier runs"), f.describe());
  }

  @Test
  void unchangedCodeIsNotFlagged() throws Exception {
    for (int seed = 1; seed <= 20; seed++) {
      List<RegressionDetector.Finding> f = detector.compareTimes(run(seed, 10_000, 0.015), history(5, 0.015));
      assertTrue(f.stream().allMatch(x -> x.verdict() == Verdict.UNCHANGED), "seed " + seed + ": " + f);
    }
  }

  @Test
  void aSpeedUpIsNeverARegression() throws Exception {
    assertEquals(Verdict.IMPROVEMENT, cnn(detector.compareTimes(run(1, 8_000, 0.01), history(5, 0.01))).verdict());
    assertEquals(Verdict.IMPROVEMENT, cnn(detector.compareTimes(run(2, 5_000, 0.01), history(5, 0.01))).verdict());
  }

  @Test
  void aSeriesNeedsTwoEarlierRuns() throws Exception {
    assertEquals(Verdict.NOT_ENOUGH_DATA, cnn(detector.compareTimes(run(1, 20_000, 0.01), List.of())).verdict());
    assertEquals(Verdict.NOT_ENOUGH_DATA, cnn(detector.compareTimes(run(1, 20_000, 0.01), history(1, 0.01))).verdict());
    assertEquals(Verdict.REGRESSION, cnn(detector.compareTimes(run(1, 20_000, 0.01), history(2, 0.01))).verdict());
  }

  @Test
  void theYardstickIsTheRunToRunSpreadNotAFixedPercentage() {
    RegressionDetector d = new RegressionDetector(T.withMinEffect(0.02));
    // +6 %: a regression where runs agree within 1 %, not where they move by 3 %
    assertEquals(Verdict.REGRESSION, d.judge("k", 100, 106, 0.01, 5).verdict());
    assertEquals(Verdict.UNCHANGED, d.judge("k", 100, 106, 0.03, 5).verdict());
    // and never below the minimum effect, however quiet the history
    assertEquals(Verdict.UNCHANGED, d.judge("k", 100, 101.5, 0.001, 5).verdict());
  }

  /** One run of the cnn training point at {@code us} per sample, its canary at {@code canaryUs}, both with 0.5 % noise. */
  private static Map<String, BenchResults.Point> canaryRun(double us, double canaryUs, long seed) {
    Random r = new Random(seed);
    List<double[]> samples = new ArrayList<>();
    List<double[]> canary = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      samples.add(new double[] {us * (1 + 0.005 * r.nextGaussian()), us * (1 + 0.005 * r.nextGaussian())});
      canary.add(new double[] {canaryUs * (1 + 0.005 * r.nextGaussian()), canaryUs * (1 + 0.005 * r.nextGaussian())});
    }
    BenchResults.Point p = new BenchResults.Point("trainStep", "cnn", "layer-api", "default", 32,
        new ForkSamples(samples),
        Map.of("canary.compute", new ForkSamples(canary)));
    return Map.of(p.key(), p);
  }

  @Test
  void dividedByTheCanaryASlowerMachineIsNotSlowerCode() {
    List<Map<String, BenchResults.Point>> history = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      history.add(canaryRun(1000, 500, 10 + i));
    }
    Map<String, BenchResults.Point> slowerMachine = canaryRun(1200, 600, 1); // figure and canary 20 % slower
    Map<String, BenchResults.Point> slowerCode = canaryRun(1200, 500, 2); // the figure alone
    RegressionDetector plain = new RegressionDetector(T);
    RegressionDetector overCanary = new RegressionDetector(T.withCanary(Canary.COMPUTE));
    assertEquals(Verdict.REGRESSION, cnn(plain.compareTimes(slowerMachine, history)).verdict());
    assertEquals(Verdict.UNCHANGED, cnn(overCanary.compareTimes(slowerMachine, history)).verdict());
    RegressionDetector.Finding code = cnn(overCanary.compareTimes(slowerCode, history));
    assertEquals(Verdict.REGRESSION, code.verdict(), code.describe());
    assertTrue(code.describe().contains("us/sample per us of canary.compute"), code.describe());
    // a run without that canary is not compared at all, rather than compared as if it had one
    Map<String, BenchResults.Point> noCanary = new HashMap<>();
    slowerCode.forEach((k, p) -> noCanary.put(k, new BenchResults.Point(p.benchmark(), p.variant(), p.engine(), p.runtime(),
        p.batchSize(), p.samples())));
    RegressionDetector.Finding none = cnn(overCanary.compareTimes(noCanary, history));
    assertEquals(Verdict.NOT_ENOUGH_DATA, none.verdict(), none.describe());
    assertTrue(none.describe().contains("not measured in us/sample per us of canary.compute"), none.describe());
  }

  @Test
  void theMinimumOfTheForkMeansIgnoresOneSlowFork() {
    BenchResults.Point p = new BenchResults.Point("trainStep", "cnn", "layer-api", "default", 32,
        new ForkSamples(List.of(new double[] {100, 102}, new double[] {200, 198}, new double[] {101, 99})));
    assertEquals(100, RegressionDetector.Statistic.MIN.of(p), 1e-9);
    assertEquals(101, RegressionDetector.Statistic.MEDIAN.of(p), 1e-9);
    assertEquals(400.0 / 3, RegressionDetector.Statistic.MEAN.of(p), 1e-9);
  }

  @Test
  void seriesOfOtherEnginesAndConfigurationsAreJudgedApart() throws Exception {
    Map<String, BenchResults.Point> now = BenchResults.read(Synthetic.jmh(tmp.resolve("now.json"), Map.of("CNN", 10_000.0), 0.005, 1,
        List.of("layer-api", "samediff"), "stock"));
    List<Map<String, BenchResults.Point>> past = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      past.add(BenchResults.read(Synthetic.jmh(tmp.resolve("past" + i + ".json"), Map.of("CNN", 10_000.0), 0.005, 10 + i,
          List.of("layer-api", "samediff"), "default")));
    }
    // no earlier run of the stock configuration: nothing to judge it by, whatever the default did
    assertTrue(detector.compareTimes(now, past).stream().allMatch(f -> f.verdict() == Verdict.NOT_ENOUGH_DATA));
  }

  @Test
  void aFlaggedSlowdownStandsOnlyIfMeasuringItAgainShowsItToo() throws Exception {
    List<Map<String, BenchResults.Point>> past = history(5, 0.01);
    RegressionDetector.Finding flagged = cnn(detector.compareTimes(run(1, 12_000, 0.01), past));
    assertEquals(Verdict.REGRESSION, flagged.verdict(), flagged.describe());
    // the same code measured again at its usual speed: the night's JVMs were unlucky
    RegressionDetector.Finding fluke = detector.confirm(flagged, run(2, 10_000, 0.01).get(CNN_TRAIN));
    assertEquals(Verdict.UNCONFIRMED, fluke.verdict(), fluke.describe());
    assertTrue(fluke.describe().contains("measured again: ") && fluke.describe().endsWith("not confirmed"), fluke.describe());
    // slower code is slower again
    RegressionDetector.Finding real = detector.confirm(flagged, run(3, 11_800, 0.01).get(CNN_TRAIN));
    assertEquals(Verdict.REGRESSION, real.verdict(), real.describe());
    assertTrue(real.describe().endsWith(", confirmed"), real.describe());
    assertEquals(flagged.baseline(), real.baseline(), "judged against the same baseline");
    // only a time regression can be confirmed, by its own series
    RegressionDetector.Finding unchanged = cnn(detector.compareTimes(run(4, 10_000, 0.01), past));
    assertThrows(IllegalArgumentException.class, () -> detector.confirm(unchanged, run(5, 12_000, 0.01).get(CNN_TRAIN)));
    assertThrows(IllegalArgumentException.class,
        () -> detector.confirm(flagged, run(6, 12_000, 0.01).get("trainStep/mlp/layer-api/default/b32")));
  }

  @Test
  void theRerunPropertiesSelectTheFlaggedPointsOnly() throws Exception {
    Map<String, BenchResults.Point> now = run(1, 12_000, 0.01);
    String props = Nightly.rerunProperties(List.of(now.get(CNN_TRAIN)), List.of("cpu"));
    assertEquals("-Dbench.variants=cnn -Dbench.engines=layer-api -Dbench.benchmarks=train -Dbench.batchSizes=32 "
        + "-Dbench.backends=cpu -Dbench.configs=default\n", props);
    assertEquals("", Nightly.rerunProperties(List.of(), List.of("cpu")), "nothing flagged: nothing to measure again");
  }

  @Test
  void accuracyDropsAndGateFailuresAreRegressionsRisesAreNot() {
    List<GateResult> past = List.of(gate(0.74, true));
    List<List<GateResult>> history = List.of(past, past);
    assertEquals(Verdict.REGRESSION, detector.compareAccuracy(List.of(gate(0.70, true)), history).get(0).verdict());
    assertEquals(Verdict.IMPROVEMENT, detector.compareAccuracy(List.of(gate(0.78, true)), history).get(0).verdict());
    assertEquals(Verdict.UNCHANGED, detector.compareAccuracy(List.of(gate(0.745, true)), history).get(0).verdict());
    assertEquals(Verdict.REGRESSION, detector.compareAccuracy(List.of(gate(0.74, false)), history).get(0).verdict());
  }

  private static GateResult gate(double accuracy, boolean passed) {
    return new GateResult("cnn", "layer-api", "smoke", 1, "test", accuracy, 0.7, null, null, null, null, passed, List.of());
  }

  @Test
  void thresholdsThatCallEverythingOrNothingAreRefused() {
    RegressionDetector.Statistic mean = RegressionDetector.Statistic.MEAN;
    assertThrows(IllegalArgumentException.class, () -> new RegressionDetector.Thresholds(mean, 0, 0.04, 10, 2, 0.01));
    assertThrows(IllegalArgumentException.class, () -> new RegressionDetector.Thresholds(mean, 4, -0.01, 10, 2, 0.01));
    assertThrows(IllegalArgumentException.class, () -> new RegressionDetector.Thresholds(mean, 4, 0.04, 10, 11, 0.01));
    // NaN passed the old checks (minEffect < 0 is false for NaN) and then called nothing
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RegressionDetector.Thresholds(mean, 4, Double.NaN, 10, 2, 0.01));
    assertTrue(e.getMessage().contains("minEffect NaN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RegressionDetector.Thresholds(mean, 4, 0.04, 10, 2, Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> new RegressionDetector.Thresholds(mean, Double.POSITIVE_INFINITY, 0.04, 10, 2, 0.01));
  }
}
