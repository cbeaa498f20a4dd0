package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.baselines.Provenance;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.VariantState;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.djl.DjlEngine;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.runtime.CpuFeatures;
import org.fmnistbench.runtime.MemInfo;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Collects the run metadata ({@link RunMetadata}) of this JVM: launched by the driver with the same
 * backend selection as the benchmarks' forks ({@link #main}), so that the backend fields describe
 * what ran.
 */
public final class MetadataCollector {
  static final List<String> ENVIRONMENT_VARIABLES = List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY",
      "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MKL_NUM_THREADS",
      "BACKEND_PRIORITY_CPU", "BACKEND_PRIORITY_GPU", "CUDA_VISIBLE_DEVICES", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA",
      DjlEngine.CAPABILITY_VARIABLE);

  private MetadataCollector() {}

  /** The argument that adds the djl-pytorch engine's description (it loads PyTorch). */
  static final String WITH_DJL = "--djl";

  /**
   * Writes the metadata of this JVM to the file named by the first argument; with {@value #WITH_DJL}
   * also the DJL engine's versions and threads.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2 || (args.length == 2 && !WITH_DJL.equals(args[1]))) {
      System.err.println("usage: MetadataCollector OUTPUT.json [" + WITH_DJL + "]");
      System.exit(2);
    }
    RunMetadata m = collect();
    if (args.length == 2) {
      DjlEngine.Description d = Engine.djlDescription();
      m = m.withDjl(new RunMetadata.Djl(d.djlVersion(), d.pytorchVersion(), d.flavor(), d.intraOpThreads(),
          d.interOpThreads(), d.build(), d.cpuCapability()));
    }
    m.write(Path.of(args[0]));
    System.exit(0);
  }

  /**
   * Adds how busy the machine was while the benchmarks ran (watched by the driver around the JMH
   * run) to a metadata file, rewriting it atomically: a run measured on a machine that was not
   * quiet says so.
   */
  static void addMachineActivity(Path metadata, RunMetadata.MachineActivity activity) throws IOException {
    RunMetadata.read(metadata).withActivity(activity).write(metadata);
  }

  /** Everything this JVM can tell about where it runs. */
  public static RunMetadata collect() {
    NativeRuntime.configure(); // before ND4J loads, as in the benchmark forks
    String version = Provenance.builtAgainst();
    CommitId commit = CommitId.current();
    RunMetadata.Suite suite = new RunMetadata.Suite(commit.hash(), commit.dirty(), version, version);
    RunMetadata.Jvm jvm = new RunMetadata.Jvm(System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"), System.getProperty("java.vendor"),
        ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().maxMemory() >> 20);
    Map<String, String> os = new LinkedHashMap<>();
    os.put("name", System.getProperty("os.name"));
    os.put("version", System.getProperty("os.version"));
    os.put("arch", System.getProperty("os.arch"));
    Map<String, String> env = new TreeMap<>();
    for (String name : ENVIRONMENT_VARIABLES) {
      Optional.ofNullable(System.getenv(name)).ifPresent(v -> env.put(name, v));
    }
    String slowdown = System.getProperty(VariantState.SLOWDOWN_PROPERTY); // a regression drill, not a real run
    return new RunMetadata(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), suite, backend(), runtime(), cpu(),
        memInfoMib("MemTotal"), CudaProbe.queryGpus().orElse(List.of()), jvm, os, env,
        slowdown == null ? null : Double.parseDouble(slowdown), null, null);
  }

  /** The runtime configuration (native build, helpers, layout, memory modes) this JVM ran. */
  private static RunMetadata.Runtime runtime() {
    RuntimeConfig config = NativeRuntime.active();
    if (!Backend.CPU.nd4jClass().equals(Backend.loadedClass())) {
      return new RunMetadata.Runtime(config.id(), NativeRuntime.describeActive(), null, null, null,
          Nd4j.getEnvironment().maxThreads());
    }
    return new RunMetadata.Runtime(config.id(), NativeRuntime.describeActive(),
        config.resolveBuild(CpuFeatures.detect()).classifier(), BaseMKLDNNHelper.mklDnnEnabled(),
        Nd4j.factory().blas().getMaxThreads(), // what OpenBLAS reports, not what was asked
        Nd4j.getEnvironment().maxThreads());
  }

  private static RunMetadata.Backend backend() {
    var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    String buildInfo = ops.buildInfo();
    Map<String, String> info = new TreeMap<>();
    Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> info.put(String.valueOf(k), String.valueOf(v)));
    // DL4J's layer helpers (oneDNN/cuDNN) are off unless this property is "false".
    boolean helpers = "false".equals(System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "true"));
    boolean cuda = Backend.CUDA.nd4jClass().equals(Backend.loadedClass());
    int device = cuda ? ops.getDevice() : -1;
    return new RunMetadata.Backend(Backend.requested().id(), Backend.loadedClass(), info.getOrDefault("blas.vendor", "unknown"),
        buildInfo.contains("HAVE_ONEDNN"), buildInfo.contains("HAVE_CUDNN"), helpers, Nd4j.dataType().toString(),
        cuda ? ops.getDeviceName(device) : null,
        cuda ? ops.getDeviceMajor(device) + "." + ops.getDeviceMinor(device) : null,
        cuda ? ops.getDeviceTotalMemory(device) >> 20 : null, buildInfo.trim(), info);
  }

  private static RunMetadata.Cpu cpu() {
    CpuFeatures features = CpuFeatures.detect();
    // One rule for "AVX-512" in the suite: CpuFeatures.simdLevel, whether the AVX-512 build runs here.
    return new RunMetadata.Cpu(features.model(), Runtime.getRuntime().availableProcessors(), features.simdLevel(),
        vectorFlags(List.copyOf(features.flags())));
  }

  /** The vector-extension flags of /proc/cpuinfo worth naming, widest first. */
  static List<String> vectorFlags(Collection<String> flags) {
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
    return MemInfo.bytes(key).orElse(-1L << 20) >> 20;
  }
}
