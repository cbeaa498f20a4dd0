package org.fmnistbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fmnistbench.model.Model;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code pool.helpers=off} swaps only the pooling kernels: each engine trains to the same losses
 * as with oneDNN pooling (max and average pooling), the pooling layers are the wrapped ones, and
 * the process-wide helper switch is back on after every step.
 */
class PoolingWithoutHelpersTest {
  private static final int STEPS = 3;

  private static RuntimeConfig poolHelpers(String onOff) {
    assumeTrue(NativeRuntime.active().helpers(), "helpers are off in this JVM: nothing to switch around pooling");
    return RuntimeConfig.parse(NativeRuntime.active().id() + ",pool.helpers=" + onOff);
  }

  private static INDArray[] batch() {
    Nd4j.getRandom().setSeed(21);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
    for (int r = 0; r < 32; r++) {
      y.putScalar(r, r % 10, 1f);
    }
    return new INDArray[] {Nd4j.rand(DataType.FLOAT, 32, 1, 28, 28), y};
  }

  private static double[] losses(Model model, INDArray[] b) {
    Nd4j.getRandom().setSeed(4);
    double[] out = new double[STEPS];
    for (int i = 0; i < STEPS; i++) {
      out[i] = model.fit(new Nd4jTensor(b[0]), new Nd4jTensor(b[1])).loss();
      assertTrue(Nd4j.getEnvironment().helpersAllowed() == NativeRuntime.active().helpers(),
          "the helper switch is restored after step " + i);
    }
    return out;
  }

  private static void assertSameLosses(double[] expected, double[] actual, String what) {
    for (int i = 0; i < STEPS; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * Math.abs(expected[i]), what + ", step " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cnn", "avgpool"})
  void layerApiTrainsAlike(String id) {
    Variant v = Variant.byId(id);
    INDArray[] b = batch();
    RuntimeConfig off = poolHelpers("off");
    MultiLayerNetwork wrapped = LayerApiEngine.build(v, Recipe.article(v), 3, off);
    boolean sawPooling = false;
    for (Layer layer : wrapped.getLayers()) {
      sawPooling |= layer instanceof PoolingWithoutHelpers.Pooling;
      assertFalse(layer instanceof SubsamplingLayer,
          "an unwrapped pooling layer: " + layer);
    }
    assertTrue(sawPooling, id + " has pooling layers and they are wrapped");
    double[] plain = losses(new LayerApiEngine.LayerApiModel(
        LayerApiEngine.build(v, Recipe.article(v), 3, poolHelpers("on")), off.format()), b);
    double[] without = losses(new LayerApiEngine.LayerApiModel(wrapped, off.format()), b);
    assertSameLosses(plain, without, id + " layer API, pooling without helpers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cnn", "avgpool"})
  void sameDiffTrainsAlike(String id) {
    Variant v = Variant.byId(id);
    INDArray[] b = batch();
    SameDiffEngine.SameDiffModel with = SameDiffEngine.build(v, Recipe.article(v), 3, poolHelpers("on"), true);
    SameDiffEngine.SameDiffModel without = SameDiffEngine.build(v, Recipe.article(v), 3, poolHelpers("off"), true);
    assertFalse(with.graph().getListeners().stream().anyMatch(l -> l instanceof PoolingWithoutHelpers.OpSwitch));
    assertTrue(without.graph().getListeners().stream().anyMatch(l -> l instanceof PoolingWithoutHelpers.OpSwitch));
    double[] plain = losses(with, b);
    assertSameLosses(plain, losses(without, b), id + " SameDiff, pooling without helpers");
  }
}
