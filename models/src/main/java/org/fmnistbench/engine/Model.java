package org.fmnistbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A variant built by one {@link Engine}, ready to train. Features come as the suite's batches
 * make them ({@code [n, 1, 28, 28]} NCHW for convolutional variants, {@code [n, 784]}
 * otherwise); a model in another layout adapts them itself.
 */
public interface Model {
  /** The engine that built this model. */
  Engine engine();

  /**
   * One optimiser step (Adam) on a minibatch.
   *
   * @return the minibatch's mean cross-entropy and correct predictions, from the training
   *     forward pass before the update (as Keras's progress bar reports them), read back to the
   *     host, so the step's work is done when this returns
   */
  Step fit(INDArray features, INDArray labels);

  /** Class probabilities {@code [n, 10]}, dropout off (inference). */
  INDArray output(INDArray features);

  /**
   * Seeds the generator this model's dropout masks are drawn from (ND4J's for DL4J's engines); the
   * trainer calls it at each epoch, so a resumed run draws what an uninterrupted one would.
   */
  default void reseed(long seed) {
    org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(seed);
  }

  /** Trainable parameters. */
  long numParams();

  /**
   * The current weights by the layer API's parameter names ({@code 0_W}, {@code 0_b}, ...), in
   * the layer API's layouts, so two models' weights compare whatever engine built them.
   */
  java.util.Map<String, INDArray> weights();

  /** Writes the model with its optimiser state, so training can resume from the file. */
  void save(Path file) throws IOException;

  /**
   * What one training step reports.
   *
   * @param loss mean cross-entropy of the batch (dropout active, weights before the update)
   * @param correct examples whose argmax prediction in that same forward pass was right
   */
  record Step(double loss, int correct) {}
}
