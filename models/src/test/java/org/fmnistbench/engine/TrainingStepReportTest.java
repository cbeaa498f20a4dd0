package org.fmnistbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.model.Model;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.training.Batches;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a training step reports (Keras's progress-bar loss and accuracy) comes from that step's
 * own forward pass: with dropout off it must equal what the weights before the step predict;
 * with dropout on, the logits the layer API's listener reads must give DL4J's own loss, which
 * they only do if they carry the step's dropout mask.
 */
class TrainingStepReportTest {
  private static final int BATCH = 32;

  private static INDArray[] batch(Variant v) {
    FashionMnist.Split train = FashionMnist.load().train().stratified(4);
    int[] order = Trainer.shuffledOrder(train.size(), 11);
    return new INDArray[] {Batches.features(train, order, 0, BATCH, v.convolutional()),
        Batches.labels(train, order, 0, BATCH)};
  }

  /** Correct count and mean cross-entropy of inference probabilities. */
  private static double[] expected(INDArray probs, INDArray labels) {
    double[][] p = probs.toDoubleMatrix();
    double[][] y = labels.toDoubleMatrix();
    int correct = 0;
    double loss = 0;
    for (int i = 0; i < p.length; i++) {
      int best = 0;
      int label = 0;
      for (int c = 1; c < p[i].length; c++) {
        best = p[i][c] > p[i][best] ? c : best;
        label = y[i][c] > y[i][label] ? c : label;
      }
      correct += best == label ? 1 : 0;
      loss -= Math.log(p[i][label]);
    }
    return new double[] {correct, loss / p.length};
  }

  private static void assertStepReportsItsOwnForwardPass(Model model, INDArray[] b, String what) {
    double[] expected = expected(Nd4jTensor.nd4j(model.output(new Nd4jTensor(b[0]))), b[1]);
    Model.Step step = model.fit(new Nd4jTensor(b[0]), new Nd4jTensor(b[1]));
    assertEquals((int) expected[0], step.correct(), what + ": correct predictions of the step");
    assertEquals(expected[1], step.loss(), 1e-4 * expected[1], what + ": loss of the step");
  }

  @Test
  void withoutDropoutTheStepReportsThePredictionsOfItsWeights() {
    Variant v = Variant.CNN;
    INDArray[] b = batch(v);
    MultiLayerNetwork net = LayerApiEngine.build(v, Recipe.article(v), 5);
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).conf().getLayer() instanceof BaseLayer layer) {
        layer.setIDropout(null);
      }
    }
    Model layerApi = new LayerApiEngine.LayerApiModel(net, NativeRuntime.active().format());
    for (int step = 0; step < 3; step++) { // later steps: after Adam has moved the weights
      assertStepReportsItsOwnForwardPass(layerApi, b, "layer API step " + step);
    }
    Model sameDiff = SameDiffEngine.build(v, Recipe.article(v), 5, NativeRuntime.active(), false);
    for (int step = 0; step < 3; step++) {
      assertStepReportsItsOwnForwardPass(sameDiff, b, "SameDiff step " + step);
    }
  }

  @Test
  void withDropoutTheLayerApiReadsTheLogitsItsLossCameFrom() {
    Variant v = Variant.CNN;
    INDArray[] b = batch(v);
    MultiLayerNetwork net = LayerApiEngine.build(v, Recipe.article(v), 5);
    LayerApiEngine.LayerApiModel model = new LayerApiEngine.LayerApiModel(net, NativeRuntime.active().format());
    for (int step = 0; step < 3; step++) {
      model.fit(new Nd4jTensor(b[0]), new Nd4jTensor(b[1]));
      Model.Step read = model.lastLogitsStep();
      assertEquals(net.score(), read.loss(), 1e-5 * net.score(),
          "step " + step + ": cross-entropy of the logits the listener read vs DL4J's score");
      assertTrue(read.correct() >= 0 && read.correct() <= BATCH);
    }
  }
}
