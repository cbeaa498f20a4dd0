package org.fmnistbench.runtime;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How glibc's allocator hands the native memory behind ND4J's arrays back and forth with the
 * kernel. glibc reads these variables once, when the process starts, so like the OpenMP
 * variables they are set by a launcher (the bench driver, {@code ./suite}, the gate's failsafe
 * configuration in models/pom.xml); unlike those, a JVM
 * without them still runs, and {@link RuntimeConfig#describe} then does not claim the policy.
 *
 * <p>Why it matters (benchmarks/reports/profile-malloc.md): ND4J and libnd4j allocate and free
 * buffers of 0.1-40 MB on every step. glibc serves blocks above a threshold with {@code mmap}
 * and returns them on free, and it moves that threshold as the process runs, so two JVMs of the
 * same benchmark settle in different states: one reuses its heap, the other maps, faults in
 * and zeroes fresh pages all the time (60-80 thousand page faults a second). That made the same
 * point run 1.8x slower in some forks than in others, and freed heap tops were trimmed and
 * faulted back in as well.
 *
 * <p>What it costs: the process's resident memory stays at its peak. JavaCPP's
 * {@code maxPhysicalBytes} bound (set by {@link NativeRuntime}) counts resident memory, so a
 * process whose peak passed it would stay past it; the peaks measured (JMH's
 * {@code peak.host.rss}) stay below it, and freed memory is reused rather than added to.
 */
public enum MallocPolicy {
  /** glibc's own behaviour (stock). */
  GLIBC(Map.of()),
  /**
   * Keep freed memory in the process: no block is mmap'd (so none is unmapped on free), the
   * heap's top is never trimmed, and it grows by 64 MB at a time.
   */
  RETAIN(Map.of("MALLOC_MMAP_MAX_", "0", "MALLOC_TRIM_THRESHOLD_", "4294967296", "MALLOC_TOP_PAD_", "67108864")),
  /**
   * For counting, not for speed: every block of 64 KiB or more is mmap'd (the threshold fixed, so
   * glibc does not move it), which puts each at the same offset from a page boundary in every
   * process. From the heap a block is aligned to 16 bytes only, so whether it starts on a 32-byte
   * boundary depends on the process's allocation history, and oneDNN's AVX sgemm kernel packs its
   * A operand only when A is 32-byte aligned: one point's count then takes one of two values per
   * process (COUNTS.md). Wall time pays for the mapping and faulting; counts do not see it.
   */
  MAPPED(Map.of("MALLOC_MMAP_THRESHOLD_", "65536"));

  private final Map<String, String> variables;

  MallocPolicy(Map<String, String> variables) {
    this.variables = variables;
  }

  /** The spelling in a runtime configuration ({@code malloc=retain}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MallocPolicy byId(String id) {
    for (MallocPolicy p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(Arrays.stream(values()).map(MallocPolicy::id)
        .collect(Collectors.joining(", ")));
  }

  /** The environment variables this policy sets. */
  public Map<String, String> variables() {
    return variables;
  }

  /** Every variable any policy sets: a launcher clears them before applying its own. */
  static Set<String> allVariables() {
    Set<String> all = new TreeSet<>();
    for (MallocPolicy p : values()) {
      all.addAll(p.variables.keySet());
    }
    return all;
  }

  /** The policy a process with environment {@code env} runs, or GLIBC when it is not exactly a known one. */
  public static MallocPolicy inEffect(Map<String, String> env) {
    Map<String, String> set = new HashMap<>();
    allVariables().stream().filter(env::containsKey).forEach(v -> set.put(v, env.get(v)));
    return Arrays.stream(values()).filter(p -> p.variables.equals(set)).findFirst().orElse(GLIBC);
  }
}
