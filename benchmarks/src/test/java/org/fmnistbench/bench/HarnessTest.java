package org.fmnistbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.bench.profile.CanaryProfiler;
import org.fmnistbench.bench.profile.PeakMemoryProfiler;
import org.fmnistbench.bench.profile.StepProfiler;
import org.fmnistbench.bench.report.ResultTable;
import org.fmnistbench.bench.report.StepTable;
import org.fmnistbench.results.JmhJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.profile.Profiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** One tiny forked iteration of the smallest variant through JMH's Runner API. */
class HarnessTest {
  @TempDir Path tmp;

  /** One forked, unwarmed iteration of the MLP's training step at batch 32, JSON into {@code json}. */
  @SafeVarargs
  private static Options oneMlpTrainStepIteration(String engine, int millis, Path json,
      Class<? extends Profiler>... profilers) {
    OptionsBuilder b = new OptionsBuilder();
    for (Class<? extends Profiler> p : profilers) {
      b.addProfiler(p);
    }
    return b
        .include("^" + TrainStepBenchmarks.class.getName().replace(".", "\\.") + "\\.")
        .param("variant", "MLP")
        .param("batchSize", "32")
        .param("engine", engine)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(millis))
        .forks(1)
        .jvmArgsAppend("-D" + Backend.PROPERTY + "=cpu")
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString())
        .build();
  }

  @Test
  void trainStepOfTheMlpRunsAndReportsPerSamplePeakMemoryAndTheCanary() throws Exception {
    Path json = tmp.resolve("jmh.json");
    Options opts = oneMlpTrainStepIteration("layer-api", 500, json, PeakMemoryProfiler.class, CanaryProfiler.class);
    Collection<RunResult> results = new Runner(opts).run();
    assertEquals(1, results.size());
    RunResult r = results.iterator().next();
    double perBatch = r.getPrimaryResult().getScore();
    Result<?> samples = r.getSecondaryResults().get("samples");
    assertNotNull(samples, "per-sample metric");
    assertEquals(perBatch / 32, samples.getScore(), perBatch / 32 * 0.01, "per sample = per batch / 32");
    assertTrue(r.getSecondaryResults().get("peak.host.rss").getScore() > 50, "resident set in MiB");
    JmhJson.Point read = JmhJson.read(json).get(0);
    for (String metric : List.of(JmhJson.CANARY_COMPUTE, JmhJson.CANARY_MEMORY)) {
      assertTrue(read.canary().get(metric).mean() > 0, metric + " per measured iteration, read back: " + read.canary());
    }

    assertTrue(Files.size(json) > 0);
    List<ResultTable.Row> rows = ResultTable.read(json, "cpu", ArticleFigures.read(Repo.baselinesDir()));
    assertEquals("mlp", rows.get(0).variant());
    assertEquals(94.0, rows.get(0).articleUsPerSample(), "the article's Raspberry Pi figure");
    String table = ResultTable.markdown(rows);
    assertTrue(table.contains("| mlp | trainStep | layer-api | cpu | 32 |"), table);
    assertTrue(table.contains("Raspberry Pi"), table);
  }

  @ParameterizedTest
  @ValueSource(strings = {"samediff", "layer-api"})
  void stepProfilerSplitsATrainingStepIntoItsPartsInsideTheStep(String engine) throws Exception {
    Options opts = oneMlpTrainStepIteration(engine, 800, tmp.resolve("jmh.json"), StepProfiler.class);
    RunResult r = new Runner(opts).run().iterator().next();
    // the metric names survive JMH's JSON file, as the reports read it
    JmhJson.Point fromFile = JmhJson.read(tmp.resolve("jmh.json")).get(0);
    assertEquals(r.getSecondaryResults().keySet(), fromFile.secondary().keySet());
    double step = r.getPrimaryResult().getScore();
    Map<String, Double> metrics = r.getSecondaryResults().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getScore()));
    String prefix = engine.equals("samediff") ? StepProfiler.OP_PREFIX : StepProfiler.LAYER_PREFIX;
    double parts = metrics.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .mapToDouble(Map.Entry::getValue).sum();
    if (engine.equals("samediff")) {
      assertTrue(metrics.containsKey("op:matmul_bp 32x784"), "the first dense layer's gradient op: " + metrics.keySet());
    } else {
      assertTrue(metrics.containsKey("layer:0 DenseLayer forward"), "the hidden layer's forward: " + metrics.keySet());
      assertTrue(metrics.containsKey("layer:0 DenseLayer backward"), "and its backward: " + metrics.keySet());
      assertTrue(metrics.get(StepProfiler.OUTPUT) > 0, "the output layer's share");
    }
    double adam = metrics.get(StepProfiler.ADAM);
    double framework = metrics.get(StepProfiler.FRAMEWORK);
    double output = metrics.getOrDefault(StepProfiler.OUTPUT, 0.0);
    double seen = parts + output + adam + framework;
    assertTrue(adam > 0, "Adam's update timed");
    // what the hooks saw happens inside the step: it cannot exceed the step, and it is most of it
    assertTrue(seen <= step * 1.02, seen + " us seen within a " + step + " us step");
    assertTrue(seen >= step * 0.5, seen + " us seen of a " + step + " us step");

    JmhJson.Point point = new JmhJson.Point("trainStep", Map.of(), step, Double.NaN, step / 32, metrics);
    StringBuilder md = new StringBuilder();
    assertEquals(parts + output + adam, StepTable.insideTheStep(point, step, md), 1e-6);
    assertTrue(md.toString().contains(engine.equals("samediff") ? "| matmul_bp | 32x784 |" : "| 0 DenseLayer | forward |"),
        md.toString());
  }
}
