package org.fmnistbench.runtime;

import java.util.Set;
import java.util.stream.Collectors;
import org.fmnistbench.util.EnumIds;

/**
 * The classifier builds of nd4j-native 1.0.0-M2.1 for linux-x86_64. JavaCPP loads the one named
 * by the system property {@code org.bytedeco.javacpp.platform.extension}; several may sit on the
 * classpath side by side. The SIMD builds need the CPU flags listed: an AVX-512 build on an
 * AVX2-only CPU dies with SIGILL, so {@link #check} refuses it first.
 */
public enum NativeBuild {
  PLAIN("plain", "", false, Set.of()),
  AVX2("avx2", "-avx2", false, Set.of("avx2", "fma")),
  AVX512("avx512", "-avx512", false, Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq")),
  ONEDNN("onednn", "-onednn", true, Set.of()),
  ONEDNN_AVX2("onednn-avx2", "-onednn-avx2", true, Set.of("avx2", "fma")),
  ONEDNN_AVX512("onednn-avx512", "-onednn-avx512", true, Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));

  /** Where the nd4j-native classifier jars keep their libraries. */
  static final String RESOURCE_DIR = "org/nd4j/linalg/cpu/nativecpu/bindings/";
  static final String PLATFORM = "linux-x86_64";

  private final String id;
  private final String extension;
  private final boolean onednn;
  private final Set<String> cpuFlags;

  NativeBuild(String id, String extension, boolean onednn, Set<String> cpuFlags) {
    this.id = id;
    this.extension = extension;
    this.onednn = onednn;
    this.cpuFlags = cpuFlags;
  }

  public String id() {
    return id;
  }

  /** JavaCPP's platform extension ("" for the plain build). */
  public String extension() {
    return extension;
  }

  /** The Maven classifier of this build's nd4j-native jar. */
  public String classifier() {
    return PLATFORM + extension;
  }

  /** Whether libnd4j was built with oneDNN (its build info then lists HAVE_ONEDNN). */
  public boolean onednn() {
    return onednn;
  }

  /** Whether this CPU can execute the build. */
  public boolean runsOn(CpuFeatures cpu) {
    return cpu.flags().containsAll(cpuFlags);
  }

  /**
   * The fastest oneDNN build this CPU can run: avx512 where all its flags are present, else
   * avx2, else the generic one (oneDNN still picks its own kernels at run time, but libnd4j's
   * own loops are compiled for the build's level).
   */
  public static NativeBuild fastestOneDnn(CpuFeatures cpu) {
    for (NativeBuild b : new NativeBuild[] {ONEDNN_AVX512, ONEDNN_AVX2}) {
      if (b.runsOn(cpu)) {
        return b;
      }
    }
    return ONEDNN;
  }

  /**
   * Fails unless this build can load here: its jar is on the classpath (JavaCPP would
   * otherwise fall back to the plain build without a word) and the CPU has its flags.
   */
  public void check(CpuFeatures cpu, ClassLoader loader) {
    if (!runsOn(cpu)) {
      throw new IllegalStateException("native build " + id + " needs CPU flags " + cpuFlags
          + " but this CPU (" + cpu.model() + ") lacks " + cpuFlags.stream()
              .filter(f -> !cpu.flags().contains(f)).sorted().collect(Collectors.toList())
          + "; choose build=" + fastestOneDnn(cpu).id() + " or build=plain");
    }
    String library = RESOURCE_DIR + classifier() + "/libjnind4jcpu.so";
    if (loader.getResource(library) == null) {
      throw new IllegalStateException("native build " + id + " is not on the classpath: add "
          + "org.nd4j:nd4j-native:<version>:" + classifier() + " (looked for " + library + ")");
    }
  }

  /** Parses a build id; the error lists the valid ones. */
  public static NativeBuild byId(String id) {
    return EnumIds.byId(NativeBuild.class, "native build", id, NativeBuild::id);
  }
}
