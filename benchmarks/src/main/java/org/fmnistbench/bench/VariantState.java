package org.fmnistbench.bench;

import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.Nd4jTensor;
import org.fmnistbench.model.Model;
import org.fmnistbench.model.Tensor;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.training.Batches;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One variant's network and a few real Fashion-MNIST minibatches, built once per trial. The
 * {@code variant} parameter lists no values, so JMH runs every registry constant unless narrowed
 * with {@code -p variant=CNN3,MLP} (JMH takes the enum constant names). {@code engine} is
 * layer-api or samediff by default; the peer djl-pytorch runs when named
 * ({@code -p engine=layer-api,samediff,djl-pytorch}). The runtime configuration
 * (native build, helpers, layout...) is per JVM: {@code -jvmArgsAppend -Dsuite.runtime=stock}.
 */
@State(Scope.Benchmark)
public class VariantState {
  /** Minibatches the timed loop rotates through, so no single batch gets cache-hot. */
  static final int ROTATION = 8;
  static final long SEED = 1;

  @Param
  public Variant variant;

  @Param({"32"})
  public int batchSize;

  @Param({Engine.LAYER_API_ID, Engine.SAMEDIFF_ID})
  public String engine;

  /** The backend that actually ran, checked against the one requested. */
  public Backend backend;
  public Model net;
  public Tensor[] features;
  public Tensor[] labels;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    backend = Backend.verifyLoaded();
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    Recipe recipe = Recipe.article(variant).withBatchSize(batchSize);
    net = Engine.byId(engine).build(variant, recipe, SEED, NativeRuntime.active());
    ModelHooks.built(net);
    FashionMnist.Split train = Trainer.trainingSet(FashionMnist.load(), recipe);
    int[] order = Trainer.shuffledOrder(train.size(), SEED);
    features = new Tensor[ROTATION];
    labels = new Tensor[ROTATION];
    for (int i = 0; i < ROTATION; i++) {
      int from = i * batchSize;
      // ND4J's arrays behind the contract, built once: DL4J's engines take them back without a copy
      features[i] = new Nd4jTensor(Batches.features(train, order, from, from + batchSize, variant.convolutional()));
      labels[i] = new Nd4jTensor(Batches.labels(train, order, from, from + batchSize));
    }
  }

  /**
   * TEST-ONLY: system property {@value #SLOWDOWN_PROPERTY} (a fraction, e.g. 0.2) makes every
   * operation spin for that share of its own duration, so the nightly job's regression
   * detection can be shown to fire. Never set in a real run; the metadata records it.
   */
  public static final String SLOWDOWN_PROPERTY = "suite.test.slowdown";
  private final double slowdown = Double.parseDouble(System.getProperty(SLOWDOWN_PROPERTY, "0"));

  /** Spins for {@code slowdown} times the time since {@code startNanos} (no-op normally). */
  void injectSlowdown(long startNanos) {
    if (slowdown > 0) {
      long end = System.nanoTime() + (long) ((System.nanoTime() - startNanos) * slowdown);
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    }
  }

  /** The index of the next minibatch in the rotation. */
  public int nextBatch() {
    int i = next;
    next = (next + 1) % ROTATION;
    return i;
  }
}
