package org.fmnistbench.bench.profile;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.fmnistbench.results.JmhJson;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

/**
 * A canary measured beside every measured iteration: a fixed plain-Java workload, timed in the
 * same JVM right after the iteration. When the machine itself slows down for a stretch (between
 * runs the same point moves, STABILITY.md's T3), the canary should slow down with it; but a DL4J
 * change can move it too (threads left spinning after the step, more to collect), so it is a
 * diagnostic: STABILITY.md measures whether dividing by it helps, and ci/reports/DETECTOR.md
 * ("The canary's role") why no verdict divides by it by default. Two metrics, because a neighbour on the host can
 * take either: {@code canary.compute}, microseconds per single-threaded float matrix product
 * held in the core's caches, and {@code canary.memory}, microseconds per streamed sum of an
 * 8 MiB array, past the core's own caches into the shared last level. Not larger: the canary's
 * arrays count in the resident set that JavaCPP's bound (2 GiB) watches, and SameDiff's cnn4
 * training already peaks near it, so a larger canary would change when collections run in the
 * point it watches. About 30 ms per measured iteration, outside its timed region; warm-up
 * iterations run the workload too (so it is compiled before it counts) but report nothing.
 *
 * <p>Use: {@code -prof org.fmnistbench.bench.profile.CanaryProfiler} (the suite adds it).
 */
public final class CanaryProfiler implements InternalProfiler {
  private static final int N = 160; // three 100 KiB matrices: inside the core's L2
  private static final int COMPUTE_REPEATS = 15;
  private static final int MEMORY_REPEATS = 9;
  /** 8 MiB of ints. */
  private static final int STREAM_LENGTH = 2 << 20;
  private final float[] a = filled(N * N, 1);
  private final float[] b = filled(N * N, 2);
  private final float[] c = new float[N * N];
  private int[] stream;
  /** Keeps the results alive so the JIT cannot drop the work. */
  private double sink;

  @Override
  public String getDescription() {
    return "a fixed plain-Java compute and memory workload after each measured iteration (machine drift)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    if (stream == null) {
      stream = new int[STREAM_LENGTH];
      Arrays.fill(stream, 3);
    }
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    double computeUs = timeCompute();
    double memoryUs = timeMemory();
    if (iterationParams.getType() != IterationType.MEASUREMENT) {
      return List.of();
    }
    return List.of(new ScalarResult(JmhJson.CANARY_COMPUTE, computeUs, "us", AggregationPolicy.AVG),
        new ScalarResult(JmhJson.CANARY_MEMORY, memoryUs, "us", AggregationPolicy.AVG));
  }

  /**
   * Microseconds per product of two N x N matrices (i-k-j order, which the JIT vectorises): the
   * median over the repeats, so an interrupt or a collection during one of them does not count.
   */
  double timeCompute() {
    long[] nanos = new long[COMPUTE_REPEATS];
    for (int r = 0; r < COMPUTE_REPEATS; r++) {
      long start = System.nanoTime();
      Arrays.fill(c, 0f);
      for (int i = 0; i < N; i++) {
        for (int k = 0; k < N; k++) {
          float aik = a[i * N + k];
          int row = i * N;
          int col = k * N;
          for (int j = 0; j < N; j++) {
            c[row + j] += aik * b[col + j];
          }
        }
      }
      sink += c[r];
      nanos[r] = System.nanoTime() - start;
    }
    return medianMicros(nanos);
  }

  /** Microseconds per pass summing the whole stream array (ints: the JIT vectorises their sum, so memory bounds it); the median pass. */
  double timeMemory() {
    long[] nanos = new long[MEMORY_REPEATS];
    for (int r = 0; r < MEMORY_REPEATS; r++) {
      long start = System.nanoTime();
      int s = 0;
      for (int v : stream) {
        s += v;
      }
      sink += s;
      nanos[r] = System.nanoTime() - start;
    }
    return medianMicros(nanos);
  }

  private static double medianMicros(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e3;
  }

  private static float[] filled(int length, float value) {
    float[] x = new float[length];
    Arrays.fill(x, value);
    return x;
  }
}
