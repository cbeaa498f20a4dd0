package org.fmnistbench.runtime;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
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
 * <p>Every setting is one {@link Key} in {@link #KEYS}: its name in {@code key=value}, its parser
 * and printer, its value under each base and what it does. Parsing, the canonical {@link #id},
 * the provenance spelling ({@link #describe}) and the environment and JVM flags a launcher applies
 * all go through that table, so a new setting is one entry plus its use (where ND4J or the
 * launcher takes it up).
 */
public final class RuntimeConfig {
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

  /**
   * One runtime setting.
   *
   * @param <T> its value's type
   */
  public static final class Key<T> {
    private final String name;
    private final Function<String, T> parser;
    private final Function<T, String> printer;
    private final T stock;
    private final T standard;
    private final String environmentVariable;
    private final String description;
    private final boolean perNetwork;

    private Key(String name, Function<String, T> parser, Function<T, String> printer, T stock, T standard,
        String environmentVariable, String description, boolean perNetwork) {
      this.name = name;
      this.parser = parser;
      this.printer = printer;
      this.stock = stock;
      this.standard = standard;
      this.environmentVariable = environmentVariable;
      this.description = description;
      this.perNetwork = perNetwork;
    }

    /**
     * Whether an engine applies it to each network it builds (a layout, a memory mode), so that
     * networks of one JVM may differ in it; the others hold for the whole JVM (native libraries,
     * threads, the environment, the heap) and are chosen once, by {@code NativeRuntime.configure}.
     */
    public boolean perNetwork() {
      return perNetwork;
    }

    /** The key in {@code key=value} ({@code pool.helpers}). */
    public String name() {
      return name;
    }

    /** What the setting does and which values it takes. */
    public String description() {
      return description;
    }

    /** Its value under a base ({@code default} or {@code stock}). */
    T valueUnder(String base) {
      return base.equals("stock") ? stock : standard;
    }

    String print(Object value) {
      @SuppressWarnings("unchecked")
      T v = (T) value;
      return printer.apply(v);
    }
  }

  private static final List<Key<?>> TABLE = new ArrayList<>();

  // table order is the order of id() and describe(): keep new keys after these
  public static final Key<Optional<NativeBuild>> BUILD = key("build",
      v -> v.equals("auto") ? Optional.empty() : Optional.of(NativeBuild.byId(v)), b -> b.map(NativeBuild::id).orElse("auto"),
      Optional.of(NativeBuild.PLAIN), Optional.empty(), null,
      "the native build: plain, avx2, avx512, onednn, onednn-avx2, onednn-avx512, or auto (the fastest oneDNN build this CPU runs)");
  public static final Key<Boolean> HELPERS = key("helpers", RuntimeConfig::onOff, RuntimeConfig::onOff, false, true, null,
      "on/off: oneDNN (cuDNN on CUDA) for both engines, DL4J's layer helpers and libnd4j's platform helpers");
  public static final Key<Boolean> POOL_HELPERS = networkKey("pool.helpers", RuntimeConfig::onOff, RuntimeConfig::onOff, true,
      false, "on/off: whether pooling layers use those helpers too; off runs libnd4j's own pooling kernels");
  public static final Key<Format> FORMAT = networkKey("format", v -> Format.valueOf(oneOf(v, "nchw", "nhwc").toUpperCase(Locale.ROOT)),
      f -> f.name().toLowerCase(Locale.ROOT), Format.NCHW, Format.NCHW, "nchw/nhwc: the convolutional layers' image layout");
  public static final Key<Boolean> WORKSPACES = networkKey("workspaces", RuntimeConfig::onOff, RuntimeConfig::onOff, true, true,
      "on/off: DL4J's workspace mode for training and inference");
  public static final Key<String> CACHE = networkKey("cache", v -> oneOf(v, "none", "host", "device").toUpperCase(Locale.ROOT),
      c -> c.toLowerCase(Locale.ROOT), "NONE", "NONE", "none/host/device: DL4J's cache mode");
  public static final Key<Integer> BLAS_THREADS = key("blas.threads",
      v -> v.equals("auto") ? 0 : Integer.parseInt(positive(v, " or auto")), n -> n == 0 ? "auto" : String.valueOf(n), 0, 1, null,
      "n or auto: OpenBLAS's thread count, set through ND4J once it has loaded (auto: ND4J's choice, one per core)");
  public static final Key<String> YOUNG_GEN = key("young.gen", RuntimeConfig::youngGen, y -> y.isEmpty() ? "jvm" : y, "",
      DEFAULT_YOUNG_GEN, null, "a size such as 64m, or jvm: the Java heap's young generation (-Xmn), a flag of JVMs a launcher starts");
  public static final Key<MallocPolicy> MALLOC = key("malloc", MallocPolicy::byId, MallocPolicy::id, MallocPolicy.GLIBC,
      MallocPolicy.RETAIN, null, "retain/glibc/mapped: whether glibc's allocator keeps freed native memory, or maps every block of 64 KiB or more "
      + "(for counting; variables a launcher sets)");
  public static final Key<String> OMP_THREADS = key("omp.threads", v -> positive(v, ""), v -> v, "", "", "OMP_NUM_THREADS",
      "n: OpenMP's thread count, an environment variable a launcher sets");
  public static final Key<String> OMP_WAIT = key("omp.wait", v -> oneOf(v, "active", "passive").toUpperCase(Locale.ROOT),
      v -> v.toLowerCase(Locale.ROOT), "", "", "OMP_WAIT_POLICY", "active/passive: OpenMP's wait policy, an environment variable");

  /** Every setting, in the order {@link #id} and {@link #describe} list them. */
  public static final List<Key<?>> KEYS = Collections.unmodifiableList(TABLE);

  /** This JVM's own flags: what {@link #describe} can truthfully claim of JVM-level settings. */
  private static final List<String> JVM_FLAGS = ManagementFactory.getRuntimeMXBean().getInputArguments();

  public static final RuntimeConfig DEFAULT = new RuntimeConfig("default", Map.of());
  public static final RuntimeConfig STOCK = new RuntimeConfig("stock", Map.of());

  private final String base;
  /** Every key's value (the base's where not overridden), in table order. */
  private final Map<Key<?>, Object> values;

  private RuntimeConfig(String base, Map<Key<?>, Object> overrides) {
    this.base = base;
    Map<Key<?>, Object> v = new LinkedHashMap<>();
    for (Key<?> k : TABLE) {
      v.put(k, overrides.containsKey(k) ? overrides.get(k) : k.valueUnder(base));
    }
    this.values = Collections.unmodifiableMap(v);
  }

  /** A setting's value. */
  public <T> T get(Key<T> key) {
    @SuppressWarnings("unchecked")
    T v = (T) values.get(key);
    return v;
  }

  /** The same configuration with one setting changed. */
  public <T> RuntimeConfig with(Key<T> key, T value) {
    Map<Key<?>, Object> v = new LinkedHashMap<>(values);
    v.put(key, Objects.requireNonNull(value, key.name()));
    return new RuntimeConfig(base, v);
  }

  /**
   * Parses {@code base[,key=value...]}: a base, {@code default} or {@code stock}, then overrides
   * of {@link #KEYS}.
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
            + "' is not key=value; keys: " + keyNames());
      }
      c = c.withText(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim(), spec);
    }
    return c;
  }

  private RuntimeConfig withText(String name, String value, String spec) {
    try {
      Key<?> key = TABLE.stream().filter(k -> k.name.equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown key; keys: " + keyNames()));
      return withParsed(key, value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("in runtime configuration '" + spec + "': " + name + "=" + value
          + ": " + e.getMessage(), e);
    }
  }

  private <T> RuntimeConfig withParsed(Key<T> key, String text) {
    return with(key, key.parser.apply(text));
  }

  private static String keyNames() {
    return TABLE.stream().map(Key::name).collect(Collectors.joining(", "));
  }

  /** A setting of the whole JVM. */
  private static <T> Key<T> key(String name, Function<String, T> parser, Function<T, String> printer, T stock, T standard,
      String environmentVariable, String description) {
    Key<T> k = new Key<>(name, parser, printer, stock, standard, environmentVariable, description, false);
    TABLE.add(k);
    return k;
  }

  /** A setting each network carries ({@link Key#perNetwork}). */
  private static <T> Key<T> networkKey(String name, Function<String, T> parser, Function<T, String> printer, T stock,
      T standard, String description) {
    Key<T> k = new Key<>(name, parser, printer, stock, standard, null, description, true);
    TABLE.add(k);
    return k;
  }

  /** The settings of {@code other} that hold for the whole JVM and differ from this one's, by key name; empty if none. */
  public List<String> jvmSettingsDiffering(RuntimeConfig other) {
    return TABLE.stream().filter(k -> !k.perNetwork() && !Objects.equals(values.get(k), other.values.get(k)))
        .map(k -> k.name() + "=" + k.print(other.values.get(k))).toList();
  }

  /**
   * What this configuration changes of {@code base}, every setting alike, as overrides in table
   * order ("malloc=mapped,omp.wait=passive"; "" when none): {@code parse(base.id() + "," + result)}
   * equals this configuration where both share a base.
   */
  public String overridesOf(RuntimeConfig base) {
    return TABLE.stream().filter(k -> !Objects.equals(values.get(k), base.values.get(k)))
        .map(k -> k.name() + "=" + k.print(values.get(k))).collect(Collectors.joining(","));
  }

  private static String positive(String v, String orElse) {
    if (!v.matches("[1-9][0-9]{0,5}")) {
      throw new IllegalArgumentException("a positive whole number" + orElse);
    }
    return v;
  }

  private static String oneOf(String v, String... allowed) {
    if (!List.of(allowed).contains(v)) {
      throw new IllegalArgumentException(String.join(", ", List.of(allowed).subList(0, allowed.length - 1)) + " or "
          + allowed[allowed.length - 1]);
    }
    return v;
  }

  private static String youngGen(String v) {
    if (!v.equals("jvm") && !v.matches("[1-9][0-9]{0,5}[km]")) {
      throw new IllegalArgumentException("a size such as 64m or 65536k, or jvm (the JVM's own sizing)");
    }
    return v.equals("jvm") ? "" : v;
  }

  private static boolean onOff(String v) {
    return switch (v) {
      case "on", "true", "enabled" -> true;
      case "off", "false", "none", "disabled" -> false;
      default -> throw new IllegalArgumentException("on or off");
    };
  }

  private static String onOff(Boolean v) {
    return v ? "on" : "off";
  }

  /** The named base ("default" or "stock"). */
  public String base() {
    return base;
  }

  /** The native build, or empty for the fastest oneDNN build this CPU runs. */
  public Optional<NativeBuild> build() {
    return get(BUILD);
  }

  /** oneDNN (cuDNN on CUDA) for both engines: DL4J's layer helpers, and libnd4j's platform helpers that SameDiff's ops use. */
  public boolean helpers() {
    return get(HELPERS);
  }

  /** Whether pooling layers use those helpers too, when they are on (see {@code PoolingWithoutHelpers}). */
  public boolean poolHelpers() {
    return get(POOL_HELPERS);
  }

  /** The convolutional layers' image layout. */
  public Format format() {
    return get(FORMAT);
  }

  /** DL4J's workspace mode for training and inference (ENABLED when true, else NONE). */
  public boolean workspaces() {
    return get(WORKSPACES);
  }

  /** DL4J's cache mode (NONE, HOST or DEVICE). */
  public String cache() {
    return get(CACHE);
  }

  /** OpenBLAS's thread count; 0 leaves ND4J's own choice (one per core). */
  public int blasThreads() {
    return get(BLAS_THREADS);
  }

  /** The young generation ({@code -Xmn}, e.g. "64m"), or empty for the JVM's own sizing. */
  public String youngGen() {
    return get(YOUNG_GEN);
  }

  /** How glibc's allocator keeps or returns freed native memory (see {@link MallocPolicy}). */
  public MallocPolicy malloc() {
    return get(MALLOC);
  }

  /** The environment variables a launcher must set for the JVM (OpenMP's, read once when the native library starts). */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Key<?> k : TABLE) {
      if (k.environmentVariable != null && !values.get(k).toString().isEmpty()) {
        env.put(k.environmentVariable, values.get(k).toString());
      }
    }
    return Collections.unmodifiableMap(env);
  }

  /** JVM flags a launcher adds for this configuration (the young generation's size). */
  public List<String> jvmArgs() {
    return youngGen().isEmpty() ? List.of() : List.of("-Xmn" + youngGen());
  }

  /**
   * Sets this configuration's variables in {@code env}, the environment of a JVM about to be
   * launched: the OpenMP variables, and the malloc policy's (clearing any other policy's first, so
   * a launcher started under one policy does not pass it on to a configuration asking for another).
   */
  public void applyTo(Map<String, String> env) {
    env.keySet().removeAll(MallocPolicy.allVariables());
    env.putAll(malloc().variables());
    env.putAll(environment());
  }

  /** Whether pooling runs without the helpers every other layer uses. */
  public boolean poolingWithoutHelpers() {
    return helpers() && !poolHelpers();
  }

  /** The native build this configuration loads on {@code cpu}. */
  public NativeBuild resolveBuild(CpuFeatures cpu) {
    return build().orElseGet(() -> NativeBuild.fastestOneDnn(cpu));
  }

  /**
   * The configuration as a canonical, parseable string: the base plus only the settings that
   * differ from it, in table order, e.g. {@code default} or {@code default,format=nhwc,omp.wait=passive}.
   */
  public String id() {
    List<String> parts = new ArrayList<>(List.of(base));
    for (Key<?> k : TABLE) {
      if (!values.get(k).equals(k.valueUnder(base))) {
        parts.add(k.name + "=" + k.print(values.get(k)));
      }
    }
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
    List<String> parts = new ArrayList<>();
    for (Key<?> k : TABLE) {
      Object v = values.get(k);
      if (k == BUILD) {
        parts.add("build=" + resolveBuild(cpu).id());
      } else if (k == POOL_HELPERS) {
        if (poolingWithoutHelpers()) {
          parts.add("pool.helpers=off"); // pooling on the helpers is what helpers=on says already
        }
      } else if (k == BLAS_THREADS) {
        if (blasThreads() > 0) {
          parts.add("blas.threads=" + blasThreads());
        }
      } else if (k == YOUNG_GEN) {
        if (!youngGen().isEmpty() && JVM_FLAGS.contains("-Xmn" + youngGen())) {
          parts.add("young.gen=" + youngGen());
        }
      } else if (k == MALLOC) {
        if (MallocPolicy.inEffect(env) != MallocPolicy.GLIBC) {
          parts.add("malloc=" + MallocPolicy.inEffect(env).id());
        }
      } else if (k.environmentVariable != null) {
        if (!v.toString().isEmpty()) {
          parts.add(k.environmentVariable + "=" + v);
        }
      } else {
        parts.add(k.name + "=" + k.print(v));
      }
    }
    return String.join(",", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RuntimeConfig c && c.base.equals(base) && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return base.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    return id();
  }
}
