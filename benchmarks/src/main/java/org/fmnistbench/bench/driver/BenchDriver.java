package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.EpochBenchmarks;
import org.fmnistbench.bench.InferenceBenchmarks;
import org.fmnistbench.bench.Precision;
import org.fmnistbench.bench.TrainStepBenchmarks;
import org.fmnistbench.bench.VariantState;
import org.fmnistbench.bench.profile.CanaryProfiler;
import org.fmnistbench.bench.profile.PeakMemoryProfiler;
import org.fmnistbench.bench.report.ResultTable;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.runtime.CpuFeatures;
import org.fmnistbench.runtime.NativeBuild;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the benchmark suite: for each backend, one JMH run in a child JVM whose environment
 * selects that backend (its forks inherit it), then a metadata collection under the same
 * selection, then the side-by-side table with the article. A backend that cannot run here
 * (CUDA without a device, say) gets one line saying why and the others still run.
 *
 * <p>Each runtime configuration ({@code --configs}) runs in JVMs of its own, since the native
 * build and OpenMP settings are fixed when a JVM loads ND4J.
 *
 * <p>Output, under {@code --out}: a folder per run named by UTC time and commit, holding JMH's
 * JSON unchanged ({@code jmh-<label>.json}, the label being the backend and, for other than
 * the default configuration, {@code @configuration}), {@code metadata-<label>.json} and
 * {@code summary.md}. Files are written under temporary names and renamed when complete.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run the JMH suite over the variant registry and compare with the article.",
    subcommands = {BenchDriver.Run.class, LoopCheck.class, ReportCommands.Breakdown.class, ReportCommands.Sweep.class,
        ReportCommands.Compare.class, StabilityExperiment.class, Interleaved.class, CountCommand.class,
        CountReportCommand.class, CountDrillCommand.class, CountCompareCommand.class})
