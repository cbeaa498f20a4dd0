package org.fmnistbench.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fmnistbench.engine.djl.DjlEngine;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.util.EnumIds;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J backends a benchmark can run on. ND4J loads exactly one backend per JVM, chosen
 * from those on the classpath by the environment variables BACKEND_PRIORITY_CPU/GPU, so a
 * backend is selected per JMH run (its forks inherit the environment), never per @Param. Each
 * fork then checks, in its trial setup, that the backend that loaded is the one asked for: a
 * silent fallback from CUDA to CPU fails the benchmark instead of passing for CUDA.
 */
public enum Backend {
  CPU("cpu", "CpuBackend"),
  CUDA("cuda", "JCublasBackend");

  /** System property a fork reads to know which backend it was launched for. */
  public static final String PROPERTY = "suite.backend";

  private final String id;
  private final String nd4jClass;

  Backend(String id, String nd4jClass) {
    this.id = id;
    this.nd4jClass = nd4jClass;
  }

  public String id() {
    return id;
  }

  /** Simple name of the ND4J backend class this backend loads. */
  public String nd4jClass() {
    return nd4jClass;
  }

  /** Parses "cpu" or "cuda"; the error lists the valid names. */
  public static Backend byId(String id) {
    return EnumIds.byId(Backend.class, "backend", id, Backend::id);
  }

  /** Parses a comma-separated list. */
  public static List<Backend> parseList(String ids) {
    return Arrays.stream(ids.split(",")).filter(s -> !s.isBlank()).map(Backend::byId).distinct().toList();
  }

  /** Environment that makes ND4J prefer this backend when both are on the classpath. */
  public Map<String, String> environment() {
    return this == CPU
        ? Map.of("BACKEND_PRIORITY_CPU", "100", "BACKEND_PRIORITY_GPU", "0")
        : Map.of("BACKEND_PRIORITY_CPU", "0", "BACKEND_PRIORITY_GPU", "100");
  }

  /**
   * JVM flags a JVM of this backend needs: on CUDA, JavaCPP's platform extension that loads
   * nd4j-cuda's cuDNN build (the {@code linux-x86_64-cudnn} classifier) rather than the plain
   * one, both being on the classpath.
   */
  public List<String> jvmArgs() {
    List<String> args = new ArrayList<>(List.of("-D" + PROPERTY + "=" + id));
    if (this == CUDA) {
      args.add("-Dorg.bytedeco.javacpp.platform.extension=-cudnn");
      args.add("-D" + DjlEngine.DEVICE_PROPERTY + "=gpu");
    }
    return args;
  }

  /** The backend this JVM was launched for (system property {@value #PROPERTY}, default cpu). */
  public static Backend requested() {
    return byId(System.getProperty(PROPERTY, CPU.id));
  }

  /**
   * The backend ND4J actually loaded in this JVM. Configures the runtime first: whatever asks
   * first (a profiler, a setup method) must not load ND4J with JavaCPP's own choice of native
   * build, which is the first jar on the classpath and may need AVX-512 (SIGILL elsewhere).
   */
  public static String loadedClass() {
    NativeRuntime.configure();
    return Nd4j.getBackend().getClass().getSimpleName();
  }

  /**
   * Fails unless ND4J loaded the requested backend.
   *
   * @throws IllegalStateException naming both
   */
  public static Backend verifyLoaded() {
    return verify(requested(), loadedClass());
  }

  public static Backend verify(Backend requested, String loaded) {
    if (!requested.nd4jClass.equals(loaded)) {
      throw new IllegalStateException("backend " + requested.id + " was requested (-D" + PROPERTY + "="
          + requested.id + ") but ND4J loaded " + loaded + "; results would be mislabelled");
    }
    return requested;
  }
}
