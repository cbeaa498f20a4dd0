package org.fmnistbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.training.Batches;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both engines compute the same function: for the same weights and the same real minibatch,
 * dropout off, the layer API and SameDiff give the same loss and the same gradient for every
 * weight array. Tolerances: loss within 1e-5 relative; each gradient array within 1e-3 of its
 * largest magnitude (float32 sums in different orders, oneDNN vs im2col kernels). A wrong
 * layout (a transposed kernel, Flatten in the wrong order) misses by orders of magnitude.
 */
class EngineEqualityTest {
  static final double LOSS_TOLERANCE = 1e-5;
  static final double GRADIENT_TOLERANCE = 1e-3;
  static final int BATCH = 16;

  /** One batch of {@link #BATCH} real training images and labels, the same for every engine's test. */
  static INDArray[] realBatch(Variant v) {
    FashionMnist.Split train = FashionMnist.load().train().stratified(2);
    int[] order = Trainer.shuffledOrder(train.size(), 7);
    return new INDArray[] {Batches.features(train, order, 0, BATCH, v.convolutional()),
        Batches.labels(train, order, 0, BATCH)};
  }

  static void assertSameLossAndGradients(Variant v, RuntimeConfig sameDiffConfig) {
    Recipe recipe = Recipe.article(v);
    INDArray[] batch = realBatch(v);
    MultiLayerNetwork net = LayerApiEngine.build(v, recipe, 3, NativeRuntime.active());
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).conf().getLayer() instanceof BaseLayer b) {
        b.setIDropout(null); // dropout off: both sides deterministic
      }
    }
    net.setInput(batch[0]);
    net.setLabels(batch[1]);
    net.computeGradientAndScore();
    double layerApiLoss = net.score();
    Map<String, INDArray> layerApiGradients = net.gradient().gradientForVariable();

    SameDiffEngine.SameDiffModel sd = SameDiffEngine.build(v, recipe, 3, sameDiffConfig, false);
    Map<String, INDArray> sdWeights = Nd4jTensor.unwrap(sd.weights());
    for (Map.Entry<String, INDArray> e : sdWeights.entrySet()) {
      assertTrue(net.getParam(e.getKey()).reshape(e.getValue().shape()).equals(e.getValue()),
          v + ": initial weights " + e.getKey() + " differ");
    }
    assertEquals(net.numParams(), sd.numParams(), v + ": parameter count");
    double sameDiffLoss = sd.loss(batch[0], batch[1]);
    assertEquals(layerApiLoss, sameDiffLoss, LOSS_TOLERANCE * Math.abs(layerApiLoss), v + ": loss");

    Map<String, INDArray> sdGradients = sd.inLayerApiLayout(sd.gradients(batch[0], batch[1]));
    assertEquals(layerApiGradients.keySet(), sdGradients.keySet(), v + ": gradient names");
    for (String name : layerApiGradients.keySet()) {
      // DL4J's layers return the minibatch SUM; its updater divides by the batch size before Adam
      // (miniBatch=true). SameDiff differentiates the mean loss directly.
      INDArray expected = layerApiGradients.get(name).reshape(sdGradients.get(name).shape()).div(BATCH);
      double scale = expected.amaxNumber().doubleValue();
      double diff = expected.sub(sdGradients.get(name)).amaxNumber().doubleValue();
      assertTrue(diff <= GRADIENT_TOLERANCE * scale, String.format(
          "%s (%s): gradient %s differs by %.3g, more than %.0e of its largest magnitude %.3g",
          v, sameDiffConfig.id(), name, diff, GRADIENT_TOLERANCE, scale));
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void sameLossAndGradients(Variant v) {
    assertSameLossAndGradients(v, NativeRuntime.active());
  }

  /** SameDiff in NHWC: the kernel and the Dense rows after Flatten are laid out anew. */
  @ParameterizedTest
  @EnumSource(value = Variant.class, names = {"CNN", "CNN3_PAD_DENSE2", "AVGPOOL"})
  void sameLossAndGradientsInNhwc(Variant v) {
    assertSameLossAndGradients(v, NativeRuntime.active().with(RuntimeConfig.FORMAT, RuntimeConfig.Format.NHWC));
  }

  /** The training head drops with Keras's rate and scales by 1/retain; inference does not drop. */
  @Test
  void sameDiffDropoutIsKerasDropout() {
    Variant v = Variant.CNN;
    SameDiffEngine.SameDiffModel sd = SameDiffEngine.build(v, Recipe.article(v), 3, NativeRuntime.active(), true);
    INDArray[] batch = realBatch(v);
    INDArray p1 = Nd4jTensor.nd4j(sd.output(new Nd4jTensor(batch[0])));
    INDArray p2 = Nd4jTensor.nd4j(sd.output(new Nd4jTensor(batch[0])));
    assertTrue(p1.equals(p2), "inference must be deterministic (no dropout)");
    double l1 = sd.loss(batch[0], batch[1]);
    double l2 = sd.loss(batch[0], batch[1]);
    assertTrue(l1 != l2, "the training head must draw new dropout masks each time");

    INDArray x = Nd4j.ones(DataType.FLOAT, 200, 1000);
    SameDiff g = SameDiff.create();
    SDVariable in = g.placeHolder("x", DataType.FLOAT, -1, 1000);
    SameDiffEngine.dropout(g, in, 0.75, 200, 1000).rename("out");
    INDArray out = g.output(Map.of("x", x), "out").get("out");
    double kept = out.neq(0).castTo(DataType.FLOAT).meanNumber().doubleValue();
    assertEquals(0.75, kept, 0.01, "fraction kept at retain 0.75");
    assertEquals(1 / 0.75, out.maxNumber().doubleValue(), 1e-6, "kept values scaled by 1/retain");
  }
}
