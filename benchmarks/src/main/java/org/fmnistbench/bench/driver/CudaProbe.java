package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fmnistbench.io.ShortCommand;
import org.fmnistbench.results.RunMetadata.Gpu;

/**
 * Says, before any CUDA benchmark starts, whether CUDA can run here and if not, why, in one
 * line: the CUDA backend is not in this build; no NVIDIA device or driver; or a device whose
 * compute capability nd4j-cuda-11.6 1.0.0-M2.1 has no code for (it ships machine code for 3.7,
 * 5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0 and 8.6 and no PTX; 8.9 runs the 8.6 code by minor-version
 * compatibility, 9.0 and newer cannot run it).
 */
public final class CudaProbe {
  /** Compute capabilities with machine code in libnd4jcuda.so of 1.0.0-M2.1. */
  public static final Set<String> BUILD_TARGETS = Set.of("3.7", "5.0", "5.2", "6.0", "6.1", "7.0", "7.5", "8.0", "8.6");
  static final String BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

  private CudaProbe() {}

  /**
   * One GPU as nvidia-smi reports it.
   *
   * @param name marketing name
   * @param computeCapability "major.minor"
   * @param driver driver version
   * @param memoryMiB total memory
   */
  /** Why CUDA cannot run here, or empty when it can. */
  public static Optional<String> whyNot() {
    return assess(backendOnClasspath(), queryGpus());
  }

  static Optional<String> assess(boolean backendOnClasspath, Optional<List<Gpu>> gpus) {
    if (!backendOnClasspath) {
      return Optional.of("CUDA: not run: this build has no CUDA backend (build with -Pbench,cuda for nd4j-cuda-11.6)");
    }
    if (gpus.isEmpty()) {
      return Optional.of("CUDA: not run: no NVIDIA driver on this machine (nvidia-smi missing or failing)");
    }
    if (gpus.get().isEmpty()) {
      return Optional.of("CUDA: not run: the NVIDIA driver reports no device");
    }
    Gpu gpu = gpus.get().get(0);
    if (!runnable(gpu.computeCapability())) {
      return Optional.of("CUDA: not run: " + gpu.name() + " has compute capability " + gpu.computeCapability()
          + ", which nd4j-cuda-11.6 1.0.0-M2.1 has no code for (built for 3.7-8.6, no PTX)");
    }
    return Optional.empty();
  }

  /**
   * Compute capabilities with machine code in PyTorch 2.5.1's CUDA 12.4 build, the djl-pytorch
   * engine's (Maxwell to Hopper; no Kepler, so not the article's K80).
   */
  public static final Set<String> DJL_BUILD_TARGETS = Set.of("5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0");
  static final String DJL_CUDA_RESOURCE = "pytorch/cu124/linux-x86_64/libtorch_cuda.so";

  /** Why the djl-pytorch engine cannot run on this machine's GPU, or empty when it can. */
  public static Optional<String> whyNotDjl() {
    return assessDjl(CudaProbe.class.getClassLoader().getResource(DJL_CUDA_RESOURCE) != null, queryGpus());
  }

  static Optional<String> assessDjl(boolean nativesOnClasspath, Optional<List<Gpu>> gpus) {
    if (!nativesOnClasspath) {
      return Optional.of("CUDA, djl-pytorch: not run: this build has no CUDA PyTorch (build with -Pbench,cuda for pytorch-native-cu124)");
    }
    if (gpus.isEmpty() || gpus.get().isEmpty()) {
      return Optional.of("CUDA, djl-pytorch: not run: no NVIDIA device or driver");
    }
    Gpu gpu = gpus.get().get(0);
    if (!runnable(gpu.computeCapability(), DJL_BUILD_TARGETS)) {
      return Optional.of("CUDA, djl-pytorch: not run: " + gpu.name() + " has compute capability " + gpu.computeCapability()
          + ", which PyTorch 2.5.1 for CUDA 12.4 has no code for (built for 5.0-9.0)");
    }
    return Optional.empty();
  }

  /** True when nd4j-cuda's machine code runs on this compute capability. */
  static boolean runnable(String cc) {
    return runnable(cc, BUILD_TARGETS);
  }

  /**
   * True when a build with machine code for {@code targets} (and no PTX) runs on compute
   * capability {@code cc}: CUDA runs code for major.minor on any device of the same major and an
   * equal or higher minor (8.9 runs 8.6's code), never across majors.
   */
  static boolean runnable(String cc, Set<String> targets) {
    try {
      int[] device = majorMinor(cc);
      return targets.stream().map(CudaProbe::majorMinor).anyMatch(t -> t[0] == device[0] && t[1] <= device[1]);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static int[] majorMinor(String cc) {
    String[] parts = cc.trim().split("\\.");
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
  }

  static boolean backendOnClasspath() {
    try {
      Class.forName(BACKEND_CLASS, false, CudaProbe.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The GPUs nvidia-smi lists, or empty when there is no working nvidia-smi. */
  public static Optional<List<Gpu>> queryGpus() {
    try {
      // a GPU in a bad state can hang nvidia-smi for minutes: cut off, it counts as no working one
      return ShortCommand.run(List.of("nvidia-smi", "--query-gpu=name,compute_cap,driver_version,memory.total",
          "--format=csv,noheader,nounits"), null, ShortCommand.Streams.STDOUT, Duration.ofSeconds(20))
          .filter(ShortCommand.Finished::ok).map(f -> parse(f.output()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static List<Gpu> parse(String csv) {
    List<Gpu> gpus = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",");
      if (f.length >= 4) {
        gpus.add(new Gpu(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim()));
      }
    }
    return gpus;
  }
}
