package org.fmnistbench.bench.count;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fmnistbench.runtime.RuntimeConfig;

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
 *       process; no safepoints by the clock ({@code GuaranteedSafepointInterval=0}).
 *   <li>ND4J: one OpenMP thread, the AVX2 oneDNN build and oneDNN capped at AVX2 (Valgrind
 *       cannot decode AVX-512).
 * </ul>
 */
public enum CountSetting {
  /**
   * C1 alone, with its thresholds scaled down so that code run once a step is compiled within the
   * warm-up: the Java side settles into one shape, and stays there.
   */
  C1("c1", List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.05")),
  /** The JVM's own tiered compilation (C1, then C2), as the JMH benchmarks run. */
  TIERED("tiered", List.of("-XX:CompileThresholdScaling=0.05"));

  /** The runtime configuration counted: the default's settings on the AVX2 oneDNN build, one OpenMP thread. */
  public static final RuntimeConfig RUNTIME = RuntimeConfig.parse("default,build=onednn-avx2,omp.threads=1");
  static final List<String> COMMON_JVM_FLAGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-ImplicitNullChecks",
      "-XX:-UseSHA", "-Xbatch", "-XX:+UseSerialGC", "-Xms1g", "-Xmx1g", "-XX:GuaranteedSafepointInterval=0");
  static final List<String> VALGRIND_OPTIONS = List.of("--tool=callgrind", "--smc-check=all-non-file",
      "--instr-atstart=no", "--collect-atstart=no", "--compress-strings=no", "--compress-pos=no", "--dump-line=no");
  /** oneDNN's and PyTorch's kernels capped at what Valgrind decodes. */
  static final Map<String, String> ENVIRONMENT = Map.of("ONEDNN_MAX_CPU_ISA", "AVX2", "DNNL_MAX_CPU_ISA", "AVX2",
      "ATEN_CPU_CAPABILITY", "avx2");

  private final String id;
  private final List<String> jitFlags;

  CountSetting(String id, List<String> jitFlags) {
    this.id = id;
    this.jitFlags = jitFlags;
  }

  public String id() {
    return id;
  }

  /** Every JVM flag of a counted JVM in this setting, the runtime configuration's included. */
  public List<String> jvmFlags() {
    List<String> flags = new ArrayList<>(COMMON_JVM_FLAGS);
    flags.addAll(jitFlags);
    flags.addAll(RUNTIME.jvmArgs());
    return flags;
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
    return org.fmnistbench.util.EnumIds.byId(CountSetting.class, "JIT setting", id, CountSetting::id);
  }
}
