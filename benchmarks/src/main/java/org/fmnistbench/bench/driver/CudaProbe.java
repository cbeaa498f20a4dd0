package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

  /** True when the build's machine code runs on this compute capability. */
  static boolean runnable(String cc) {
    if (BUILD_TARGETS.contains(cc)) {
      return true;
    }
    String[] parts = cc.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = Integer.parseInt(parts[1]);
      // Same-major, higher-minor devices run older-minor code (8.9 runs the 8.6 code).
      return major == 8 && minor > 6;
    } catch (RuntimeException e) {
      return false;
    }
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
      Process p = new ProcessBuilder("nvidia-smi",
          "--query-gpu=name,compute_cap,driver_version,memory.total", "--format=csv,noheader,nounits")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(parse(out));
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
