package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmnistbench.bench.LayerCatalog;
import org.fmnistbench.bench.profile.StepProfiler;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.InterleaveDesign;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.PairedRatio;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;

/** The generated documents' bodies, rendered from made-up points: no JMH, no PyTorch. */
class DocumentBodiesTest {
  /** Three forks around {@code us} per sample, close enough for an interval that excludes 1 in any ratio of 0.8 or 1.25. */
  private static ForkSamples forks(double us) {
    return new ForkSamples(List.of(new double[] {us * 0.99, us}, new double[] {us, us * 1.01}, new double[] {us * 1.005, us}));
  }

  private static JmhJson.Point point(String method, Map<String, String> params, double usPerSample,
      Map<String, Double> secondary) {
    return new JmhJson.Point(method, params, usPerSample * 32, Double.NaN, usPerSample, secondary, forks(usPerSample), 1,
        "default", Map.of());
  }

  private static JmhJson.Point step(String method, String variant, String engine, double usPerSample) {
    return point(method, Map.of("variant", variant, "engine", engine, "batchSize", "32"), usPerSample, Map.of());
  }

  @Test
  void theComparisonCallsOnlyWhatItsIntervalsSay() {
    Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
    byConfig.put("default", List.of(step("trainStep", "CNN", "layer-api", 800), step("trainStep", "CNN", "samediff", 1000),
        step("trainStep", "CNN", "djl-pytorch", 400),
        step("inference", "CNN", "layer-api", 100), step("inference", "CNN", "samediff", 120)));
    byConfig.put("stock", List.of(step("trainStep", "CNN", "layer-api", 1600), step("inference", "CNN", "layer-api", 100)));
    Map<String, ForkSamples[]> torch = Map.of("cnn", new ForkSamples[] {forks(1000), forks(50)});
    String md = ComparisonDocument.body(byConfig, torch, List.of(Variant.CNN), 32, 3, id -> "settings of " + id,
        List.of("PyTorch 9.9, 2 threads"));
    assertTrue(md.contains("`stock` = DL4J out of the box (`settings of stock`)"), md);
    String training = md.substring(md.indexOf("## Training"), md.indexOf("## Inference"));
    assertTrue(training.contains("| cnn | 1,601.3 ± 20.7 (1.3 %) | 800.7 ± 10.3 (1.3 %) |"), training);
    assertTrue(training.contains("| 0.50 [0.49-0.51] | 2.00 [1.98-2.02] | 0.80 [0.79-0.81] | 1.00 [0.99-1.01] |"),
        "stock twice as slow, DJL twice as fast, SameDiff at PyTorch's speed; the sides ran in separate blocks, so no "
            + "ratio is marked as a claimed difference: " + training);
    assertTrue(md.contains("they are unpaired, too narrow to claim a difference, and no ratio is marked"), md);
    String inference = md.substring(md.indexOf("## Inference"));
    assertTrue(inference.contains("| n/a | 50.0 ± 0.6 (1.3 %) | 1.00 [0.99-1.01] | n/a | 2.00 [1.98-2.02] |"),
        "no DJL inference point: its cell and ratio say n/a: " + inference);
    assertTrue(md.contains("- PyTorch 9.9, 2 threads"), md);
  }

  /** One fork of one iteration at {@code us} per sample: a paired round's figure. */
  private static JmhJson.Point once(String method, String engine, double us) {
    return new JmhJson.Point(method, Map.of("variant", "CNN", "engine", engine, "batchSize", "32"), us * 32, Double.NaN, us,
        Map.of(), new ForkSamples(List.of(new double[] {us})), 1, "default", Map.of());
  }

