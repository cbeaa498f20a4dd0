package org.fmnistbench.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How ND4J/DL4J run on the CPU: which native build, DL4J's layer helpers, the image layout, DL4J's
 * workspace and cache modes, OpenBLAS's thread count, the OpenMP environment, the young generation and
 * glibc's allocator. Written as a named base with
 * overrides, e.g. {@code default}, {@code stock}, {@code default,format=nhwc},
 * {@code stock,omp.wait=passive}.
 *
 * <ul>
 *   <li>{@code stock}: DL4J 1.0.0-M2.1 out of the box: the plain nd4j-native build, helpers
 *       off (M2.1's default), NCHW, workspaces on, no cache. What most users run.
 *   <li>{@code default}: the suite's default, the fastest configuration that passes the gate,
 *       the fidelity tests and the engine-equality test (see benchmarks/reports/SWEEP.md and
 *       SWEEP-pooling.md): the oneDNN build for this CPU's SIMD level, with oneDNN on for every
 *       layer but pooling, which runs faster on libnd4j's own kernels ({@code pool.helpers=off});
 *       OpenBLAS on one thread ({@code blas.threads=1}; SWEEP-blas-threads.md): the matrix products
 *       that reach OpenBLAS are small, and its own worker threads otherwise compete for the cores
 *       with libnd4j's OpenMP threads; glibc's allocator keeps freed native memory in the process
 *       ({@code malloc=retain}, profile-malloc.md) instead of unmapping and faulting it back in.
 * </ul>
 *
 * @param base the named base ("default" or "stock")
 * @param build the native build, or empty for the fastest oneDNN build this CPU runs
 * @param helpers oneDNN (cuDNN on CUDA) for both engines: DL4J's layer helpers, and libnd4j's
 *     platform helpers that SameDiff's ops use
 * @param poolHelpers whether pooling layers use those helpers too, when they are on; off runs
 *     libnd4j's own pooling kernels (see {@code PoolingWithoutHelpers})
 * @param format image layout of the convolutional layers
 * @param workspaces DL4J's workspace mode for training and inference (ENABLED or NONE)
 * @param cache DL4J's cache mode (NONE, HOST or DEVICE)
 * @param blasThreads OpenBLAS's thread count, set through ND4J once it has loaded; 0 leaves ND4J's
 *     own choice (one per core)
 * @param environment OpenMP variables a launcher must set for the JVM (they are read
 *     once, when the native library starts)
 * @param youngGen the Java heap's young generation ({@code -Xmn}, e.g. "64m"), or empty for the
 *     JVM's own sizing; a JVM flag, so only JVMs a launcher starts (the bench driver's) get it
 * @param malloc how glibc's allocator keeps or returns freed native memory; environment variables
 *     a launcher sets ({@link #applyTo}), not required of a JVM (see {@link MallocPolicy})
 */
public record RuntimeConfig(String base, Optional<NativeBuild> build, boolean helpers, boolean poolHelpers, Format format,
    boolean workspaces, String cache, int blasThreads, Map<String, String> environment, String youngGen, MallocPolicy malloc) {

  /**
   * The default's young generation. ND4J's arrays hold native memory behind small Java objects,
   * freed only when a collection finds them dead; with the JVM's own (large) young generation
   * collections are rare, native memory climbs to JavaCPP's bound, and JavaCPP then forces full
   * collections and sleeps until memory is freed, inside timed steps. A small young generation
   * collects often and cheaply, so the bound is never reached (STABILITY.md).
   */
  static final String DEFAULT_YOUNG_GEN = "64m";

  /** Convolutional image layout. */
  public enum Format { NCHW, NHWC }

  /** The override keys that a launcher applies as environment variables, with the variable of each. */
  private static final Map<String, String> ENV_KEYS = Map.of(
      "omp.threads", "OMP_NUM_THREADS",
      "omp.wait", "OMP_WAIT_POLICY");
  /** This JVM's own flags: what {@link #describe} can truthfully claim of JVM-level settings. */
  private static final List<String> JVM_FLAGS = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
  private static final List<String> KEYS = List.of("build", "helpers", "pool.helpers", "format", "workspaces", "cache",
      "omp.threads", "omp.wait", "blas.threads", "young.gen", "malloc");

  public static final RuntimeConfig DEFAULT = new RuntimeConfig("default", Optional.empty(), true, false,
      Format.NCHW, true, "NONE", 1, Map.of(), DEFAULT_YOUNG_GEN, MallocPolicy.RETAIN);
  public static final RuntimeConfig STOCK = new RuntimeConfig("stock", Optional.of(NativeBuild.PLAIN), false, true,
      Format.NCHW, true, "NONE", 0, Map.of(), "", MallocPolicy.GLIBC);

  public RuntimeConfig {
    if (blasThreads < 0) {
      throw new IllegalArgumentException("blasThreads must be 0 (ND4J's choice) or positive, got " + blasThreads);
    }
    environment = Map.copyOf(environment);
    youngGen = youngGen == null ? "" : youngGen;
    if (malloc == null) {
      throw new IllegalArgumentException("malloc policy must be given (retain or glibc)");
    }
  }

  /**
   * Parses {@code base[,key=value...]}. Keys: build (plain, avx2, avx512, onednn, onednn-avx2,
   * onednn-avx512, auto), helpers (on/off), pool.helpers (on/off), format (nchw/nhwc), workspaces (on/off), cache
   * (none/host/device), omp.threads (n), omp.wait (active/passive), blas.threads (n or auto),
   * young.gen (a size such as 64m, or jvm), malloc (retain or glibc).
   */
  public static RuntimeConfig parse(String spec) {
    List<String> parts = Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("empty runtime configuration; expected e.g. 'default' or 'stock,omp.wait=passive'");
    }
    RuntimeConfig c = switch (parts.get(0).toLowerCase(Locale.ROOT)) {
      case "default" -> DEFAULT;
      case "stock" -> STOCK;
      default -> throw new IllegalArgumentException("runtime configuration '" + spec
          + "' must start with a base, 'default' or 'stock'; got '" + parts.get(0) + "'");
    };
    for (String part : parts.subList(1, parts.size())) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("in runtime configuration '" + spec + "': '" + part
            + "' is not key=value; keys: " + String.join(", ", KEYS));
      }
      c = c.with(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim(), spec);
    }
    return c;
  }

  private RuntimeConfig with(String key, String value, String spec) {
    String v = value.toLowerCase(Locale.ROOT);
    Draft d = new Draft(this);
    try {
      switch (key) {
        case "build" -> d.build = v.equals("auto") ? Optional.empty() : Optional.of(NativeBuild.byId(v));
        case "helpers" -> d.helpers = onOff(v);
        case "pool.helpers" -> d.poolHelpers = onOff(v);
        case "format" -> d.format = Format.valueOf(v.toUpperCase(Locale.ROOT));
        case "workspaces" -> d.workspaces = onOff(v);
        case "cache" -> {
          if (!List.of("none", "host", "device").contains(v)) {
            throw new IllegalArgumentException("none, host or device");
          }
          d.cache = v.toUpperCase(Locale.ROOT);
        }
        case "omp.threads" -> d.environment.put(ENV_KEYS.get(key), positive(v, ""));
        case "omp.wait" -> {
          if (!List.of("active", "passive").contains(v)) {
            throw new IllegalArgumentException("active or passive");
          }
          d.environment.put(ENV_KEYS.get(key), v.toUpperCase(Locale.ROOT));
        }
        case "blas.threads" -> d.blasThreads = v.equals("auto") ? 0 : Integer.parseInt(positive(v, " or auto"));
        case "young.gen" -> {
          if (!v.equals("jvm") && !v.matches("[1-9][0-9]{0,5}[km]")) {
            throw new IllegalArgumentException("a size such as 64m or 65536k, or jvm (the JVM's own sizing)");
          }
          d.youngGen = v.equals("jvm") ? "" : v;
        }
        case "malloc" -> d.malloc = MallocPolicy.byId(v);
        default -> throw new IllegalArgumentException("unknown key; keys: " + String.join(", ", KEYS));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("in runtime configuration '" + spec + "': " + key + "=" + value
          + ": " + e.getMessage(), e);
    }
    return d.build();
  }

  /** The same configuration with another image layout. */
  public RuntimeConfig withFormat(Format other) {
    Draft d = new Draft(this);
    d.format = other;
    return d.build();
  }

  /** A configuration being changed one setting at a time (a record's fields cannot be). */
  private static final class Draft {
    final String base;
    Optional<NativeBuild> build;
    boolean helpers;
    boolean poolHelpers;
    Format format;
    boolean workspaces;
    String cache;
    int blasThreads;
    final Map<String, String> environment;
    String youngGen;
    MallocPolicy malloc;

    Draft(RuntimeConfig c) {
      base = c.base;
      build = c.build;
      helpers = c.helpers;
      poolHelpers = c.poolHelpers;
      format = c.format;
      workspaces = c.workspaces;
      cache = c.cache;
      blasThreads = c.blasThreads;
      environment = new LinkedHashMap<>(c.environment);
      youngGen = c.youngGen;
      malloc = c.malloc;
    }

    RuntimeConfig build() {
      return new RuntimeConfig(base, build, helpers, poolHelpers, format, workspaces, cache, blasThreads, environment,
          youngGen, malloc);
    }
  }

  private static String positive(String v, String orElse) {
    if (!v.matches("[1-9][0-9]{0,5}")) {
      throw new IllegalArgumentException("a positive whole number" + orElse);
    }
    return v;
  }

  private static boolean onOff(String v) {
    return switch (v) {
      case "on", "true", "enabled" -> true;
      case "off", "false", "none", "disabled" -> false;
      default -> throw new IllegalArgumentException("on or off");
    };
  }

  /** JVM flags a launcher adds for this configuration (the young generation's size). */
  public List<String> jvmArgs() {
    return youngGen.isEmpty() ? List.of() : List.of("-Xmn" + youngGen);
  }

  /**
   * Sets this configuration's variables in {@code env}, the environment of a JVM about to be
   * launched: the OpenMP variables, and the malloc policy's (clearing any other policy's first, so
   * a launcher started under one policy does not pass it on to a configuration asking for another).
   */
  public void applyTo(Map<String, String> env) {
    env.keySet().removeAll(MallocPolicy.allVariables());
    env.putAll(malloc.variables());
    env.putAll(environment);
  }

  /** Whether pooling runs without the helpers every other layer uses. */
  public boolean poolingWithoutHelpers() {
    return helpers && !poolHelpers;
  }

  /** The native build this configuration loads on {@code cpu}. */
  public NativeBuild resolveBuild(CpuFeatures cpu) {
    return build.orElseGet(() -> NativeBuild.fastestOneDnn(cpu));
  }

  /**
   * The configuration as a canonical, parseable string: the base plus only the settings that
   * differ from it, e.g. {@code default} or {@code default,format=nhwc,omp.wait=passive}.
   */
  public String id() {
    RuntimeConfig b = base.equals("stock") ? STOCK : DEFAULT;
    List<String> parts = new ArrayList<>(List.of(base));
    if (!build.equals(b.build)) {
      parts.add("build=" + build.map(NativeBuild::id).orElse("auto"));
    }
    if (helpers != b.helpers) {
      parts.add("helpers=" + (helpers ? "on" : "off"));
    }
    if (poolHelpers != b.poolHelpers) {
      parts.add("pool.helpers=" + (poolHelpers ? "on" : "off"));
    }
    if (format != b.format) {
      parts.add("format=" + format.name().toLowerCase(Locale.ROOT));
    }
    if (workspaces != b.workspaces) {
      parts.add("workspaces=" + (workspaces ? "on" : "off"));
    }
    if (!cache.equals(b.cache)) {
      parts.add("cache=" + cache.toLowerCase(Locale.ROOT));
    }
    if (blasThreads != b.blasThreads) {
      parts.add("blas.threads=" + (blasThreads == 0 ? "auto" : String.valueOf(blasThreads)));
    }
    if (!youngGen.equals(b.youngGen)) {
      parts.add("young.gen=" + (youngGen.isEmpty() ? "jvm" : youngGen));
    }
    if (malloc != b.malloc) {
      parts.add("malloc=" + malloc.id());
    }
    ENV_KEYS.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .filter(e -> environment.containsKey(e.getValue()))
        .forEach(e -> parts.add(e.getKey() + "=" + environment.get(e.getValue()).toLowerCase(Locale.ROOT)));
    return String.join(",", parts);
  }

  /**
   * Every setting spelled out, for metadata: what actually ran on {@code cpu}. The young
   * generation and the malloc policy appear only when this JVM was started with them (a JVM flag
   * or glibc's variables cannot be applied afterwards: the gate's JVM runs with the JVM's own
   * sizing and says nothing of it; a plain {@code java -jar} claims neither).
   */
  public String describe(CpuFeatures cpu) {
    return describe(cpu, System.getenv());
  }

  String describe(CpuFeatures cpu, Map<String, String> env) {
    return "build=" + resolveBuild(cpu).id() + ",helpers=" + (helpers ? "on" : "off")
        + (poolingWithoutHelpers() ? ",pool.helpers=off" : "") + ",format="
        + format.name().toLowerCase(Locale.ROOT) + ",workspaces=" + (workspaces ? "on" : "off")
        + ",cache=" + cache.toLowerCase(Locale.ROOT)
        + (blasThreads > 0 ? ",blas.threads=" + blasThreads : "")
        + (!youngGen.isEmpty() && JVM_FLAGS.contains("-Xmn" + youngGen) ? ",young.gen=" + youngGen : "")
        + (MallocPolicy.inEffect(env) == MallocPolicy.RETAIN ? ",malloc=retain" : "")
        + environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> "," + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
  }
}
