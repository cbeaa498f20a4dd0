package org.fmnistbench.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step per operation: {@code fit} on a real Fashion-MNIST minibatch (rotating
 * among {@value VariantState#ROTATION}), forward, backward and the Adam update, with the
 * article's recipe at {@code batchSize}. The primary score is microseconds per minibatch; the
 * secondary {@code samples} is microseconds per training sample, the article's "us/step".
 *
 * <p>ND4J's CUDA work is asynchronous, so each operation ends with
 * {@code Nd4j.getExecutioner().commit()} before the clock stops. The loss is returned so the
 * JIT cannot drop the work. Warm-up is by time, not by a count of steps: the first hundreds
 * of steps of a small network still run slower.
 *
 * <p>How to run: {@code java -jar benchmarks/target/benchmarks.jar TrainStepBenchmarks -p
 * variant=CNN3 -p batchSize=32,128}; or {@code mvn verify -Pbench -Dbench.variants=cnn3}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// the quick precision level (Precision; STABILITY.md shows what it reaches): forks for between-JVM variance
@Warmup(iterations = Precision.QUICK_WARMUP_ITERATIONS, time = Precision.QUICK_WARMUP_SECONDS, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = Precision.QUICK_ITERATIONS, time = Precision.QUICK_SECONDS, timeUnit = TimeUnit.SECONDS)
@Fork(Precision.QUICK_FORKS)
public class TrainStepBenchmarks {

  @Benchmark
  public double trainStep(VariantState s, SampleCounter counter) {
    long start = System.nanoTime();
    int i = s.nextBatch();
    double loss = s.net.fit(s.features[i], s.labels[i]).loss();
    Nd4j.getExecutioner().commit();
    s.injectSlowdown(start);
    counter.samples += s.batchSize;
    return loss;
  }
}