  @Test
  void aPairedComparisonTakesEachRatioOverTheRoundsAndMarksOnlyWhatItsIntervalExcludes() {
    // the machine drifts 30 % between rounds; within a round, layer API / stock is 0.5 exactly and SameDiff / PyTorch
    // wanders around 1: paired, the first is marked and narrow, the second not marked
    double[] drift = {1.0, 1.3, 0.9, 1.2};
    double[] wander = {1.02, 0.97, 1.01, 0.99};
    List<ComparisonDocument.Round> rounds = new ArrayList<>();
    for (int r = 0; r < drift.length; r++) {
      double m = drift[r];
      Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
      byConfig.put("default", List.of(once("trainStep", "layer-api", 800 * m), once("trainStep", "samediff", 1000 * m * wander[r]),
          once("trainStep", "djl-pytorch", 400 * m)));
      byConfig.put("stock", List.of(once("trainStep", "layer-api", 1600 * m)));
      Map<String, ForkSamples[]> torch = Map.of("cnn", new ForkSamples[] {new ForkSamples(List.<double[]>of(new double[] {1000 * m})),
          new ForkSamples(List.<double[]>of(new double[] {50 * m}))});
      rounds.add(new ComparisonDocument.Round(byConfig, torch));
    }
    String md = ComparisonDocument.pairedBody(rounds, List.of("default,stock,pytorch"), 5L, List.of(Variant.CNN), 32,
        id -> "settings of " + id, List.of());
    String training = md.substring(md.indexOf("## Training"), md.indexOf("## Inference"));
    assertTrue(training.contains("| 0.50 [0.50-0.50] * | 2.00 [2.00-2.00] * | 0.80 [0.80-0.80] * |"), training);
    assertTrue(training.matches("(?s).*\\| 1\\.00 \\[0\\.9\\d-1\\.0\\d\\] \\|\\n.*"),
        "SameDiff / PyTorch wanders around 1 and is not marked: " + training);
    assertTrue(training.contains("(its 4 rounds cannot tell ±20 % apart)"),
        "each side alone carries the drift between rounds, which its interval over rounds shows: " + training);
    assertTrue(md.contains("in 4 paired rounds"), md);
    String inference = md.substring(md.indexOf("## Inference"));
    assertTrue(inference.contains("n/a (not in every round)"), "no DL4J inference points: " + inference);
  }

  @Test
  void aSweepRelatesEachConfigurationToTheFirst() {
    Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
    byConfig.put("default", List.of(step("trainStep", "CNN", "layer-api", 1000), step("inference", "CNN", "layer-api", 100)));
    byConfig.put("stock", List.of(step("trainStep", "CNN", "layer-api", 2000)));
    Map<String, List<List<JmhJson.Point>>> byRound = new LinkedHashMap<>();
    byConfig.forEach((id, points) -> byRound.put(id, List.of(points)));
    String md = SweepDocument.body(byConfig, byRound, 1, "default", id -> id + "-settings", List.of("stock,build=x: not run"));
    assertTrue(md.contains("| stock | `stock-settings` | layer-api | cnn | 32 |"), md);
    assertTrue(md.contains("| 2.00 ["), "stock's train time relative to default's: " + md);
    assertFalse(md.contains("] *"), "one round's ratio is unpaired and claims nothing: " + md);
    assertTrue(md.contains("| n/a |"), "stock has no inference point: " + md);
    assertTrue(md.contains("- stock,build=x: not run"), md);
    assertFalse(md.contains("## Interleaved rounds"), "one round has no rounds table");
  }

  @Test
  void aSweepInRoundsPairsItsRatiosOverTheRounds() {
    // the machine drifts 40 % between rounds; within each, stock is twice the default
    double[] drift = {1.0, 1.4, 0.8};
    Map<String, List<List<JmhJson.Point>>> byRound = new LinkedHashMap<>();
    for (double m : drift) {
      byRound.computeIfAbsent("default", k -> new ArrayList<>()).add(List.of(once("trainStep", "layer-api", 1000 * m)));
      byRound.computeIfAbsent("stock", k -> new ArrayList<>()).add(List.of(once("trainStep", "layer-api", 2000 * m)));
    }
    Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
    byRound.forEach((id, rounds) -> byConfig.put(id, rounds.get(0)));
    String md = SweepDocument.body(byConfig, byRound, 3, "default", id -> id, List.of());
    assertTrue(md.contains("| 2.00 [2.00-2.00] * |"), "paired over the rounds, the drift cancels: " + md);
    assertTrue(md.contains("| 1 (the reference) |"), md);
    assertTrue(md.contains("paired: the geometric mean of the 3 rounds' ratios"), md);
  }

