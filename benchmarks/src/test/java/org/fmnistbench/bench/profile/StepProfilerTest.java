package org.fmnistbench.bench.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.LayerBenchmarks;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.LayerApiEngine;
import org.fmnistbench.engine.Nd4jTensor;
import org.fmnistbench.model.Model;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The layer API's timing wrappers observe the step without changing what it computes. */
class StepProfilerTest {
  private static final int STEPS = 3;

  @Test
  void timedLayersTrainExactlyLikeTheNetworkTheyWrap() {
    Backend.verifyLoaded();
    Variant v = Variant.CNN;
    Recipe recipe = Recipe.article(v).withBatchSize(8);
    Nd4j.getRandom().setSeed(7);
    INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
    INDArray y = LayerBenchmarks.oneHot(8, 10);

    double[] plain = losses(Engine.LAYER_API.build(v, recipe, 1, NativeRuntime.active()), x, y);
    Model timed = Engine.LAYER_API.build(v, recipe, 1, NativeRuntime.active());
    StepProfiler.Clock clock = new StepProfiler.Clock();
    StepProfiler.LayerTimer.instrument(((LayerApiEngine.LayerApiModel) timed).network(), clock);
    double[] wrapped = losses(timed, x, y);
    for (int i = 0; i < STEPS; i++) {
      assertEquals(plain[i], wrapped[i], 1e-6, "loss of step " + (i + 1) + " (dropout masks from the same seed)");
    }

    Map<String, Double> times = clock.results().stream()
        .collect(Collectors.toMap(r -> r.getLabel(), r -> r.getScore()));
    assertEquals(STEPS, times.get(StepProfiler.STEPS), 0.0);
    int hidden = ((LayerApiEngine.LayerApiModel) timed).network().getLayers().length - 1;
    for (int i = 0; i < hidden; i++) {
      int index = i;
      assertTrue(times.keySet().stream().anyMatch(k -> k.startsWith(StepProfiler.LAYER_PREFIX + index + " ")
          && k.endsWith(" forward")), "layer " + i + " forward timed: " + times.keySet());
    }
    assertTrue(times.get(StepProfiler.OUTPUT) > 0 && times.get(StepProfiler.ADAM) > 0, times.toString());
  }

  private static double[] losses(Model model, INDArray x, INDArray y) {
    Nd4j.getRandom().setSeed(42);
    double[] out = new double[STEPS];
    for (int i = 0; i < STEPS; i++) {
      out[i] = model.fit(new Nd4jTensor(x), new Nd4jTensor(y)).loss();
    }
    return out;
  }
}
