package org.fmnistbench.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/** Checks each Keras-to-DL4J pitfall on the built networks; each test costs seconds. */
class LayerApiFidelityTest {

  private static MultiLayerNetwork build(Variant v) {
    return LayerApiEngine.build(v, Recipe.article(v), 42);
  }

  private static List<Layer> layers(MultiLayerNetwork net) {
    List<Layer> out = new ArrayList<>();
    for (int i = 0; i < net.getnLayers(); i++) {
      out.add(net.getLayer(i).conf().getLayer());
    }
    return out;
  }

  /** Retain probabilities of the layers that carry dropout, by layer index. */
  private static Map<Integer, Double> retains(MultiLayerNetwork net) {
    Map<Integer, Double> out = new TreeMap<>();
    List<Layer> ls = layers(net);
    for (int i = 0; i < ls.size(); i++) {
      IDropout d = ls.get(i) instanceof BaseLayer b ? b.getIDropout() : null;
      if (d != null) {
        out.put(i, assertInstanceOf(Dropout.class, d).getP());
      }
    }
    return out;
  }

  @Test
  void kerasDropoutBecomesRetainProbabilityOnTheNextLayer() {
    // cnn: conv, conv, pool | Dropout(0.25) | dense | Dropout(0.5) | output
    assertEquals(Map.of(3, 0.75, 4, 0.5), retains(build(Variant.CNN)));
    assertEquals(Map.of(4, 0.75, 5, 0.5), retains(build(Variant.CNN3)));
    assertEquals(Map.of(), retains(build(Variant.CNN3_NODROPOUT)));
    // dense2: the 0.5 dropout sits after the second Dense, so the output layer carries it.
    assertEquals(Map.of(5, 0.75, 7, 0.5), retains(build(Variant.CNN3_PAD_DENSE2)));
  }

  @Test
  void dropoutDropsTheRightFractionInTraining() {
    IDropout dropout = ((BaseLayer) layers(build(Variant.CNN)).get(3)).getIDropout();
    INDArray ones = Nd4j.ones(DataType.FLOAT, 400, 500);
    // DL4J applies dropout in place, so give it a copy and keep the original to compare.
    INDArray out = dropout.applyDropout(ones.dup(), Nd4j.createUninitialized(DataType.FLOAT, 400, 500),
        0, 0, LayerWorkspaceMgr.noWorkspaces());
    double zeros = out.eq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    assertEquals(0.25, zeros, 0.005, "fraction dropped");
    // Inverted dropout: the kept units are scaled by 1/retain so the expectation is unchanged.
    double keptMax = out.maxNumber().doubleValue();
    assertEquals(1 / 0.75, keptMax, 1e-5);
    assertEquals(1.0, out.meanNumber().doubleValue(), 0.01);
  }

  @Test
  void dropoutIsOffAtInferenceAndOnInTraining() {
    MultiLayerNetwork net = build(Variant.CNN);
    INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
    INDArray a = net.output(x.dup(), false);
    INDArray b = net.output(x.dup(), false);
    assertEquals(a, b, "inference is deterministic");
    INDArray t1 = net.output(x.dup(), true);
    INDArray t2 = net.output(x.dup(), true);
    assertFalse(t1.equalsWithEps(t2, 1e-6), "training-mode outputs differ: dropout is active");
    assertFalse(t1.equalsWithEps(a, 1e-6));
  }

