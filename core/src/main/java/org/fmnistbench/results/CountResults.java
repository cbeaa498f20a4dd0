package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;

/**
 * One counting run ({@code counts.json}): what Callgrind counted for each point of the suite, in
 * the steady state, with the setting it ran under. The one type of that file: the counting
 * command writes it, COUNTS.md, the nightly history and the detector read it.
 *
 * @param setting how the counts were taken (Valgrind, JVM and JIT flags, native build, machine)
 * @param points one entry per point, in the order they were counted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CountResults(@JsonProperty(value = "setting", required = true) Setting setting,
    @JsonProperty(value = "points", required = true) List<Point> points) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The JVM's own library, counted apart from the native libraries a step calls. */
  public static final String JVM_OBJECT = CallgrindProfile.JVM_OBJECT;

  /**
   * Whether {@code object} is a native library of the step (ND4J, oneDNN, OpenBLAS, libc...), not
   * generated code nor the JVM itself.
   */
  public static boolean nativeLibrary(String object) {
    return !object.equals(CallgrindProfile.UNKNOWN_OBJECT) && !object.equals(CallgrindProfile.NATIVE_KERNELS_OBJECT)
        && !object.equals(JVM_OBJECT);
  }

  /** The smallest share of a point's instructions a function of the digest holds. */
  public static final double DIGEST_SHARE = 1e-4;
  /** Instructions executed: the event every verdict rests on. */
  public static final String INSTRUCTIONS = "Ir";

  public CountResults {
    if (setting == null || points == null) {
      throw new IllegalArgumentException("a counting run holds its 'setting' and its 'points'; this one has no '"
          + (setting == null ? "setting" : "points") + "'");
    }
    // points counted before each carried its own runtime were all counted under the run's
    String runOverrides = setting.runtimeOverrides();
    points = points.stream().map(p -> p.runtimeOverrides() != null ? p : p.withRuntimeOverrides(runOverrides)).toList();
  }

  /**
   * How a run counted.
   *
   * @param commit the suite's commit, with "-dirty" when the tree had changes
   * @param jit the JIT setting's id (see the count command)
   * @param jvmFlags every JVM flag the counted JVMs ran with
   * @param valgrind Valgrind's version and the options it ran with
   * @param runtime the runtime configuration, every setting spelled out
   * @param cpu the CPU model of the machine that counted (counts may differ between models)
   * @param warmupOps operations run before counting, uninstrumented
   * @param stepsPerSegment operations per counted segment
   * @param segments counted segments per process
   * @param cacheSimulation whether Callgrind simulated the caches (events beyond Ir)
   * @param started UTC time the run started
   * @param runtimeOverrides what the run changed of every point's counting runtime ("" for none:
   *     the counts that A/A spreads and the nightly use); e.g. "malloc=glibc". Each point records
   *     what it ran under in the end ({@link Point#runtimeOverrides}).
   * @param platform what the counted code runs on besides the suite and ND4J: the JDK and the C
   *     library, e.g. "JDK Eclipse Adoptium 17.0.13+11; glibc 2.39" ("" where not recorded, in
   *     runs before it was). A JDK or glibc update moves counts with no change of the build, so
   *     the nightly compares a count only with counts on its platform.
   */
  public record Setting(
      @JsonProperty(value = "commit", required = true) String commit,
      @JsonProperty(value = "jit", required = true) String jit,
      @JsonProperty("jvm_flags") List<String> jvmFlags,
      @JsonProperty("valgrind") String valgrind,
      @JsonProperty("runtime") String runtime,
      @JsonProperty(value = "cpu", required = true) String cpu,
      @JsonProperty("warmup_ops") int warmupOps,
      @JsonProperty("steps_per_segment") int stepsPerSegment,
      @JsonProperty("segments") int segments,
      @JsonProperty("cache_simulation") boolean cacheSimulation,
      @JsonProperty("started") String started,
      @JsonProperty("runtime_overrides") String runtimeOverrides,
      @JsonProperty("platform") String platform) {
    public Setting {
      runtimeOverrides = runtimeOverrides == null ? "" : runtimeOverrides;
      platform = platform == null ? "" : platform;
    }

    /** The platform, or "not recorded" for a run from before it was, for messages. */
    @JsonIgnore
    public String platformOrNotRecorded() {
      return platform.isEmpty() ? "not recorded" : platform;
    }

    /** The same setting on another platform (runs before the platform was recorded have ""). */
    public Setting withPlatform(String other) {
      return new Setting(commit, jit, jvmFlags, valgrind, runtime, cpu, warmupOps, stepsPerSegment, segments, cacheSimulation,
          started, runtimeOverrides, other);
    }

    /** A run of the counting runtime as it is, its platform not recorded. */
    public Setting(String commit, String jit, List<String> jvmFlags, String valgrind, String runtime, String cpu,
        int warmupOps, int stepsPerSegment, int segments, boolean cacheSimulation, String started) {
      this(commit, jit, jvmFlags, valgrind, runtime, cpu, warmupOps, stepsPerSegment, segments, cacheSimulation, started, "", "");
    }
  }

  /**
   * One point's count.
   *
   * @param benchmark the JMH method it mirrors: trainStep or inference
   * @param variant variant id
   * @param engine engine id
   * @param batchSize samples per operation
   * @param status ok, or failed (with {@code failure} saying why)
   * @param attempts processes started for it (a crashed JVM is retried)
   * @param failure the last attempt's error, or null
   * @param segments per counted segment, each event's count per operation
   * @param objects instructions per operation by object file (the digest's coarse level)
   * @param functions the functions with the most instructions per operation (the digest)
   * @param seconds wall time of the point's processes, all attempts
   * @param injected TEST-ONLY extra work the drill added to every operation ("none" normally)
   * @param unitInstructions for the drill: instructions of one unit of each kind of injected work
   * @param runtimeOverrides the runtime the point was counted under, as overrides of the base
   *     counting runtime (its own {@link CountingRuntime#overridesOf}, with the run's on top); absent
   *     from points counted before that, which ran under their run's overrides alone
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Point(
      @JsonProperty(value = "benchmark", required = true) String benchmark,
      @JsonProperty(value = "variant", required = true) String variant,
      @JsonProperty(value = "engine", required = true) String engine,
      @JsonProperty(value = "batch_size", required = true) int batchSize,
      @JsonProperty(value = "status", required = true) String status,
      @JsonProperty("attempts") int attempts,
      @JsonProperty("failure") String failure,
      @JsonProperty("segments") List<Map<String, Double>> segments,
      @JsonProperty("objects") Map<String, Double> objects,
      @JsonProperty("functions") List<FunctionCount> functions,
      @JsonProperty("seconds") double seconds,
      @JsonProperty("injected") String injected,
      @JsonProperty("unit_instructions") Map<String, Double> unitInstructions,
      @JsonProperty("runtime_overrides") String runtimeOverrides) {
    public Point {
      injected = injected == null ? "none" : injected;
      unitInstructions = unitInstructions == null ? Map.of() : Map.copyOf(unitInstructions);
      segments = segments == null ? List.of() : List.copyOf(segments);
      objects = objects == null ? Map.of() : new LinkedHashMap<>(objects);
      functions = functions == null ? List.of() : List.copyOf(functions);
    }

    /** A point of an ordinary run: nothing injected, no units calibrated, under its run's overrides alone. */
    public Point(String benchmark, String variant, String engine, int batchSize, String status, int attempts, String failure,
        List<Map<String, Double>> segments, Map<String, Double> objects, List<FunctionCount> functions, double seconds) {
      this(benchmark, variant, engine, batchSize, status, attempts, failure, segments, objects, functions, seconds, "none",
          Map.of(), null);
    }

    /**
     * Whether {@code other} counted the same point under the same runtime: only then do their
     * counts compare (a runtime setting changes the work: COUNTS.md).
     */
    public boolean comparableWith(Point other) {
      return key().equals(other.key()) && Objects.equals(runtimeOverrides, other.runtimeOverrides);
    }

    /** "" where {@code other} is {@link #comparableWith} this point, else why not, for a report. */
    public String whyNotComparable(Point other) {
      return comparableWith(other) ? "" : other.key() + " under runtime overrides '" + other.runtimeOverrides
          + "', " + key() + " under '" + runtimeOverrides + "': a count under another runtime is no repeat";
    }

    /** The same point, recorded as counted under {@code overrides}. */
    public Point withRuntimeOverrides(String overrides) {
      return new Point(benchmark, variant, engine, batchSize, status, attempts, failure, segments, objects, functions,
          seconds, injected, unitInstructions, overrides);
    }

    /** Whether the point was counted. */
    @JsonIgnore
    public boolean ok() {
      return "ok".equals(status) && !segments.isEmpty();
    }

    /** The series key the history and the detector use: benchmark, variant, engine, batch. */
    @JsonIgnore
    public String key() {
      return benchmark + "/" + variant + "/" + engine + "/" + batchSize;
    }

    /**
     * The median over segments of {@code event} per operation: a segment that caught a one-off
     * (a late compilation) does not move it.
     */
    public double perOp(String event) {
      return new Median()
          .evaluate(segments.stream().mapToDouble(s -> s.getOrDefault(event, Double.NaN)).toArray());
    }

    /** The median over segments of {@code event} per sample. */
    public double perSample(String event) {
      return perOp(event) / batchSize;
    }
  }

  /**
   * A function of the digest.
   *
   * @param object its object file, or "???" for generated code (aggregated into one entry)
   * @param name the function
   * @param instructions instructions per operation, its own (not its callees')
   */
  public record FunctionCount(@JsonProperty("object") String object, @JsonProperty("name") String name,
      @JsonProperty("instructions") double instructions) {}

  /** The point under {@code key}, if counted in this run. */
  public Optional<Point> point(String key) {
    return points.stream().filter(p -> p.key().equals(key)).findFirst();
  }

  /** The keys of the points this run counted or tried to, each once, in the order first met. */
  public List<String> keys() {
    return points.stream().map(Point::key).distinct().toList();
  }

  /** How many of the point's processes under {@code key} were counted. */
  public long processesCounted(String key) {
    return points.stream().filter(p -> p.key().equals(key) && p.ok()).count();
  }

  /**
   * The point under {@code key} where a run counted it in several processes (an A/A): the counted
   * process whose instructions per operation are the median (the lower middle one of an even
   * number), a real process with its own profile, so one process's outlier does not stand for
   * the build; with one process, that process. Empty where none was counted.
   */
  public Optional<Point> medianProcess(String key) {
    List<Point> counted = points.stream().filter(p -> p.key().equals(key) && p.ok())
        .sorted(Comparator.comparingDouble(p -> p.perOp("Ir"))).toList();
    return counted.isEmpty() ? Optional.empty() : Optional.of(counted.get((counted.size() - 1) / 2));
  }

  /**
   * The counting runs' files ({@code counts-<jit>.json}) in {@code dir} and the folders below it
   * down to {@code depth} (1: the folder itself), sorted by path; none when the folder is missing.
   */
  public static List<Path> filesIn(Path dir, int depth) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var walk = Files.walk(dir, depth)) {
      return walk.filter(p -> p.getFileName().toString().matches("counts-.*\\.json")).sorted().toList();
    }
  }

  public static CountResults read(Path file) throws IOException {
    return JsonFiles.read(JSON, file, CountResults.class, "a counting run's counts-<jit>.json (BenchDriver count's results)");
  }

  /** Writes via a temporary file and a rename. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeJson(file, this);
  }

  /**
   * The digest of one point's dumps: instructions per operation by object and for the functions
   * with at least {@value #DIGEST_SHARE} of them (at most {@code top}), generated code (which
   * Callgrind names by address, different in every process) as two entries: Java's, and the native
   * libraries' kernels ({@link CallgrindProfile#NATIVE_KERNELS_OBJECT}).
   */
  public static Digest digest(List<CallgrindProfile> dumps, int opsPerDump, int top) {
    Map<String, Double> objects = new LinkedHashMap<>();
    Map<List<String>, Double> functions = new LinkedHashMap<>();
    double share = 1.0 / (opsPerDump * (double) dumps.size());
    for (CallgrindProfile p : dumps) {
      int ir = p.events().indexOf(INSTRUCTIONS);
      p.selfCost().forEach((f, cost) -> {
        double v = (ir < cost.length ? cost[ir] : 0) * share;
        objects.merge(f.object(), v, Double::sum);
        List<String> key = !f.generated() ? List.of(f.object(), f.name())
            : f.object().equals(CallgrindProfile.NATIVE_KERNELS_OBJECT) ? List.of(f.object(), "(oneDNN's JIT kernels)")
            : List.of(f.object(), "(generated code: JIT-compiled Java, interpreter, stubs)");
        functions.merge(key, v, Double::sum);
      });
    }
    // present, if only as 0, in every digest that told the native libraries' kernels apart
    objects.putIfAbsent(CallgrindProfile.NATIVE_KERNELS_OBJECT, 0.0);
    List<FunctionCount> ranked = new ArrayList<>();
    functions.forEach((k, v) -> ranked.add(new FunctionCount(k.get(0), k.get(1), v)));
    ranked.sort(Comparator.comparingDouble(FunctionCount::instructions).reversed());
    double total = objects.values().stream().mapToDouble(Double::doubleValue).sum();
    ranked.removeIf(f -> f.instructions() < DIGEST_SHARE * total);
    Map<String, Double> sortedObjects = new LinkedHashMap<>();
    objects.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sortedObjects.put(e.getKey(), e.getValue()));
    return new Digest(sortedObjects, List.copyOf(ranked.subList(0, Math.min(top, ranked.size()))));
  }

  /** Instructions per operation by object and by function. */
  public record Digest(Map<String, Double> objects, List<FunctionCount> functions) {}
}
