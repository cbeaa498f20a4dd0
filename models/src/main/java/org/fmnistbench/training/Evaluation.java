package org.fmnistbench.training;

import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Nd4jTensor;
import org.fmnistbench.model.Model;
import org.fmnistbench.model.Tensor;

/**
 * Keras's {@code model.evaluate}: mean sparse categorical cross-entropy (probabilities clipped
 * to [1e-7, 1 - 1e-7], as Keras does) and accuracy, with dropout off.
 *
 * @param accuracy fraction of correct argmax predictions
 * @param loss mean cross-entropy
 * @param samples how many examples were evaluated
 */
public record Evaluation(double accuracy, double loss, int samples) {
  private static final double KERAS_EPSILON = 1e-7;

  /** Evaluates {@code net} on all of {@code split} in batches of {@code batchSize}. */
  public static Evaluation of(Model net, FashionMnist.Split split, int batchSize, boolean images) {
    int n = split.size();
    int[] order = Batches.identity(n);
    long correct = 0;
    double lossSum = 0;
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      Tensor probs = net.output(new Nd4jTensor(Batches.features(split, order, from, to, images)));
      float[] p = probs.toFloats();
      int classes = Math.toIntExact(probs.shape()[1]);
      for (int k = 0; k < to - from; k++) {
        int label = split.labels()[from + k];
        int best = 0;
        for (int c = 1; c < classes; c++) {
          if (p[k * classes + c] > p[k * classes + best]) {
            best = c;
          }
        }
        if (best == label) {
          correct++;
        }
        double q = Math.min(1 - KERAS_EPSILON, Math.max(KERAS_EPSILON, p[k * classes + label]));
        lossSum -= Math.log(q);
      }
    }
    return new Evaluation((double) correct / n, lossSum / n, n);
  }
}
