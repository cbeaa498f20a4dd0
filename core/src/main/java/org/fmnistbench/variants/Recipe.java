package org.fmnistbench.variants;

import java.util.Locale;

/**
 * How a variant is trained and evaluated: the article's Keras recipe (Adam 1e-3, 0.9, 0.999,
 * 1e-8; batch 32; reshuffled every epoch; pixels / 255) at a given size.
 *
 * @param epochs passes over the training set
 * @param trainPerClass examples per class taken from the training file (0 = all 60,000),
 *     before augmentation
 * @param testPerClass examples per class taken from the test file (0 = all 10,000)
 * @param batchSize minibatch size (Keras's default 32)
 * @param learningRate Adam's learning rate
 * @param beta1 Adam's beta1
 * @param beta2 Adam's beta2
 * @param epsilon Adam's epsilon (tf.train.AdamOptimizer's 1e-8, not tf.keras's 1e-7)
 * @param flip whether the training set is extended by its horizontal mirror
 */
public record Recipe(int epochs, int trainPerClass, int testPerClass, int batchSize,
    double learningRate, double beta1, double beta2, double epsilon, boolean flip) {

  public Recipe {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (trainPerClass < 0 || testPerClass < 0) {
      throw new IllegalArgumentException("per-class limits must be >= 0 (0 = all), got train="
          + trainPerClass + " test=" + testPerClass);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
  }

  /** The article's full recipe for a variant. */
  public static Recipe article(Variant variant) {
    return new Recipe(variant.epochs(), 0, 0, 32, 1e-3, 0.9, 0.999, 1e-8,
        variant.augmentation() == Variant.Augmentation.HORIZONTAL_FLIP);
  }

  public Recipe withEpochs(int e) {
    return new Recipe(e, trainPerClass, testPerClass, batchSize, learningRate, beta1, beta2, epsilon, flip);
  }

  public Recipe withTrainPerClass(int n) {
    return new Recipe(epochs, n, testPerClass, batchSize, learningRate, beta1, beta2, epsilon, flip);
  }

  public Recipe withTestPerClass(int n) {
    return new Recipe(epochs, trainPerClass, n, batchSize, learningRate, beta1, beta2, epsilon, flip);
  }

  public Recipe withBatchSize(int b) {
    return new Recipe(epochs, trainPerClass, testPerClass, b, learningRate, beta1, beta2, epsilon, flip);
  }

  /**
   * A one-line, stable description: baselines store it, and the gate refuses to compare
   * against a baseline recorded under a different description.
   */
  public String describe() {
    return String.format(Locale.ROOT, "epochs=%d train=%s test=%s flip=%s batch=%d adam=%s/%s/%s/%s",
        epochs, trainPerClass == 0 ? "all" : trainPerClass + "/class",
        testPerClass == 0 ? "all" : testPerClass + "/class", flip, batchSize,
        num(learningRate), num(beta1), num(beta2), num(epsilon));
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%s", d).replace(".0E", "E");
  }
}