  @Test
  void aBreakdownAddsTheLayersUpAgainstTheMeasuredStep() {
    List<JmhJson.Point> points = new ArrayList<>();
    List<LayerCatalog.Case> cases = LayerCatalog.of(Variant.MLP);
    for (LayerCatalog.Case c : cases) {
      Map<String, String> params = Map.of("layer", c.id(), "engine", "layer-api", "batchSize", "32");
      points.add(point("forward", params, 10, Map.of()));
      if (!c.adam()) {
        points.add(point("forwardBackward", params, 30, Map.of()));
      }
    }
    Map<String, Double> inside = Map.of(StepProfiler.LAYER_PREFIX + "0 DenseLayer forward", 200.0,
        StepProfiler.LAYER_PREFIX + "0 DenseLayer backward", 300.0, StepProfiler.OUTPUT, 100.0, StepProfiler.ADAM, 150.0,
        StepProfiler.FRAMEWORK, 50.0);
    points.add(point("trainStep", Map.of("variant", "MLP", "engine", "layer-api", "batchSize", "32"), 1000.0 / 32, inside));
    String md = BreakdownDocument.body(Map.of("default", points), List.of(Variant.MLP), List.of("layer-api"), "32", 32,
        id -> "s", List.of());
    assertTrue(md.contains("### mlp, layer-api, default"), md);
    assertTrue(md.contains("| " + cases.get(0).id() + " | 320 | 640 | 960 |"), "forward, backward, both per minibatch: " + md);
    assertTrue(md.contains("Inside the measured step"), md);
    assertTrue(md.contains("| Adam's update and the parameter step | | 150 | 15.0 % |"), md);
  }

  @Test
  void anInterleavedSummaryRendersFromItsDesignAndPoints() {
    InterleaveDesign design = new InterleaveDesign("cnn", "layer-api", "32", 1, 3, 2,
        10, 2, "/b.jar", null, "bb", "/c.jar", "cc", null, null, 0.0, "train", "default", null, 4, 0.05, 3L,
        List.of("baseline,candidate", "candidate,baseline", "baseline,candidate", "candidate,baseline"));
    double[] base = {100, 102, 98, 100};
    double[] cand = {120, 121, 119, 120};
    InterleavedResults.Comparison c = new InterleavedResults.Comparison("trainStep", "cnn", "layer-api", "default", 32, base,
        cand, PairedRatio.of(base, cand, 0.95), InterleavedResults.Verdict.SLOWER, Canary.NONE,
        PairedRatio.of(new double[] {50, 51, 49, 50}, new double[] {60, 61, 59, 60}, 0.95));
    String md = InterleavedSummary.body(design, List.of(c), List.of(new RunMetadata.MachineActivity(10.0, 0.1, 0.0, 0.9, 0.012)));
    assertTrue(md.contains("4 rounds; in each"), md);
    assertTrue(md.contains("10 warm-up iterations of 2 s, 3 measured iterations of 2 s"), md);
    assertTrue(md.contains("| trainStep | cnn | layer-api | default | 100 | 120 |"), md);
    assertTrue(md.contains("| slower |"), md);
    assertTrue(md.contains("| 2 | 1.200 [1.195-1.205] |"), "the canary's own ratio beside the point: " + md);
    assertTrue(md.contains("others' busy share up to 1.2 %"), md);
    assertTrue(md.contains("1 of 1 points called slower, 0 faster."), md);
  }
}