public final class BenchDriver {
  static final Map<String, String> BENCHMARKS = Map.of(
      "train", TrainStepBenchmarks.class.getName(),
      "inference", InferenceBenchmarks.class.getName(),
      "epoch", EpochBenchmarks.class.getName());

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new BenchDriver());
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("bench: " + ex.getMessage());
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, c, p) -> {
      c.getErr().println("bench: " + ex.getMessage());
      return 1;
    });
    System.exit(cli.execute(args));
  }

  /** The options every JMH launch shares. */
  static final class JmhOptions {
    @Option(names = "--variants", description = "Comma-separated variant ids, or 'all' (default).")
    String variants = "all";

    @Option(names = "--batch-sizes", description = "Comma-separated minibatch sizes (default ${DEFAULT-VALUE}, the article's).")
    String batchSizes = "32";

    @Option(names = "--engines", description = "Comma-separated engines: layer-api, samediff, djl-pytorch (default, or empty: DL4J's engines, layer-api and samediff).")
    String engines = "";

    @Option(names = "--precision", description = "Repetition level: quick (the classes' annotations) or precise "
        + "(see STABILITY.md); explicit counts below override it (default ${DEFAULT-VALUE}).")
    String precision = Precision.QUICK.id();

    @Option(names = "--warmup-iterations", converter = OptionalInt.class,
        description = "JMH warm-up iterations (default: the precision level's; empty = default).")
    Integer warmupIterations;

    @Option(names = "--warmup-time", converter = OptionalInt.class,
        description = "Seconds per warm-up iteration (default: the precision level's).")
    Integer warmupSeconds;

    @Option(names = "--iterations", converter = OptionalInt.class,
        description = "JMH measurement iterations (default: the precision level's).")
    Integer iterations;

    @Option(names = "--time", converter = OptionalInt.class,
        description = "Seconds per measurement iteration (default: the precision level's).")
    Integer seconds;

    @Option(names = "--forks", converter = OptionalInt.class,
        description = "JMH forks: the 95 % interval is over their means (default: the precision level's).")
    Integer forks;

    @Option(names = "--inject-slowdown", hidden = true,
        description = "TEST-ONLY: make every benchmark operation this fraction slower (e.g. 0.2), to exercise regression detection.")
    double injectSlowdown;

    @Option(names = "--jmh-args", description = "Extra JMH command-line arguments, appended as given (e.g. \"-prof gc\").")
    String jmhArgs = "";

    /**
     * The repetition options as given, for a report's reproducing command line: the precision
     * level when it is not the default, then every explicit count (empty when none was set).
     */
    String repetitionOptions() {
      StringBuilder o = new StringBuilder();
      if (!precision.equals(Precision.QUICK.id())) {
        o.append(" --precision ").append(precision);
      }
      appendIf(o, "--forks", forks);
      appendIf(o, "--warmup-iterations", warmupIterations);
      appendIf(o, "--warmup-time", warmupSeconds);
      appendIf(o, "--iterations", iterations);
      appendIf(o, "--time", seconds);
      if (!batchSizes.equals("32")) {
        o.append(" --batch-sizes ").append(batchSizes);
      }
      return o.toString();
    }

    private static void appendIf(StringBuilder o, String flag, Integer value) {
      if (value != null) {
        o.append(' ').append(flag).append(' ').append(value);
      }
    }

    List<Variant> variantList() {
      return Variant.parseList(variants);
    }

    /** Every repetition count left open, from {@code shape}: an experiment's design spells them all out. */
    void fillFrom(Precision shape) {
      forks = forks == null ? shape.forks() : forks;
      iterations = iterations == null ? shape.iterations() : iterations;
      seconds = seconds == null ? shape.seconds() : seconds;
      warmupIterations = warmupIterations == null ? shape.warmupIterations() : warmupIterations;
      warmupSeconds = warmupSeconds == null ? shape.warmupSeconds() : warmupSeconds;
    }

    /** The points and repetition counts as an experiment's design file records them ({@link #readDesign} reads them back). */
    Map<String, Object> design() {
      Map<String, Object> d = new java.util.LinkedHashMap<>();
      d.put("variants", variants);
      d.put("engines", engines);
      d.put("batch_sizes", batchSizes);
      d.put("forks", forks);
      d.put("iterations", iterations);
      d.put("iteration_seconds", seconds);
      d.put("warmup_iterations", warmupIterations);
      d.put("warmup_seconds", warmupSeconds);
      return d;
    }

    void readDesign(com.fasterxml.jackson.databind.JsonNode d) {
      variants = d.path("variants").asText();
      engines = d.path("engines").asText();
      batchSizes = d.path("batch_sizes").asText();
      forks = d.path("forks").asInt();
      iterations = d.path("iterations").asInt();
      seconds = d.path("iteration_seconds").asInt();
      warmupIterations = d.path("warmup_iterations").asInt();
      warmupSeconds = d.path("warmup_seconds").asInt();
    }

    /** The first of {@code --batch-sizes}: the one the reports tabulate. */
    int firstBatchSize() {
      return Integer.parseInt(batchSizes.split(",")[0].trim());
    }

    /** A copy, for a run that changes one option and leaves this one as it is. */
    JmhOptions copy() {
      JmhOptions c = new JmhOptions();
      c.variants = variants;
      c.batchSizes = batchSizes;
      c.engines = engines;
      c.precision = precision;
      c.warmupIterations = warmupIterations;
      c.warmupSeconds = warmupSeconds;
      c.iterations = iterations;
      c.seconds = seconds;
      c.forks = forks;
      c.injectSlowdown = injectSlowdown;
      c.jmhArgs = jmhArgs;
      return c;
    }

    List<String> engineList() {
      String asked = engines == null || engines.isBlank() ? Engine.dl4jIds() : engines;
      return Arrays.stream(asked.split(",")).map(String::trim).filter(e -> !e.isEmpty())
          .map(e -> Engine.byId(e).id()).distinct().toList();
    }

    /** JMH arguments for the given benchmark classes, in one runtime configuration. */
    List<String> jmhArguments(List<String> benchmarkClasses, Backend backend, RuntimeConfig config, Path resultFile) {
      List<String> a = new ArrayList<>();
      a.add(benchmarkClasses.stream().map(c -> "^" + c.replace(".", "\\.") + "\\.").collect(Collectors.joining("|")));
      a.addAll(List.of("-p", "variant=" + variantList().stream().map(Variant::name).collect(Collectors.joining(","))));
      for (String b : batchSizes.split(",")) {
        if (!b.trim().matches("[1-9][0-9]*")) {
          throw new IllegalArgumentException("--batch-sizes takes positive whole numbers, got '" + b.trim() + "'");
        }
      }
      a.addAll(List.of("-p", "batchSize=" + batchSizes.replace(" ", "")));
      a.addAll(List.of("-p", "engine=" + String.join(",", engineList())));
      // quick is what the training and inference classes' annotations say (the epoch and per-layer
      // benchmarks keep their own); another level sets every count the options leave open
      Precision level = Precision.byId(precision);
      boolean annotations = level.equals(Precision.QUICK);
      addIf(a, "-wi", warmupIterations != null ? warmupIterations : annotations ? null : level.warmupIterations());
      Integer w = warmupSeconds != null ? warmupSeconds : annotations ? null : Integer.valueOf(level.warmupSeconds());
      addIf(a, "-w", w == null ? null : w + "s");
      addIf(a, "-i", iterations != null ? iterations : annotations ? null : level.iterations());
      Integer r = seconds != null ? seconds : annotations ? null : Integer.valueOf(level.seconds());
      addIf(a, "-r", r == null ? null : r + "s");
      addIf(a, "-f", forks != null ? forks : annotations ? null : level.forks());
      a.addAll(List.of("-prof", PeakMemoryProfiler.class.getName(), "-prof", CanaryProfiler.class.getName()));
      List<String> jvm = new ArrayList<>(backend.jvmArgs());
      jvm.addAll(config.jvmArgs());
      jvm.add("-D" + NativeRuntime.PROPERTY + "=" + config.id());
      if (injectSlowdown > 0) {
        jvm.add("-D" + VariantState.SLOWDOWN_PROPERTY + "=" + injectSlowdown);
      }
      a.addAll(List.of("-jvmArgsAppend", String.join(" ", jvm)));
      a.addAll(List.of("-rf", "json", "-rff", resultFile.toString()));
      if (!jmhArgs.isBlank()) {
        a.addAll(Arrays.asList(jmhArgs.trim().split("\\s+")));
      }
      return a;
    }

    private static void addIf(List<String> args, String flag, Object value) {
      if (value != null) {
        args.add(flag);
        args.add(String.valueOf(value));
      }
    }
  }

  /** A whole number, or empty for "not given" (the pom passes every -Dbench.* property, empty when unset). */
  static final class OptionalInt implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value == null || value.isBlank()) {
        return null;
      }
      if (!value.trim().matches("[0-9]{1,6}")) {
        throw new CommandLine.TypeConversionException("expected a whole number or nothing, got '" + value + "'");
      }
      return Integer.parseInt(value.trim());
    }
  }

  /** The suite run: all chosen benchmarks on all chosen backends. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the suite and print the table.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Mixin
    JmhOptions options;

    @Option(names = "--backends", description = "Comma-separated: cpu, cuda (default ${DEFAULT-VALUE}).")
    String backends = "cpu";

    @Option(names = "--configs", description = "Runtime configurations, separated by ';', each run in its own JVMs "
        + "(default ${DEFAULT-VALUE}); e.g. 'default;stock;default,format=nhwc'. See RuntimeConfig.")
    String configs = "default";

    @Option(names = "--benchmarks", description = "Comma-separated: train, inference, epoch (default ${DEFAULT-VALUE}; epoch is a full training epoch, long on CPU).")
    String benchmarks = "train,inference";

    @Option(names = "--out", description = "Folder for result folders (default ${DEFAULT-VALUE}).")
    Path out = Path.of("benchmarks/results");

    @Override
    public Integer call() throws Exception {
      List<String> classes = new ArrayList<>();
      for (String b : benchmarks.split(",")) {
        String c = BENCHMARKS.get(b.trim());
        if (c == null) {
          throw new IllegalArgumentException("unknown benchmark '" + b.trim() + "'; valid: train, inference, epoch");
        }
        classes.add(c);
      }
      options.variantList(); // reject unknown variants before anything runs
      Precision.byId(options.precision);
      long started = System.nanoTime();
      Path runDir = newRunDir(out);
      ArticleFigures article = ArticleFigures.read(Repo.baselinesDir());
      List<ResultTable.Row> rows = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      int failures = 0;
      List<RuntimeConfig> configList = parseConfigs(configs);
      for (Backend backend : Backend.parseList(backends)) {
        Optional<String> why = backend == Backend.CUDA ? CudaProbe.whyNot() : Optional.empty();
        if (why.isPresent()) {
          System.out.println(why.get());
          notes.add(why.get());
          continue;
        }
        Optional<JmhOptions> runnable = withoutDjlWhereItCannotRun(backend, options, notes);
        if (runnable.isEmpty()) {
          continue;
        }
        JmhOptions backendOptions = runnable.get();
        for (RuntimeConfig config : configList) {
          Optional<Path> json = runJmh(runDir, backend, config, classes, backendOptions, List.of(), notes);
          if (json.isEmpty()) {
            failures++;
            continue;
          }
          rows.addAll(ResultTable.read(json.get(), label(backend, config), article));
        }
      }
      String table = ResultTable.markdown(rows);
      StringBuilder summary = new StringBuilder("# Benchmark run " + runDir.getFileName() + "\n\n");
      summary.append("Per-sample figures are JMH's secondary metric `samples` (time / samples processed); ")
          .append("the article's us/step is Keras's epoch time / samples on its hardware.\n\n").append(table);
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      String wall = String.format(Locale.ROOT, "Wall time of the measurement: %d min %02d s (precision %s).", seconds / 60,
          seconds % 60, options.precision);
      notes.forEach(n -> summary.append("\n- ").append(n));
      summary.append("\n\n").append(wall);
      AtomicFiles.writeString(runDir.resolve("summary.md"), summary.append('\n').toString());
      System.out.println();
      System.out.println(table);
      System.out.println(wall);
      System.out.println("Results: " + runDir.toAbsolutePath());
      return failures == 0 ? 0 : 1;
    }
  }

  /**
   * The options for one backend's run: on CUDA without djl-pytorch, with a note saying why, when
   * PyTorch's CUDA build cannot run on this GPU (DL4J's engines still run where nd4j-cuda can);
   * empty when nothing is left to run.
   */
  static Optional<JmhOptions> withoutDjlWhereItCannotRun(Backend backend, JmhOptions options, List<String> notes) {
    List<String> engines = options.engineList();
    if (backend != Backend.CUDA || !engines.contains(Engine.DJL_PYTORCH_ID)) {
      return Optional.of(options);
    }
    Optional<String> why = CudaProbe.whyNotDjl();
    if (why.isEmpty()) {
      return Optional.of(options);
    }
    System.out.println(why.get());
    notes.add(why.get());
    List<String> rest = engines.stream().filter(e -> !e.equals(Engine.DJL_PYTORCH_ID)).toList();
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    JmhOptions o = options.copy();
    o.engines = String.join(",", rest);
    return Optional.of(o);
  }

  /** A new result folder under {@code out}, named by UTC time and commit. */
  static Path newRunDir(Path out) throws IOException {
    return newRunDir(out, "");
  }

  /** {@link #newRunDir(Path)} with {@code suffix} after the commit (what kind of run it holds). */
  static Path newRunDir(Path out, String suffix) throws IOException {
    Path runDir = out.resolve(LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
        + "-" + CommitId.current().abbreviated() + suffix);
    Files.createDirectories(runDir);
    return runDir;
  }

  /**
   * One JMH run in a child JVM for a backend and configuration, then its metadata; the JSON is
   * renamed into place only when JMH succeeded. A configuration whose native build this CPU
   * cannot run is skipped with a note saying why (instead of dying of SIGILL).
   *
   * @return the JSON file, or empty (with a line in {@code notes}) when nothing was kept
   */
  static Optional<Path> runJmh(Path runDir, Backend backend, RuntimeConfig config, List<String> classes,
      JmhOptions options, List<String> extraJmhArgs, List<String> notes) throws IOException, InterruptedException {
    return runJmh(runDir, backend, config, classes, options, extraJmhArgs, notes, ChildJvm.OWN_CLASSPATH);
  }

  /** {@link #runJmh} with the JMH host (and so its forks) on {@code classpath}: another build's benchmarks jar. */
  static Optional<Path> runJmh(Path runDir, Backend backend, RuntimeConfig config, List<String> classes,
      JmhOptions options, List<String> extraJmhArgs, List<String> notes, String classpath)
      throws IOException, InterruptedException {
    String label = label(backend, config);
    if (backend == Backend.CPU) {
      CpuFeatures cpu = CpuFeatures.detect();
      NativeBuild build = config.resolveBuild(cpu);
      if (!build.runsOn(cpu)) {
        String line = label + ": not run: native build " + build.id() + " needs CPU features this " + cpu.simdLevel()
            + " CPU lacks";
        System.out.println(line);
        notes.add(line);
        return Optional.empty();
      }
    }
    Path json = runDir.resolve("jmh-" + label + ".json");
    Path partial = runDir.resolve("jmh-" + label + ".json.part");
    List<String> args = new ArrayList<>(options.jmhArguments(classes, backend, config, partial));
    args.addAll(extraJmhArgs);
    org.fmnistbench.runtime.MachineActivity activity = org.fmnistbench.runtime.MachineActivity.start();
    int exit = ChildJvm.run(backend, config, classpath, "org.openjdk.jmh.Main", BuildClasses.profilersIn(classpath, args),
        List.of());
    RunMetadata.MachineActivity busy = activity.finish();
    if (exit != 0 || !Files.isRegularFile(partial)) {
      String line = label + ": JMH failed (exit " + exit + "); no results kept";
      System.out.println(line);
      notes.add(line);
      Files.deleteIfExists(partial);
      return Optional.empty();
    }
    AtomicFiles.moveIntoPlace(partial, json);
    Path metadata = runDir.resolve("metadata-" + label + ".json");
    List<String> metaArgs = new ArrayList<>(List.of(metadata.toString()));
    if (options.engineList().contains(Engine.DJL_PYTORCH_ID)) {
      metaArgs.add(MetadataCollector.WITH_DJL);
    }
    int metaExit = ChildJvm.run(backend, config, classpath, BuildClasses.in(classpath, MetadataCollector.class.getName()),
        metaArgs,
        options.injectSlowdown > 0 ? List.of("-D" + VariantState.SLOWDOWN_PROPERTY + "=" + options.injectSlowdown) : List.of());
    if (metaExit != 0) {
      notes.add(label + ": metadata collection failed (exit " + metaExit + ")");
    } else {
      MetadataCollector.addMachineActivity(metadata, busy);
    }
    return Optional.of(json);
  }

  /** Parses configurations separated by ';', rejecting bad ones before anything runs. */
  static List<RuntimeConfig> parseConfigs(String spec) {
    List<RuntimeConfig> out = Arrays.stream(spec.split(";")).map(String::trim).filter(c -> !c.isEmpty())
        .map(RuntimeConfig::parse).distinct().toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--configs names no configuration; expected e.g. 'default;stock'");
    }
    return out;
  }

  /**
   * How a (backend, configuration) pair names its result files: {@code cpu} for the default
   * configuration (what the nightly history tracks), {@code cpu@stock}, {@code cpu@default_format-nhwc}.
   */
  static String label(Backend backend, RuntimeConfig config) {
    String id = config.id();
    return id.equals("default") ? backend.id()
        : backend.id() + "@" + id.toLowerCase(Locale.ROOT).replace('=', '-').replaceAll("[^a-z0-9.-]", "_");
  }

  /** Launches a JVM on this JVM's classpath (or another build's) with a backend's and a configuration's environment. */
  static final class ChildJvm {
    static final String OWN_CLASSPATH = System.getProperty("java.class.path");

    private ChildJvm() {}

    static int run(Backend backend, RuntimeConfig config, String mainClass, List<String> args, List<String> jvmArgs)
        throws IOException, InterruptedException {
      return run(backend, config, OWN_CLASSPATH, mainClass, args, jvmArgs);
    }

    static int run(Backend backend, RuntimeConfig config, String classpath, String mainClass, List<String> args,
        List<String> jvmArgs) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(backend.jvmArgs());
      cmd.addAll(config.jvmArgs());
      cmd.add("-D" + NativeRuntime.PROPERTY + "=" + config.id());
      cmd.addAll(jvmArgs);
      cmd.add("-cp");
      cmd.add(classpath);
      cmd.add(mainClass);
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      pb.environment().putAll(backend.environment());
      config.applyTo(pb.environment());
      System.err.printf(Locale.ROOT, "[%s] %s%n", backend.id(), String.join(" ", cmd.subList(cmd.indexOf(mainClass), cmd.size())));
      Process p = pb.start();
      try {
        return p.waitFor();
      } finally {
        p.destroy();
      }
    }
  }
}
