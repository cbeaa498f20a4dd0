package org.fmnistbench.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A variant built by one engine, ready to train: the contract every engine meets, in types of
 * the suite's own ({@link Tensor}), so an engine loads without another engine's library (the DJL
 * engine without ND4J). Features come as the suite's batches make them ({@code [n, 1, 28, 28]}
 * NCHW for convolutional variants, {@code [n, 784]} otherwise); a model in another layout adapts
 * them itself.
 */
public interface Model {
  /**
   * One optimiser step (Adam) on a minibatch.
   *
   * @return the minibatch's mean cross-entropy and correct predictions, from the training
   *     forward pass before the update (as Keras's progress bar reports them), read back to the
   *     host, so the step's work is done when this returns
   */
  Step fit(Tensor features, Tensor labels);

  /** Class probabilities {@code [n, 10]}, dropout off (inference). */
  Tensor output(Tensor features);

  /**
   * Seeds the generator this model's dropout masks are drawn from; the trainer calls it at each
   * epoch, so a resumed run draws what an uninterrupted one would.
   */
  void reseed(long seed);

  /** Trainable parameters. */
  long numParams();

  /**
   * The current weights by the layer API's parameter names ({@code 0_W}, {@code 0_b}, ...), in
   * the layer API's layouts ({@link LayerApiParams}), so two models' weights compare whatever
   * engine built them.
   */
  Map<String, Tensor> weights();

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
