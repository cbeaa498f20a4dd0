package org.fmnistbench.bench;

import java.util.concurrent.TimeUnit;
import org.fmnistbench.model.Tensor;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference on a minibatch per operation: {@code output(x, false)} (dropout off), the work
 * behind the article's {@code model.evaluate} line. Primary score: microseconds per minibatch;
 * secondary {@code samples}: microseconds per sample. Synchronised before the clock stops,
 * and the output is returned so the JIT keeps it.
 *
 * <p>How to run: {@code java -jar benchmarks/target/benchmarks.jar InferenceBenchmarks -p
 * variant=CNN}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// the quick precision level (Precision; STABILITY.md shows what it reaches): forks for between-JVM variance
@Warmup(iterations = Precision.QUICK_WARMUP_ITERATIONS, time = Precision.QUICK_WARMUP_SECONDS, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = Precision.QUICK_ITERATIONS, time = Precision.QUICK_SECONDS, timeUnit = TimeUnit.SECONDS)
@Fork(Precision.QUICK_FORKS)
public class InferenceBenchmarks {

  @Benchmark
  public Tensor inference(VariantState s, SampleCounter counter) {
    long start = System.nanoTime();
    Tensor out = s.net.output(s.features[s.nextBatch()]);
    Nd4j.getExecutioner().commit();
    s.injectSlowdown(start);
    counter.samples += s.batchSize;
    return out;
  }
}