  @Test
  void zeroPaddingTurns28Into32WithZeroBorders() {
    MultiLayerNetwork net = build(Variant.CNN3_PAD);
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28).addi(0.1);
    INDArray padded = net.feedForward(x, false).get(1); // [0] is the input
    assertArrayEquals(new long[] {2, 1, 32, 32}, padded.shape());
    INDArrayIndex all = NDArrayIndex.all();
    assertEquals(x, padded.get(all, all, NDArrayIndex.interval(2, 30),
        NDArrayIndex.interval(2, 30)));
    assertEquals(x.sumNumber().doubleValue(), padded.sumNumber().doubleValue(), 1e-3, "the border is zero");
  }

  @ParameterizedTest
  @EnumSource(value = Variant.class, names = {"CNN", "CNN3", "CNN4", "CNN3_PAD", "CNN4_MAXPOOL", "MLP"})
  void flattenFeedsDenseTheKerasSize(Variant v) {
    Map<Variant, Long> expected = Map.of(Variant.CNN, 12L * 12 * 64, Variant.CNN3, 11L * 11 * 128,
        Variant.CNN4, 10L * 10 * 256, Variant.CNN3_PAD, 13L * 13 * 128, Variant.CNN4_MAXPOOL, 4L * 4 * 256,
        Variant.MLP, 784L);
    DenseLayer dense = (DenseLayer) layers(build(v)).stream().filter(l -> l instanceof DenseLayer)
        .findFirst().orElseThrow();
    assertEquals(expected.get(v), dense.getNIn(), v.id());
  }

  @Test
  void kernelsAreGlorotUniformAndBiasesZero() {
    MultiLayerNetwork net = build(Variant.CNN);
    INDArray w0 = net.getParam("0_W"); // conv 3x3, 1 -> 32: fan_in 9, fan_out 288
    INDArray w3 = net.getParam("3_W"); // dense 9216 -> 128
    checkGlorotUniform(w0, Math.sqrt(6.0 / (9 + 288)));
    checkGlorotUniform(w3, Math.sqrt(6.0 / (9216 + 128)));
    assertEquals(0.0, net.getParam("0_b").amaxNumber().doubleValue());
    assertEquals(0.0, net.getParam("3_b").amaxNumber().doubleValue());
  }

  private static void checkGlorotUniform(INDArray w, double limit) {
    assertTrue(w.amaxNumber().doubleValue() <= limit, "within the Glorot limit " + limit);
    // A uniform(-l, l) has variance l^2/3; a Gaussian of DL4J's XAVIER would be far narrower here.
    double variance = w.castTo(DataType.DOUBLE).varNumber().doubleValue();
    assertEquals(limit * limit / 3, variance, 0.1 * limit * limit / 3);
    assertTrue(w.amaxNumber().doubleValue() > 0.95 * limit, "reaches the edges, as a uniform does");
  }

  @Test
  void adamIsTensorFlowsAdamOptimizer() {
    Layer l = layers(build(Variant.CNN)).get(0);
    Adam adam = assertInstanceOf(Adam.class, ((BaseLayer) l).getIUpdater());
    assertEquals(1e-3, adam.getLearningRate());
    assertEquals(0.9, adam.getBeta1());
    assertEquals(0.999, adam.getBeta2());
    assertEquals(1e-8, adam.getEpsilon());
    assertNull(((BaseLayer) l).getRegularization().isEmpty() ? null : "regularization", "no L1/L2");
  }

  @Test
  void lossOfAFixedBatchEqualsAHandComputation() {
    MultiLayerNetwork net = build(Variant.MLP);
    int n = 5;
    INDArray x = Nd4j.rand(DataType.FLOAT, n, 784);
    int[] labels = {3, 0, 9, 3, 7};
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, 10);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, labels[i], 1.0);
    }
    double[][] xs = x.toDoubleMatrix();
    double[][] w1 = net.getParam("0_W").toDoubleMatrix(); // [784, 128]
    double[] b1 = net.getParam("0_b").toDoubleVector();
    double[][] w2 = net.getParam("1_W").toDoubleMatrix(); // [128, 10]
    double[] b2 = net.getParam("1_b").toDoubleVector();
    double total = 0;
    for (int i = 0; i < n; i++) {
      double[] h = new double[128];
      for (int j = 0; j < 128; j++) {
        double s = b1[j];
        for (int k = 0; k < 784; k++) {
          s += xs[i][k] * w1[k][j];
        }
        h[j] = Math.max(0, s);
      }
      double[] z = new double[10];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 10; c++) {
        z[c] = b2[c];
        for (int j = 0; j < 128; j++) {
          z[c] += h[j] * w2[j][c];
        }
        max = Math.max(max, z[c]);
      }
      double sumExp = 0;
      for (int c = 0; c < 10; c++) {
        sumExp += Math.exp(z[c] - max);
      }
      total += -(z[labels[i]] - max - Math.log(sumExp)); // -log softmax
    }
    double expected = total / n;
    double actual = net.score(new DataSet(x, y), false);
    assertEquals(expected, actual, 1e-5 * Math.max(1, expected), "mean cross-entropy of the batch");
  }
}
