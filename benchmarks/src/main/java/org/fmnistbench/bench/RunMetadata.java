package org.fmnistbench.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.runtime.Provenance;
import org.fmnistbench.io.AtomicFiles;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.fmnistbench.runtime.CpuFeatures;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What a benchmark result needs beside it to be compared across machines and releases: the
 * suite's commit, DL4J/ND4J versions, the backend that loaded and how it was built (BLAS
 * vendor, oneDNN, cuDNN), the CPU (model, cores, SIMD level), memory, GPUs (name, compute
 * capability, driver), the JVM with its flags, the OS and the threading environment.
 *
 * <p>Collected in a JVM launched with the same backend selection as the benchmarks' forks
 * ({@link #main}), so that the backend fields describe what ran.
 */
public final class RunMetadata {
  static final List<String> ENVIRONMENT_VARIABLES = List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY",
      "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MKL_NUM_THREADS",
      "BACKEND_PRIORITY_CPU", "BACKEND_PRIORITY_GPU", "CUDA_VISIBLE_DEVICES");

  private RunMetadata() {}

  /** Writes the metadata of this JVM to the file named by the first argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: RunMetadata OUTPUT.json");
      System.exit(2);
    }
    write(collect(), Path.of(args[0]));
    System.exit(0);
  }

  /** Writes {@code metadata} as pretty JSON via a temporary file and a rename. */
  public static void write(Map<String, Object> metadata, Path file) throws IOException {
    AtomicFiles.writeJson(file, metadata);
  }

  /**
   * Adds how busy the machine was while the benchmarks ran ({@link MachineActivity}, watched by
   * the driver around the JMH run) to a metadata file, rewriting it atomically: a run measured
   * on a machine that was not quiet says so.
   */
  static void addMachineActivity(Path metadata, Map<String, Object> activity) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> m = json.readValue(metadata.toFile(), LinkedHashMap.class);
    m.put("machine_activity", activity);
    write(m, metadata);
  }

  /** Everything this JVM can tell about where it runs. */
  public static Map<String, Object> collect() {
    NativeRuntime.configure(); // before ND4J loads, as in the benchmark forks
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("collected_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    CommitId commit = CommitId.current();
    Map<String, Object> suite = new LinkedHashMap<>();
    suite.put("commit", commit.hash());
    suite.put("dirty", commit.dirty());
    suite.put("dl4j_version", Provenance.buildProperty("dl4j.version"));
    suite.put("nd4j_version", Provenance.buildProperty("dl4j.version"));
    m.put("suite", suite);
    m.put("backend", backend());
    m.put("runtime", runtime());
    m.put("cpu", cpu());
    m.put("memory_total_mib", memInfoMib("MemTotal"));
    m.put("gpus", CudaProbe.queryGpus().orElse(List.of()));
    Map<String, Object> jvm = new LinkedHashMap<>();
    jvm.put("version", System.getProperty("java.version"));
    jvm.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    jvm.put("vendor", System.getProperty("java.vendor"));
    jvm.put("flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
    jvm.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    m.put("jvm", jvm);
    m.put("os", Map.of("name", System.getProperty("os.name"), "version", System.getProperty("os.version"),
        "arch", System.getProperty("os.arch")));
    Map<String, String> env = new TreeMap<>();
    for (String name : ENVIRONMENT_VARIABLES) {
      Optional.ofNullable(System.getenv(name)).ifPresent(v -> env.put(name, v));
    }
    m.put("environment", env);
    String slowdown = System.getProperty(VariantState.SLOWDOWN_PROPERTY);
    if (slowdown != null) {
      m.put("test_injected_slowdown", Double.parseDouble(slowdown)); // a regression drill, not a real run
    }
    return m;
  }

  /** The runtime configuration (native build, helpers, layout, memory modes) this JVM ran. */
  private static Map<String, Object> runtime() {
    Map<String, Object> r = new LinkedHashMap<>();
    RuntimeConfig config = NativeRuntime.active();
    r.put("id", config.id());
    r.put("settings", NativeRuntime.describeActive());
    if (Backend.CPU.nd4jClass().equals(Backend.loadedClass())) {
      r.put("nd4j_native_classifier", config.resolveBuild(CpuFeatures.detect()).classifier());
      r.put("dl4j_onednn_check", BaseMKLDNNHelper.mklDnnEnabled());
      r.put("blas_threads", Nd4j.factory().blas().getMaxThreads()); // what OpenBLAS reports, not what was asked
    }
    return r;
  }

  private static Map<String, Object> backend() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("requested", Backend.requested().id());
    b.put("loaded", Backend.loadedClass());
    var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    String buildInfo = ops.buildInfo();
    Map<String, String> info = new TreeMap<>();
    Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> info.put(String.valueOf(k), String.valueOf(v)));
    b.put("blas_vendor", info.getOrDefault("blas.vendor", "unknown"));
    b.put("onednn_in_build", buildInfo.contains("HAVE_ONEDNN"));
    b.put("cudnn_in_build", buildInfo.contains("HAVE_CUDNN"));
    // DL4J's layer helpers (oneDNN/cuDNN) are off unless this property is "false".
    b.put("dl4j_helpers_enabled", "false".equals(System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "true")));
    b.put("data_type", Nd4j.dataType().toString());
    if (Backend.CUDA.nd4jClass().equals(Backend.loadedClass())) {
      int device = ops.getDevice();
      b.put("device_name", ops.getDeviceName(device));
      b.put("compute_capability", ops.getDeviceMajor(device) + "." + ops.getDeviceMinor(device));
      b.put("device_memory_mib", ops.getDeviceTotalMemory(device) >> 20);
    }
    b.put("build_info", buildInfo.trim());
    b.put("environment_information", info);
    return b;
  }

  private static Map<String, Object> cpu() {
    Map<String, Object> c = new LinkedHashMap<>();
    CpuFeatures features = CpuFeatures.detect();
    List<String> flags = List.copyOf(features.flags());
    c.put("model", features.model());
    c.put("logical_cores", Runtime.getRuntime().availableProcessors());
    // One rule for "AVX-512" in the suite: CpuFeatures.simdLevel, whether the AVX-512 build runs here.
    c.put("simd", features.simdLevel());
    c.put("vector_flags", vectorFlags(flags));
    return c;
  }

  /** The vector-extension flags of /proc/cpuinfo worth naming, widest first. */
  static List<String> vectorFlags(java.util.Collection<String> flags) {
    List<String> found = new ArrayList<>();
    for (String f : List.of("avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16", "avx512_vnni", "avx2", "fma",
        "avx", "sse4_2", "asimd", "neon")) {
      if (flags.contains(f)) {
        found.add(f);
      }
    }
    return found;
  }

  private static long memInfoMib(String key) {
    return org.fmnistbench.runtime.MemInfo.bytes(key).orElse(-1L << 20) >> 20;
  }
}
