package org.fmnistbench.bench.count;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fmnistbench.io.ShortCommand;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.CountingRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.util.EnumIds;

/**
 * How a counted JVM runs under Callgrind, and why each flag is there (each was found by
 * measurement on this suite; COUNTS.md shows what the settings reach).
 *
 * <ul>
 *   <li>Valgrind: {@code --smc-check=all-non-file}, because the JVM and oneDNN write code at run
 *       time (with {@code stack} the JVM died); {@code --instr-atstart=no} and
 *       {@code --collect-atstart=no}, so start-up and warm-up run uninstrumented and only the
 *       counted steps' threads collect; names and positions uncompressed for the reader.
 *   <li>JVM: {@code -XX:-ImplicitNullChecks} (the JVM's null checks by SIGSEGV are slow and fragile
 *       under Valgrind); {@code -XX:-UseSHA} (Valgrind does not decode the SHA extensions);
 *       {@code -Xbatch}, so a method's compilation finishes before it next runs, at the same
 *       point of every process, not when a compiler thread gets round to it; the serial
 *       collector and a fixed heap, so collections come at the same allocation in every
 *       process; no safepoints by the clock ({@code GuaranteedSafepointInterval=0}); a young
 *       generation of 2 GiB and a collection before each segment, so that no collection, nor the
 *       freeing of dead arrays that follows one, falls inside a counted segment: counts leave the
 *       collector's work out (else a change in allocation would move a collection, and a sixth
 *       of mlp's step with it, into or out of a segment).
 *   <li>ND4J: one OpenMP thread; the generic oneDNN build, oneDNN capped at AVX and OpenBLAS on
 *       its Sandy Bridge kernels (AVX without FMA). Valgrind cannot decode AVX-512, and it runs
 *       the AVX2 kernels' FMA instructions so slowly that a cnn step took nearly two orders of
 *       magnitude longer on them than on these. So counts see the AVX kernels' code paths, not
 *       the AVX2/FMA or AVX-512 kernels a machine runs natively: what counts cannot see.
 * </ul>
 */
public enum CountSetting {
  /**
   * C1 alone, with its thresholds scaled down so that code run once a step is compiled within the
   * warm-up: the Java side settles into one shape, and stays there. 20 operations: after 6, a
   * SameDiff step still counted visibly more than the next ones; after 20, its steps agreed
   * within the stability target.
   */
  C1("c1", List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.01"), 20),
  /**
   * The JVM's own tiered compilation (C1, then C2), as the JMH benchmarks run, with the same
   * scaling: C2 then compiles a method after about 50 invocations, so the warm-up is longer.
   */
  TIERED("tiered", List.of("-XX:CompileThresholdScaling=0.01"), 60);

  /**
   * The base counting runtime: the default's settings on the AVX2 oneDNN build, one OpenMP thread.
   * A few points change it ({@link CountingRuntime}: {@link #runtimeFor}).
   */
  public static final RuntimeConfig RUNTIME = RuntimeConfig.parse("default,build=onednn,omp.threads=1");
  static final List<String> COMMON_JVM_FLAGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-ImplicitNullChecks",
      "-XX:-UseSHA", "-Xbatch", "-XX:+UseSerialGC", "-Xms4g", "-Xmx4g", "-XX:GuaranteedSafepointInterval=0");
  /** After the runtime's own young generation: no collection inside a counted segment (see CountHarness). */
  static final String YOUNG_GENERATION = "-Xmn2g";
  static final List<String> VALGRIND_OPTIONS = List.of("--tool=callgrind", "--smc-check=all-non-file",
      "--instr-atstart=no", "--collect-atstart=no", "--compress-strings=no", "--compress-pos=no", "--dump-line=no");
  /** oneDNN's, OpenBLAS's and PyTorch's kernels capped at AVX without FMA (see above). */
  static final Map<String, String> ENVIRONMENT = Map.of("ONEDNN_MAX_CPU_ISA", "AVX", "DNNL_MAX_CPU_ISA", "AVX",
      "OPENBLAS_CORETYPE", "Sandybridge", "ATEN_CPU_CAPABILITY", "default");

