package org.fmnistbench.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.Nd4jTensor;
import org.fmnistbench.model.Model;
import org.fmnistbench.model.Tensor;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;

/**
 * Trains one variant under a {@link Recipe} the way Keras's {@code model.fit} does: each epoch
 * visits every training example once, in a new random order, in minibatches (the last one
 * may be smaller); then evaluates on the test set like {@code model.evaluate}.
 *
 * <p>Randomness is derived from the seed per epoch (the shuffle and ND4J's RNG, which drives
 * dropout masks), so a run resumed from an epoch checkpoint sees the same randomness as an
 * uninterrupted one.
 */
public final class Trainer {
  private final Variant variant;
  private final Recipe recipe;
  private final long seed;
  private final Engine engine;

  /** A trainer on the engine named by the system property {@value Engine#PROPERTY}. */
  public Trainer(Variant variant, Recipe recipe, long seed) {
    this(variant, recipe, seed, Engine.configured());
  }

  public Trainer(Variant variant, Recipe recipe, long seed, Engine engine) {
    this.variant = variant;
    this.recipe = recipe;
    this.seed = seed;
    this.engine = engine;
  }

  /** The training examples the recipe uses: the per-class subset, then the flip if asked. */
  public static FashionMnist.Split trainingSet(FashionMnist data, Recipe recipe) {
    FashionMnist.Split train = data.train().stratified(recipe.trainPerClass());
    return recipe.flip() ? train.withHorizontalFlips() : train;
  }

  /** The test examples the recipe uses. */
  public static FashionMnist.Split testSet(FashionMnist data, Recipe recipe) {
    return data.test().stratified(recipe.testPerClass());
  }

  /**
   * Trains from scratch, or from the last checkpoint in {@code checkpointDir}, and evaluates.
   * With checkpoints, a run that already finished returns its stored result at once.
   */
  public RunResult run(FashionMnist data, Optional<Path> checkpointDir) {
    return run(data, checkpointDir, Optional.empty());
  }

  /**
   * As {@link #run(FashionMnist, Optional)}, but a run with no checkpoint of its own starts from
   * {@code continuation}'s finished run when there is one (refused, with the reasons, when that
   * run differs in more than its epochs), and from scratch when it has not finished.
   */
  public RunResult run(FashionMnist data, Optional<Path> checkpointDir, Optional<Continuation> continuation) {
    Optional<Checkpoints> checkpoints = checkpointDir.map(this::checkpointsIn);
    String commit = CommitId.current().full();
    Optional<RunResult> finished = checkpoints.flatMap(c -> c.finishedResult(commit));
    if (finished.isPresent()) {
      return finished.get();
    }
    if (checkpoints.isPresent() && checkpoints.get().finishedByAnotherCommit(commit)) {
      System.err.printf(Locale.ROOT, "%s seed %d: the finished run in %s was trained by another commit; training it "
          + "again with this one (%s)%n", variant, seed, checkpointDir.get(), commit);
      checkpoints.get().clear();
    }
    List<EpochStats> epochs = new ArrayList<>();
    FashionMnist.Split train = trainingSet(data, recipe);
    FashionMnist.Split test = testSet(data, recipe);
    String startedFrom = train(train, test, checkpoints, continuation, recipe.epochs(), epochs);
    // The last epoch's evaluation is Keras's model.evaluate after fit: same weights, dropout off.
    EpochStats last = epochs.get(epochs.size() - 1);
    RunResult result = new RunResult(variant.id(), recipe.describe(), seed, last.testAccuracy(), last.testLoss(),
        test.size(), train.size(), epochs.stream().mapToDouble(EpochStats::seconds).sum(), last.evalSeconds(),
        List.copyOf(epochs), startedFrom);
    checkpoints.ifPresent(c -> c.saveResult(result));
    return result;
  }

  /**
   * Trains only until {@code stopAfter} epochs are done, checkpointing into {@code dir}: what an
   * interrupted run leaves behind (for tests of resuming).
   */
  void runEpochs(FashionMnist data, Path dir, int stopAfter) {
    train(trainingSet(data, recipe), testSet(data, recipe), Optional.of(checkpointsIn(dir)), Optional.empty(),
        stopAfter, new ArrayList<>());
  }

  private Checkpoints checkpointsIn(Path dir) {
    return checkpointsIn(dir, variant, recipe);
  }

  /** A run folder of this seed, engine and runtime, of {@code v} under {@code r}. */
  private Checkpoints checkpointsIn(Path dir, Variant v, Recipe r) {
    return new Checkpoints(dir, v, r, seed, engine, NativeRuntime.active());
  }

  /** Trains into {@code epochs}; returns what the run started from ({@code null}: from scratch). */
  private String train(FashionMnist.Split train, FashionMnist.Split test, Optional<Checkpoints> checkpoints,
      Optional<Continuation> continuation, int stopAfter, List<EpochStats> epochs) {
    Model net;
    Optional<Checkpoints.Restored> restored = checkpoints.flatMap(Checkpoints::restore);
    if (restored.isPresent()) {
      System.err.printf(Locale.ROOT, "%s seed %d: resuming after epoch %d of %d%n",
          variant, seed, restored.get().epochs().size(), recipe.epochs());
    } else if (continuation.isPresent()) {
      Continuation c = continuation.get();
      restored = checkpointsIn(c.dir(), c.variant(), c.recipe()).restoreToContinue(variant, recipe);
      System.err.printf(Locale.ROOT, restored.isPresent()
          ? "%s seed %d: continuing %s's finished run in %s%n"
          : "%s seed %d: %s has no finished run in %s; training from scratch%n", variant, seed, c.variant(), c.dir());
    }
    String startedFrom = restored.map(Checkpoints.Restored::startedFrom).orElse(null);
    if (restored.isPresent()) {
      net = restored.get().net();
      epochs.addAll(restored.get().epochs());
    } else {
      net = engine.build(variant, recipe, seed, NativeRuntime.active());
    }
    for (int epoch = epochs.size(); epoch < stopAfter; epoch++) {
      EpochStats stats = trainEpoch(net, train, test, epoch);
      epochs.add(stats);
      Progress.report(String.format(Locale.ROOT,
          "%s seed %d epoch %d/%d: %.0f s %.0f us/sample - loss %.4f - acc %.4f - test_loss %.4f - test_acc %.4f",
          variant, seed, stats.epoch(), recipe.epochs(), stats.seconds(), stats.usPerSample(), stats.trainLoss(),
          stats.trainAccuracy(), stats.testLoss(), stats.testAccuracy()));
      int done = epoch + 1;
      checkpoints.ifPresent(c -> c.save(net, epochs, done, startedFrom));
    }
    return startedFrom;
  }

