package org.fmnistbench.bench;

import java.util.concurrent.TimeUnit;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.Nd4jTensor;
import org.fmnistbench.model.Model;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.training.Batches;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole training epoch per operation, data pipeline included: a new shuffle, the bytes turned
 * into minibatches (pixels / 255), and one fit per minibatch, as Keras's progress bar timed it.
 * Each iteration lasts 1 ms, so JMH runs exactly one operation, one epoch, per iteration: the
 * primary score is microseconds per epoch and the secondary {@code samples} metric is
 * microseconds per training sample (the article's us/step). Single-shot mode would do the same
 * but cannot report the per-sample counter.
 *
 * <p>An epoch of a CNN takes minutes to tens of minutes on 2 CPU cores, so the suite runs this
 * only when asked ({@code -Dbench.benchmarks=train,inference,epoch}); on a GPU it is the figure
 * closest to the article's. {@code trainPerClass} shortens the epoch to a class-balanced subset
 * (0 = the variant's full training set).
 *
 * <p>How to run: {@code java -jar benchmarks/target/benchmarks.jar EpochBenchmarks -p
 * variant=CNN -p trainPerClass=500}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 2, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class EpochBenchmarks {

  /** The variant's full training set and its network. */
  @State(Scope.Benchmark)
  public static class EpochState {
    @Param
    public Variant variant;

    @Param({"32"})
    public int batchSize;

    @Param({"0"})
    public int trainPerClass;

    @Param({"layer-api"})
    public String engine;

    Model net;
    FashionMnist.Split train;
    private long epoch;

    @Setup(Level.Trial)
    public void setUp() {
      Backend.verifyLoaded();
      Recipe recipe = Recipe.article(variant).withBatchSize(batchSize).withTrainPerClass(trainPerClass);
      net = Engine.byId(engine).build(variant, recipe, VariantState.SEED, NativeRuntime.active());
      train = Trainer.trainingSet(FashionMnist.load(), recipe);
    }
  }

  @Benchmark
  public double epoch(EpochState s, SampleCounter counter) {
    int n = s.train.size();
    int[] order = Trainer.shuffledOrder(n, VariantState.SEED + s.epoch++);
    boolean images = s.variant.convolutional();
    double loss = Double.NaN;
    for (int from = 0; from < n; from += s.batchSize) {
      int to = Math.min(n, from + s.batchSize);
      loss = s.net.fit(new Nd4jTensor(Batches.features(s.train, order, from, to, images)),
          new Nd4jTensor(Batches.labels(s.train, order, from, to))).loss();
    }
    Nd4j.getExecutioner().commit();
    counter.samples += n;
    return loss;
  }
}
