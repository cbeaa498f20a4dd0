package org.fmnistbench.model;

/**
 * What Keras's progress bar reports for one training batch, computed from the logits of the
 * training forward pass itself (dropout active, weights before the update): the mean softmax
 * cross-entropy and how many argmax predictions match the labels. Both engines hand their
 * training logits here, so the two report the same quantities the same way.
 */
public final class TrainingLogits {
  private TrainingLogits() {}

  /** Loss and correct count of a batch of {@code logits} against one-hot {@code labels}. */
  public static Model.Step score(double[][] logits, double[][] labels) {
    double sum = 0;
    int correct = 0;
    for (int i = 0; i < logits.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < logits[i].length; c++) {
        if (logits[i][c] > max) {
          max = logits[i][c];
          best = c;
        }
      }
      double exp = 0;
      for (double z : logits[i]) {
        exp += Math.exp(z - max);
      }
      double logSumExp = max + Math.log(exp);
      int label = 0;
      for (int c = 0; c < logits[i].length; c++) {
        sum += labels[i][c] * (logSumExp - logits[i][c]);
        if (labels[i][c] > labels[i][label]) {
          label = c;
        }
      }
      if (best == label) {
        correct++;
      }
    }
    return new Model.Step(sum / logits.length, correct);
  }
}