  private EpochStats trainEpoch(Model net, FashionMnist.Split train, FashionMnist.Split test, int epoch) {
    long epochSeed = epochSeed(seed, epoch);
    net.reseed(epochSeed);
    int[] order = shuffledOrder(train.size(), epochSeed);
    boolean images = variant.convolutional();
    int n = train.size();
    int batch = recipe.batchSize();
    double lossSum = 0;
    long correct = 0;
    int batches = 0;
    long t0 = System.nanoTime();
    String task = String.format(Locale.ROOT, "%s seed %d epoch %d/%d", variant, seed, epoch + 1, recipe.epochs());
    try (Progress progress = Progress.start(task, n, "samples")) {
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        Tensor x = new Nd4jTensor(Batches.features(train, order, from, to, images));
        Tensor y = new Nd4jTensor(Batches.labels(train, order, from, to));
        Model.Step step = net.fit(x, y);
        double loss = step.loss();
        if (!Double.isFinite(loss)) {
          throw new NonFiniteLossException(String.format(Locale.ROOT,
              "%s seed %d: loss is %s at epoch %d, step %d (samples %d-%d); recipe %s",
              variant, seed, loss, epoch + 1, batches + 1, from, to, recipe.describe()));
        }
        lossSum += loss;
        correct += step.correct();
        batches++;
        progress.stepBy(to - from);
        if (batches % 20 == 0) {
          progress.message(String.format(Locale.ROOT, "loss %.4f acc %.4f", lossSum / batches,
              (double) correct / to));
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long e0 = System.nanoTime();
    Evaluation eval = Evaluation.of(net, test, batch, images);
    double evalSeconds = (System.nanoTime() - e0) / 1e9;
    return new EpochStats(epoch + 1, lossSum / batches, (double) correct / n, eval.loss(), eval.accuracy(),
        seconds, seconds * 1e6 / n, evalSeconds, CommitId.current().full());
  }

  private static long epochSeed(long seed, int epoch) {
    return seed * 1_000_003L + epoch;
  }

  /** The order in which an epoch visits {@code n} examples under {@code seed}. */
  public static int[] shuffledOrder(int n, long seed) {
    return shuffled(n, new SplittableRandom(seed));
  }

  /** A Fisher-Yates permutation of 0..n-1. */
  static int[] shuffled(int n, SplittableRandom random) {
    int[] order = Batches.identity(n);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * What one epoch did: Keras's epoch line ({@code loss}, {@code acc}, us/step) and, as with
   * {@code validation_data}, the test set's loss and accuracy after the epoch.
   *
   * @param epoch 1-based epoch number
   * @param trainLoss mean minibatch loss over the epoch (Keras's progress-bar loss)
   * @param trainAccuracy fraction of training examples predicted right in their own training
   *     step (dropout active, weights before the step's update: Keras's progress-bar accuracy)
   * @param testLoss test-set cross-entropy after the epoch (dropout off), as {@link Evaluation}
   * @param testAccuracy test-set accuracy after the epoch
   * @param seconds wall time of the epoch's training, data pipeline included, evaluation not
   * @param usPerSample wall time per training sample (Keras's "us/step")
   * @param evalSeconds wall time of the test-set evaluation after the epoch
   * @param commit the suite's commit that trained this epoch (a resumed run may span several)
   */
  public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss,
      double testAccuracy, double seconds, double usPerSample, double evalSeconds, String commit) {}

  /**
   * A finished run.
   *
   * @param variant variant id
   * @param recipe {@link Recipe#describe()}
   * @param seed the seed
   * @param testAccuracy accuracy on the recipe's test set
   * @param testLoss mean cross-entropy on it
   * @param testSamples its size
   * @param trainSamples training examples per epoch (after augmentation)
   * @param trainSeconds wall time of all epochs (including those before a resume)
   * @param evalSeconds wall time of the evaluation
   * @param epochs per-epoch statistics
   * @param startedFrom the finished shorter run this one continued ({@link Continuation}), or
   *     {@code null} when it trained from scratch
   */
  public record RunResult(@JsonProperty(required = true) String variant, @JsonProperty(required = true) String recipe,
      @JsonProperty(required = true) long seed, @JsonProperty(required = true) double testAccuracy,
      double testLoss, int testSamples, int trainSamples, double trainSeconds, double evalSeconds,
      @JsonProperty(required = true) List<EpochStats> epochs, String startedFrom) {

    /** Mean minibatch loss of the last epoch: Keras's last progress-bar loss. */
    public double finalTrainLoss() {
      return epochs.get(epochs.size() - 1).trainLoss();
    }

    /** Training accuracy of the last epoch: Keras's last progress-bar accuracy. */
    public double finalTrainAccuracy() {
      return epochs.get(epochs.size() - 1).trainAccuracy();
    }
  }
}
