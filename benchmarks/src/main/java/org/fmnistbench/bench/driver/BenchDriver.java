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
import java.util.stream.Stream;
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
import org.fmnistbench.bench.report.Documents;
import org.fmnistbench.bench.report.ResultTable;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.plan.PlanSetting;
import org.fmnistbench.results.RunFolder;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.results.RunSpread;
import org.fmnistbench.runtime.CpuFeatures;
import org.fmnistbench.runtime.MachineActivity;
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

  /** Refuses a whole-number option below its least sensible value, naming it, before any work starts. */
  static void requireAtLeast(String option, long value, long least) {
    if (value < least) {
      throw new IllegalArgumentException(option + " must be at least " + least + ", got " + value);
    }
  }

  /** The plan options an experiment's design records ({@link JmhOptions#measureAsDesigned}): a kept design decides them. */
  static final List<String> DESIGNED_PLAN_OPTIONS = Stream.of(ExperimentPlan.VARIANTS, ExperimentPlan.ENGINES,
      ExperimentPlan.BATCH_SIZES, ExperimentPlan.PRECISION, ExperimentPlan.FORKS, ExperimentPlan.ITERATIONS, ExperimentPlan.TIME,
      ExperimentPlan.WARMUP_ITERATIONS, ExperimentPlan.WARMUP_TIME).map(PlanSetting::flag).toList();

  /**
   * Refuses, beside {@code --analyse} or {@code --resume}, the options whose values the kept
   * folder's design replaces: given there they were ignored, so {@code --analyse DIR --alpha 0.01}
   * printed the design's judgement as if it were the one asked for. Refuses the two together too:
   * one renders a finished run, the other measures what an interrupted one lacks.
   */
  static void refuseBesideKeptDesign(CommandLine.Model.CommandSpec spec, Path dir, List<String> designed) {
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (given.hasMatchedOption("--analyse") && given.hasMatchedOption("--resume")) {
      throw new IllegalArgumentException("--analyse renders a finished run and --resume measures what an interrupted one "
          + "lacks: give one of them");
    }
    String kept = given.hasMatchedOption("--analyse") ? "--analyse" : "--resume";
    List<String> clash = designed.stream().filter(given::hasMatchedOption).toList();
    if (!clash.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", clash) + " cannot go with " + kept + ": the design kept in "
          + dir + " decides " + (clash.size() == 1 ? "it" : "them") + ", as the run was measured; leave "
          + (clash.size() == 1 ? "it" : "them") + " out");
    }
  }

  public static void main(String[] args) {
    System.exit(withRefusalsAsMessages(commandLine()).execute(args));
  }

  /**
   * {@code cli} reporting a refusal as the user sees it: one line on stderr, "bench: " and the
   * reason, exit code 2 for a bad option and 1 for a refusal while running (no stack trace).
   */
  static CommandLine withRefusalsAsMessages(CommandLine cli) {
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("bench: " + refusal(ex));
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, c, p) -> {
      c.getErr().println("bench: " + ex.getMessage());
      return 1;
    });
    return cli;
  }

  /**
   * What a bad option's value was refused for. An experiment-plan option refuses its value in its
   * setter, whose message already names the option and what it takes; picocli wraps it twice
   * ("PicocliException: Could not set value (x) for option --variants: java.lang.IllegalArgument
   * Exception: ... while processing argument ..."), so the setter's own message is shown.
   */
  static String refusal(CommandLine.ParameterException ex) {
    for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
      if (!(cause instanceof CommandLine.PicocliException) && cause.getMessage() != null) {
        return cause.getMessage();
      }
    }
    return ex.getMessage();
  }

  /**
   * The experiment plan a command measures, as options: one per {@link ExperimentPlan#SETTINGS}
   * entry of its scope, added when the command line is built ({@link #commandLine}), so a new
   * setting needs no edit here. The suite run takes every setting; the other commands that launch
   * JMH take the {@link PlanSetting.Scope#LAUNCH} ones and declare their own selection.
   */
  static final class JmhOptions {
    ExperimentPlan plan = ExperimentPlan.defaults();
    private final boolean suite;

    JmhOptions() {
      this(false);
    }

    private JmhOptions(boolean suite) {
      this.suite = suite;
    }

    /** The options of the suite run, every setting. */
    static JmhOptions forSuite() {
      return new JmhOptions(true);
    }

    /** Adds this plan's options to {@code command}: a picocli option per setting, writing into {@link #plan}. */
    void addOptionsTo(CommandLine.Model.CommandSpec command) {
      for (PlanSetting<?> s : ExperimentPlan.SETTINGS) {
        if (!takes(s)) {
          continue;
        }
        command.addOption(CommandLine.Model.OptionSpec.builder(s.flag()).paramLabel("<" + s.name() + ">").type(String.class)
            .hidden(s == ExperimentPlan.INJECT_SLOWDOWN)
            // picocli formats descriptions: a plain '%' ("95 % interval") must reach it doubled
            .description((s.description() + (s.defaultText().isEmpty() ? "" : " Default: " + s.defaultText() + "."))
                .replace("%", "%%"))
            .setter(new CommandLine.Model.ISetter() {
              @Override
              public <T> T set(T value) {
                plan = plan.with(s, (String) value);
                return null;
              }
            }).build());
      }
    }

    /** Whether this command takes a setting: the suite run every one, the others those of every JMH launch. */
    private boolean takes(PlanSetting<?> s) {
      return suite || s.scope() == PlanSetting.Scope.LAUNCH;
    }

    /**
     * Measures what an experiment's design recorded: its points and every repetition count (the
     * other settings stay as given), so that a resumed experiment measures as it began.
     */
    void measureAsDesigned(String variants, String engines, String batchSizes, Integer forks, Integer iterations,
        Integer seconds, Integer warmupIterations, Integer warmupSeconds) {
      plan = plan.with(ExperimentPlan.VARIANTS, variants).with(ExperimentPlan.ENGINES, engines)
          .with(ExperimentPlan.BATCH_SIZES, batchSizes).withCount(ExperimentPlan.FORKS, forks)
          .withCount(ExperimentPlan.ITERATIONS, iterations).withCount(ExperimentPlan.TIME, seconds)
          .withCount(ExperimentPlan.WARMUP_ITERATIONS, warmupIterations).withCount(ExperimentPlan.WARMUP_TIME, warmupSeconds);
    }

    /** Reads the plan from a file of {@code bench.*} properties (what the bench profile writes). */
    @Option(names = "--plan-properties", description = "A file of Maven bench.* properties (the bench profile writes one): "
        + "the plan, before any option given here.")
    void planProperties(Path file) throws IOException {
      ExperimentPlan read = ExperimentPlan.readProperties(file);
      for (PlanSetting<?> s : ExperimentPlan.SETTINGS) {
        if (read.isGiven(s) && takes(s)) {
          plan = plan.with(s, read.text(s));
        }
      }
    }

    /**
     * The repetition options as given, for a report's reproducing command line: the precision
     * level when it is not the default, then every explicit count and the batch sizes (empty when none was set).
     */
    String repetitionOptions() {
      return plan.toArgs(List.of(ExperimentPlan.PRECISION, ExperimentPlan.FORKS, ExperimentPlan.WARMUP_ITERATIONS,
          ExperimentPlan.WARMUP_TIME, ExperimentPlan.ITERATIONS, ExperimentPlan.TIME, ExperimentPlan.BATCH_SIZES));
    }

    List<Variant> variantList() {
      return plan.get(ExperimentPlan.VARIANTS);
    }

    Precision precision() {
      return Precision.byId(plan.get(ExperimentPlan.PRECISION));
    }

    /** Every repetition count left open, from {@code shape}: an experiment's design spells them all out. */
    void fillFrom(Precision shape) {
      fill(ExperimentPlan.FORKS, shape.forks());
      fill(ExperimentPlan.ITERATIONS, shape.iterations());
      fill(ExperimentPlan.TIME, shape.seconds());
      fill(ExperimentPlan.WARMUP_ITERATIONS, shape.warmupIterations());
      fill(ExperimentPlan.WARMUP_TIME, shape.warmupSeconds());
    }

    private void fill(PlanSetting<Integer> count, int value) {
      if (plan.get(count) == null) {
        plan = plan.withCount(count, value);
      }
    }

    /** The first of {@code --batch-sizes}: the one the reports tabulate. */
    int firstBatchSize() {
      return plan.get(ExperimentPlan.BATCH_SIZES).get(0);
    }

    /** Sets one setting from its text (empty: back to the default). */
    void set(PlanSetting<?> setting, String text) {
      plan = plan.with(setting, text);
    }

    /** A setting's text, as given or its default. */
    String text(PlanSetting<?> setting) {
      return plan.text(setting);
    }

    /** A copy with its own plan, for a run that changes one setting and leaves this one as it is. */
    JmhOptions with(PlanSetting<?> setting, String text) {
      JmhOptions c = new JmhOptions(suite);
      c.plan = plan.with(setting, text);
      return c;
    }

    List<String> engineList() {
      List<String> asked = plan.get(ExperimentPlan.ENGINES);
      return (asked.isEmpty() ? List.of(Engine.dl4jIds().split(",")) : asked).stream().map(String::trim)
          .map(e -> Engine.byId(e).id()).distinct().toList();
    }

    /** JMH arguments for the given benchmark classes, in one runtime configuration. */
    List<String> jmhArguments(List<String> benchmarkClasses, Backend backend, RuntimeConfig config, Path resultFile) {
      List<String> a = new ArrayList<>();
      a.add(benchmarkClasses.stream().map(c -> "^" + c.replace(".", "\\.") + "\\.").collect(Collectors.joining("|")));
      a.addAll(List.of("-p", "variant=" + variantList().stream().map(Variant::name).collect(Collectors.joining(","))));
      a.addAll(List.of("-p", "batchSize=" + plan.get(ExperimentPlan.BATCH_SIZES).stream().map(String::valueOf)
          .collect(Collectors.joining(","))));
      a.addAll(List.of("-p", "engine=" + String.join(",", engineList())));
      // quick is what the training and inference classes' annotations say (the epoch and per-layer
      // benchmarks keep their own); another level sets every count the options leave open
      Precision level = precision();
      boolean annotations = level.equals(Precision.QUICK);
      addIf(a, "-wi", count(ExperimentPlan.WARMUP_ITERATIONS, annotations ? null : level.warmupIterations()), "");
      addIf(a, "-w", count(ExperimentPlan.WARMUP_TIME, annotations ? null : level.warmupSeconds()), "s");
      addIf(a, "-i", count(ExperimentPlan.ITERATIONS, annotations ? null : level.iterations()), "");
      addIf(a, "-r", count(ExperimentPlan.TIME, annotations ? null : level.seconds()), "s");
      addIf(a, "-f", count(ExperimentPlan.FORKS, annotations ? null : level.forks()), "");
      a.addAll(List.of("-prof", PeakMemoryProfiler.class.getName(), "-prof", CanaryProfiler.class.getName()));
      List<String> jvm = new ArrayList<>(backend.jvmArgs());
      jvm.addAll(config.jvmArgs());
      jvm.add("-D" + NativeRuntime.PROPERTY + "=" + config.id());
      jvm.addAll(slowdownJvmArgs());
      a.addAll(List.of("-jvmArgsAppend", String.join(" ", jvm)));
      a.addAll(List.of("-rf", "json", "-rff", resultFile.toString()));
      String extra = plan.get(ExperimentPlan.JMH_ARGS);
      if (!extra.isBlank()) {
        a.addAll(Arrays.asList(extra.trim().split("\\s+")));
      }
      return a;
    }

    /** The TEST-ONLY slowdown's JVM property, none when no slowdown was asked for. */
    List<String> slowdownJvmArgs() {
      double slowdown = plan.get(ExperimentPlan.INJECT_SLOWDOWN);
      return slowdown > 0 ? List.of("-D" + VariantState.SLOWDOWN_PROPERTY + "=" + slowdown) : List.of();
    }

    /** A repetition count: as given, else {@code level}'s (null: leave it to the annotations). */
    private Integer count(PlanSetting<Integer> setting, Integer level) {
      Integer given = plan.get(setting);
      return given != null ? given : level;
    }

    private static void addIf(List<String> args, String flag, Integer value, String unit) {
      if (value != null) {
        args.add(flag);
        args.add(value + unit);
      }
    }
  }

  /** The command line of the driver, with each command's plan options added (see {@link JmhOptions}). */
  static CommandLine commandLine() {
    return commandLine(new BenchDriver());
  }

  /** The command line of one command (or the driver), its plan options added. */
  static CommandLine commandLine(Object command) {
    CommandLine cli = new CommandLine(command);
    addPlanOptions(cli);
    return cli;
  }

  private static void addPlanOptions(CommandLine cli) {
    for (CommandLine.Model.CommandSpec mixin : cli.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof JmhOptions options) {
        options.addOptionsTo(cli.getCommandSpec());
      }
    }
    cli.getSubcommands().values().forEach(BenchDriver::addPlanOptions);
  }

  /** The suite run: all chosen benchmarks on all chosen backends. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the suite and print the table.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Mixin
    JmhOptions options = JmhOptions.forSuite();

    @Override
    public Integer call() throws Exception {
      ExperimentPlan plan = options.plan;
      List<String> classes = new ArrayList<>();
      for (String b : plan.get(ExperimentPlan.BENCHMARKS)) {
        String c = BENCHMARKS.get(b);
        if (c == null) {
          throw new IllegalArgumentException("unknown benchmark '" + b + "'; valid: train, inference, epoch");
        }
        classes.add(c);
      }
      options.engineList(); // reject unknown engines and precision levels before anything runs
      options.precision();
      List<RuntimeConfig> configList = parseConfigs(plan.text(ExperimentPlan.CONFIGS));
      List<Backend> backendList = Backend.parseList(plan.text(ExperimentPlan.BACKENDS));
      long started = System.nanoTime();
      Path runDir = newRunDir(plan.get(ExperimentPlan.OUT));
      ArticleFigures article = ArticleFigures.read(Repo.baselinesDir());
      List<ResultTable.Row> rows = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      int failures = 0;
      for (Backend backend : backendList) {
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
      String table = ResultTable.markdown(rows, RunSpread.read(Documents.reportsDir()));
      StringBuilder summary = new StringBuilder("# Benchmark run " + runDir.getFileName() + "\n\n");
      summary.append("Per-sample figures are JMH's secondary metric `samples` (time / samples processed); ")
          .append("the article's us/step is Keras's epoch time / samples on its hardware.\n\n").append(table);
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      String wall = String.format(Locale.ROOT, "Wall time of the measurement: %d min %02d s (precision %s).", seconds / 60,
          seconds % 60, plan.text(ExperimentPlan.PRECISION));
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
    return Optional.of(options.with(ExperimentPlan.ENGINES, String.join(",", rest)));
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
    RunFolder folder = new RunFolder(runDir);
    Path json = folder.jmh(label);
    Path partial = folder.jmhInProgress(label);
    List<String> args = new ArrayList<>(options.jmhArguments(classes, backend, config, partial));
    args.addAll(extraJmhArgs);
    MachineActivity activity = MachineActivity.start();
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
    Path metadata = folder.metadata(label);
    List<String> metaArgs = new ArrayList<>(List.of(metadata.toString()));
    if (options.engineList().contains(Engine.DJL_PYTORCH_ID)) {
      metaArgs.add(MetadataCollector.WITH_DJL);
    }
    int metaExit = ChildJvm.run(backend, config, classpath, BuildClasses.in(classpath, MetadataCollector.class.getName()),
        metaArgs,
        options.slowdownJvmArgs());
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
    return RunFolder.label(backend.id(), config.id());
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
