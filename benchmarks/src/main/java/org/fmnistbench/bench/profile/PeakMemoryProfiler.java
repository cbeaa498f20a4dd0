package org.fmnistbench.bench.profile;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.Pointer;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.results.JmhJson;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Peak memory of each iteration as secondary metrics: the process's resident set (heap and
 * ND4J's off-heap buffers alike, from JavaCPP's {@link Pointer#physicalBytes()}) and, on CUDA,
 * device memory in use (total minus free). A daemon thread samples every 10 ms while an
 * iteration runs; the largest sample is reported, and the trial's figure is the largest of its
 * iterations.
 *
 * <p>Use: {@code -prof org.fmnistbench.bench.profile.PeakMemoryProfiler} (the suite adds it).
 */
public final class PeakMemoryProfiler implements InternalProfiler {
  private static final long MIB = 1 << 20;
  private final AtomicLong peakHost = new AtomicLong();
  private final AtomicLong peakDevice = new AtomicLong(-1);
  private volatile boolean sampling;
  private Thread sampler;
  private boolean onCuda;

  @Override
  public String getDescription() {
    return "peak resident set and CUDA device memory per iteration";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    onCuda = Backend.CUDA.nd4jClass().equals(Backend.loadedClass());
    peakHost.set(0);
    peakDevice.set(-1);
    sampling = true;
    sampler = new Thread(() -> {
      while (sampling) {
        sample();
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "peak-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    peakHost.accumulateAndGet(Pointer.physicalBytes(), Math::max);
    if (onCuda) {
      var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
      int device = ops.getDevice();
      long used = ops.getDeviceTotalMemory(device) - ops.getDeviceFreeMemory(device);
      peakDevice.accumulateAndGet(used, Math::max);
    }
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    sampling = false;
    sampler.interrupt();
    try {
      sampler.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sample();
    Result host = new ScalarResult(JmhJson.PEAK_HOST_RSS, (double) peakHost.get() / MIB, "MiB", AggregationPolicy.MAX);
    if (!onCuda) {
      return List.of(host);
    }
    return List.of(host, new ScalarResult("peak.device.used", (double) peakDevice.get() / MIB, "MiB", AggregationPolicy.MAX));
  }
}
