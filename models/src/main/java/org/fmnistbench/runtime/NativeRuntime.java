package org.fmnistbench.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.fmnistbench.baselines.Provenance;
import org.fmnistbench.results.JmhJson;
import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Applies a {@link RuntimeConfig} to this JVM. The native build and DL4J's helper switch must be
 * chosen before ND4J first loads, so every entry point (the CLI, the gate, each benchmark fork)
 * calls {@link #configure()} before touching ND4J; afterwards it checks that what loaded is what
 * was asked for, so a configuration can never silently fall back to the slow path.
 */
public final class NativeRuntime {
  /** System property naming this JVM's configuration (see {@link RuntimeConfig#parse}). */
  public static final String PROPERTY = JmhJson.RUNTIME_PROPERTY;
  static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
  /** DL4J 1.0.0-M2.1 reads it whenever a layer is built; it defaults to true (helpers off). */
  static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

  private static RuntimeConfig active;

  private NativeRuntime() {}

  /** Configures this JVM from {@value #PROPERTY} (default "default"), once. */
  public static synchronized RuntimeConfig configure() {
    return configure(RuntimeConfig.parse(System.getProperty(PROPERTY, "default")));
  }

  /**
   * Configures this JVM, once; a second call must ask for the same configuration.
   *
   * @throws IllegalStateException if the build cannot load here, ND4J was loaded before with
   *     another build, the environment lacks a variable the configuration sets, or the helpers
   *     asked for are not in use
   */
  /**
   * {@code config}, after checking that this JVM was configured for it: its JVM-wide settings
   * (native build, helpers, threads, environment, heap) must be the active ones; its per-network
   * settings (layout, memory modes) are the caller's to choose. What an engine calls with the
   * configuration it was given, so that a network is never built for settings this JVM does not run.
   *
   * @throws IllegalStateException naming the settings that differ, or that nothing configured the JVM
   */
  public static RuntimeConfig require(RuntimeConfig config) {
    List<String> differ = active().jvmSettingsDiffering(config);
    if (!differ.isEmpty()) {
      throw new IllegalStateException("this JVM runs runtime configuration '" + active().id() + "'; a network asked for '"
          + config.id() + "' differs in settings that hold for the whole JVM (" + String.join(", ", differ)
          + "): configure a JVM for it (NativeRuntime.configure, or the bench driver's --configs)");
    }
    return config;
  }

  public static synchronized RuntimeConfig configure(RuntimeConfig config) {
    if (active != null) {
      if (!active.equals(config)) {
        throw new IllegalStateException("this JVM already runs runtime configuration '" + active.id()
            + "'; it cannot switch to '" + config.id() + "' (native libraries load once per JVM)");
      }
      return active;
    }
    checkEnvironment(config, System.getenv());
    limitPhysicalMemory();
    String preset = System.getProperty(EXTENSION_PROPERTY);
    boolean cuda = preset != null && preset.contains("cud"); // -cudnn: nd4j-cuda's build, not ours to choose
    CpuFeatures cpu = CpuFeatures.detect();
    NativeBuild build = config.resolveBuild(cpu);
    if (!cuda) {
      if (preset != null && !preset.equals(build.extension())) {
        throw new IllegalStateException("-D" + EXTENSION_PROPERTY + "=" + preset + " conflicts with runtime "
            + "configuration '" + config.id() + "' (build " + build.id() + "); set the build with -D"
            + PROPERTY + "=...,build=<id> instead");
      }
      build.check(cpu, NativeRuntime.class.getClassLoader());
      System.setProperty(EXTENSION_PROPERTY, build.extension());
    }
    System.setProperty(HELPERS_DISABLE_PROPERTY, String.valueOf(!config.helpers()));
    // libnd4j's own platform helpers (oneDNN, cuDNN), which SameDiff's ops reach directly
    Nd4j.getEnvironment().allowHelpers(config.helpers());
    if (!cuda && "CPU".equalsIgnoreCase(backendName())) {
      verifyCpu(config, build);
      applyBlasThreads(config);
    }
    active = config;
    return config;
  }

  /** Default bound on resident memory before JavaCPP runs the GC; see {@link #limitPhysicalMemory}. */
  static final long DEFAULT_MAX_PHYSICAL_BYTES = 2L << 30;

  /**
   * Lets JavaCPP collect garbage before native memory piles up. ND4J's arrays hold native memory
   * behind small Java objects, so the Java heap rarely fills and the GC rarely runs. SameDiff's
   * training steps leave such garbage every step: unbounded, a long recording grows until the
   * machine runs out of memory, and its steps slow down as fresh memory keeps being faulted in.
   * With {@code org.bytedeco.javacpp.maxPhysicalBytes} set, JavaCPP triggers a GC when the
   * resident set passes it. 2 GiB (or half the machine's memory, if less) unless set; the peak
   * resident set each point reaches under it is JMH's {@code peak.host.rss} (PeakMemoryProfiler)
   * in the benchmark reports. Raise it
   * with -Dorg.bytedeco.javacpp.maxPhysicalBytes=... if JavaCPP reports physical memory usage
   * too high.
   */
  private static void limitPhysicalMemory() {
    String key = "org.bytedeco.javacpp.maxPhysicalBytes";
    if (System.getProperty(key) != null || System.getProperty(key.toLowerCase(Locale.ROOT)) != null) {
      return;
    }
    long bound = Math.min(DEFAULT_MAX_PHYSICAL_BYTES,
        MemInfo.bytes("MemTotal").orElse(2 * DEFAULT_MAX_PHYSICAL_BYTES) / 2);
    System.setProperty(key, String.valueOf(bound));
  }

  /**
   * The configuration this JVM runs, as its entry point chose it: the CLI's commands, the gate, the
   * benchmarks' state, the driver's collectors and the tests (their JUnit extension) each call
   * {@link #configure} before ND4J loads. Nothing chooses one silently here: a JVM whose code asks
   * before any entry point configured it would otherwise run whatever a stray property said.
   *
   * @throws IllegalStateException if nothing configured this JVM, naming what to call
   */
  public static synchronized RuntimeConfig active() {
    if (active == null) {
      throw new IllegalStateException("no runtime configuration is active in this JVM: its entry point must call "
          + "NativeRuntime.configure() (from -D" + PROPERTY + ", default 'default') or configure(RuntimeConfig) "
          + "before building a model or an array (docs/runtime-and-engines.md)");
    }
    return active;
  }

  /** Provenance of a run of this JVM, now: its commit and DL4J version with the backend and machine that ran. */
  public static Provenance provenance() {
    String backend = Nd4j.getBackend().getClass().getSimpleName() + "[" + describeActive() + "]";
    return Provenance.of(backend, CpuFeatures.detect().model() + " x" + Runtime.getRuntime().availableProcessors());
  }

  /**
   * What actually runs here, every setting spelled out, for metadata and provenance. On CUDA
   * the CPU build does not apply: only the helper switch (cuDNN) is reported.
   */
  public static String describeActive() {
    RuntimeConfig config = active();
    String extension = System.getProperty(EXTENSION_PROPERTY, "");
    if (extension.contains("cud")) {
      return "helpers=" + (config.helpers() ? "on" : "off");
    }
    return config.describe(CpuFeatures.detect()) + oneDnnIsaCap();
  }

  /**
   * oneDNN's instruction-set cap from the environment ({@code ONEDNN_MAX_CPU_ISA}, or the older
   * {@code DNNL_MAX_CPU_ISA}), spelled out because oneDNN picks its kernels by CPUID whatever
   * native build loaded, and AVX-512 kernels round differently from AVX2 ones.
   */
  private static String oneDnnIsaCap() {
    for (String name : new String[] {"ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"}) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return ",onednn-max-isa=" + value.trim().toLowerCase(Locale.ROOT);
      }
    }
    return "";
  }

  private static String backendName() {
    return Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
  }

  /** libnd4j's compile-time feature list, e.g. "... HAVE_ONEDNN HAVE_OPENBLAS". */
  public static String nativeBuildInfo() {
    return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
  }

  private static void verifyCpu(RuntimeConfig config, NativeBuild build) {
    boolean hasOneDnn = nativeBuildInfo().contains("HAVE_ONEDNN");
    if (hasOneDnn != build.onednn()) {
      throw new IllegalStateException("runtime configuration '" + config.id() + "' wants native build "
          + build.id() + " but the loaded libnd4j " + (hasOneDnn ? "has" : "lacks")
          + " oneDNN: ND4J was loaded before NativeRuntime.configure() ran");
    }
    if (config.helpers() && build.onednn() && !BaseMKLDNNHelper.mklDnnEnabled()) {
      // DL4J M2.1 looks oneDNN up under a class name that moved; the compatibility class
      // org.nd4j.nativeblas.Nd4jCpu in this module answers for it. Reaching here means neither
      // DL4J nor that class found it, and the conv layers would silently use im2col.
      throw new IllegalStateException("DL4J's oneDNN helpers are asked for but DL4J cannot see oneDNN "
          + "(BaseMKLDNNHelper.mklDnnEnabled() is false): is org.nd4j.nativeblas.Nd4jCpu on the classpath?");
    }
  }

  /**
   * Sets OpenBLAS's thread count when the configuration names one. ND4J sets it to one thread per
   * core as it loads (overriding OPENBLAS_NUM_THREADS), so the call has to come after; OpenBLAS's
   * idle workers then stay asleep. Checked, so a build whose BLAS ignores the call cannot pass for
   * one that obeyed it.
   */
  private static void applyBlasThreads(RuntimeConfig config) {
    if (config.blasThreads() == 0) {
      return;
    }
    Blas blas = Nd4j.factory().blas();
    blas.setMaxThreads(config.blasThreads());
    if (blas.getMaxThreads() != config.blasThreads()) {
      throw new IllegalStateException("runtime configuration '" + config.id() + "' wants blas.threads="
          + config.blasThreads() + " but " + blas.getBlasVendor() + " reports " + blas.getMaxThreads()
          + " threads after ND4J set them");
    }
  }

  static void checkEnvironment(RuntimeConfig config, Map<String, String> env) {
    for (Map.Entry<String, String> e : config.environment().entrySet()) {
      if (!Objects.equals(env.get(e.getKey()), e.getValue())) {
        throw new IllegalStateException("runtime configuration '" + config.id() + "' needs " + e.getKey() + "="
            + e.getValue() + " in the JVM's environment but it is " + (env.containsKey(e.getKey())
                ? "'" + env.get(e.getKey()) + "'" : "unset")
            + "; OpenMP reads it once at startup, so launch through the bench driver or set it yourself");
      }
    }
  }
}