  private final String id;
  private final List<String> jitFlags;
  private final int warmupOps;

  CountSetting(String id, List<String> jitFlags, int warmupOps) {
    this.id = id;
    this.jitFlags = jitFlags;
    this.warmupOps = warmupOps;
  }

  /** Operations before counting by default: enough for the setting's compilations to be done. */
  public int warmupOps() {
    return warmupOps;
  }

  public String id() {
    return id;
  }

  /** Every JVM flag of a counted JVM in this setting, in the counting runtime. */
  public List<String> jvmFlags() {
    return jvmFlags(RUNTIME);
  }

  /** Every JVM flag of a counted JVM in this setting, {@code runtime}'s included. */
  public List<String> jvmFlags(RuntimeConfig runtime) {
    List<String> flags = new ArrayList<>(COMMON_JVM_FLAGS);
    flags.addAll(jitFlags);
    // the runtime's own young generation gives way to the counting one
    runtime.jvmArgs().stream().filter(a -> !a.startsWith("-Xmn")).forEach(flags::add);
    flags.add(YOUNG_GENERATION);
    return flags;
  }

  /**
   * The base counting runtime with {@code overrides} ("key=value,...", RuntimeConfig's keys), for a
   * count of another setting: what a runtime change does to the work.
   */
  public static RuntimeConfig runtimeWith(String overrides) {
    return overrides == null || overrides.isBlank() ? RUNTIME : RuntimeConfig.parse(RUNTIME.id() + "," + overrides);
  }

  /**
   * What point {@code key} is counted under: its counting runtime ({@link CountingRuntime}), with a
   * run's {@code runOverrides} on top.
   */
  public static RuntimeConfig runtimeFor(String key, String runOverrides) {
    return runtimeWith(String.join(",", CountingRuntime.overridesOf(key), runOverrides == null ? "" : runOverrides));
  }

  /**
   * What {@code p}'s runtime changed of its point's counting runtime ("malloc=retain" for a point
   * counted under mapped, counted before it was); "" where it ran under its counting runtime.
   */
  public static String changeOf(CountResults.Point p) {
    return changeOf(p.key(), p.runtimeOverrides());
  }

  /** The same for point {@code key} counted under {@code runtimeOverrides} (of the base counting runtime). */
  public static String changeOf(String key, String runtimeOverrides) {
    return runtimeWith(runtimeOverrides).overridesOf(runtimeFor(key, ""));
  }

  /** {@code runtime} as a point records it: its overrides of the base counting runtime. */
  public static String overridesOf(RuntimeConfig runtime) {
    return runtime.overridesOf(RUNTIME);
  }

  /** The environment variables above, as the results record them. */
  public static String environment() {
    return new TreeMap<>(ENVIRONMENT).toString();
  }

  /**
   * The JDK and C library the counted JVMs run on (they start from this JVM's java.home): what
   * moves a count with no change of the build, as a runner image's update does.
   */
  public static String platform() throws InterruptedException {
    String libc;
    try {
      libc = ShortCommand.run(List.of("getconf", "GNU_LIBC_VERSION"), null, ShortCommand.Streams.STDOUT, Duration.ofSeconds(10))
          .filter(ShortCommand.Finished::ok).map(f -> f.output().trim()).filter(s -> !s.isEmpty()).orElse("C library unknown");
    } catch (IOException e) {
      libc = "C library unknown";
    }
    return "JDK " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version") + "; " + libc;
  }

  /** Valgrind's options, with the cache simulation when asked for. */
  public static List<String> valgrindOptions(boolean cacheSimulation) {
    List<String> o = new ArrayList<>(VALGRIND_OPTIONS);
    if (cacheSimulation) {
      o.add("--cache-sim=yes");
    }
    return o;
  }

  public static CountSetting byId(String id) {
    return EnumIds.byId(CountSetting.class, "JIT setting", id, CountSetting::id);
  }
}
