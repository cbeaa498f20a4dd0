package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.bench.count.CountSetting;
import org.fmnistbench.bench.count.InjectedWork;
import org.fmnistbench.bench.count.PointCounter;
import org.fmnistbench.bench.report.CountTable;
import org.fmnistbench.bench.report.CountsDocument;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.ShortCommand;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.CountSchedule;
import org.fmnistbench.results.CountSpread;
import org.fmnistbench.runtime.CpuFeatures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The counting mode: every chosen point's instructions per training step and inference batch,
 * counted by Callgrind in the steady state (see {@link PointCounter}, {@link CountSetting}),
 * into {@code counts.json} in a result folder. Counts do not mind sharing the machine, so
 * {@code --jobs} points run at once. The file is rewritten after each point, so an interrupted
 * run continues with {@code --resume <folder>}.
 */
@Command(name = "count", mixinStandardHelpOptions = true,
    description = "Count instructions per training step and inference batch under Callgrind (counts.json).")
public final class CountCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CountPoints points = new CountPoints();

  @Option(names = "--jit", description = "JIT setting: c1 or tiered (default ${DEFAULT-VALUE}; see CountSetting).")
  String jit = CountSetting.C1.id();

  @Option(names = "--warmup", description = "Uninstrumented operations before counting (default: the JIT setting's, "
      + "20 for c1, 60 for tiered).")
  Integer warmup;

  @Option(names = "--steps", description = "Operations per counted segment (default ${DEFAULT-VALUE}).")
  int steps = 1;

  @Option(names = "--segments", description = "Counted segments per process; the process's figure is their median "
      + "(default ${DEFAULT-VALUE}).")
  int segments = 3;

  @Option(names = "--processes", description = "Processes per point, for an A/A of the counts (default 1; with "
      + "--complete-aa, " + CountsDocument.AA_PROCESSES + ").")
  Integer processes;

  @Option(names = "--complete-aa", description = "Count only what the A/A kept in benchmarks/reports/counts-data lacks "
      + "on this CPU model under this JIT setting: each chosen point up to --processes processes under its counting "
      + "runtime, those kept counting (COUNTS.md lists what is lacking).")
  boolean completeAa;

  @Option(names = "--cache-sim", description = "Also simulate the caches (misses and estimated cycles; slower).")
  boolean cacheSimulation;

  @Option(names = "--jobs", description = "Points counted at once (default ${DEFAULT-VALUE}, this machine's cores).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--attempts", description = "Processes per point before it is reported as failed (default ${DEFAULT-VALUE}).")
  int attempts = 3;

  @Option(names = "--timeout-minutes", description = "One process's limit (default ${DEFAULT-VALUE}).")
  long timeoutMinutes = 120;

  @Option(names = "--classpath", description = "Count another build: its benchmarks jar (default: this build).")
  String classpath = BenchDriver.ChildJvm.OWN_CLASSPATH;

  @Option(names = "--out", description = "Folder for result folders (default ${DEFAULT-VALUE}).")
  Path out = Path.of("benchmarks/results");

  /** -Pcount's settings: the points and output folder of the plan's bench.* properties, where given. */
  @Option(names = "--plan-properties", description = "A file of Maven bench.* properties (the count profile writes one): "
      + "its variants, engines, benchmarks and output folder, before any option given here.")
  void planProperties(Path file) throws IOException {
    ExperimentPlan plan = ExperimentPlan.readProperties(file);
    if (plan.isGiven(ExperimentPlan.VARIANTS)) {
      points.variants = plan.text(ExperimentPlan.VARIANTS);
    }
    if (plan.isGiven(ExperimentPlan.ENGINES)) {
      points.engines = plan.text(ExperimentPlan.ENGINES);
    }
    if (plan.isGiven(ExperimentPlan.BENCHMARKS)) {
      points.benchmarks = plan.text(ExperimentPlan.BENCHMARKS);
    }
    out = plan.get(ExperimentPlan.OUT);
  }

  @Option(names = "--resume", description = "Continue an interrupted run in this result folder.")
  Path resume;

  @Option(names = "--runtime", description = "Count under another runtime setting: overrides of the counting runtime "
      + "(RuntimeConfig's keys, e.g. malloc=glibc or helpers=off), to see what a setting does to the work.")
  String runtimeOverrides = "";

  @Option(names = "--tonight", arity = "0..1", description = "Count only tonight's share of the chosen points: each variant's cheapest "
      + "every night, the rest in a weekly rotation (CountSchedule), by the costs kept in benchmarks/reports/counts-data.")
  boolean tonight;

  @Option(names = "--dry-run", description = "Print the points and the plan, count nothing.")
  boolean dryRun;

  @Option(names = "--night", description = "With --tonight: the night to plan, in days since 1970-01-01 (default: today, UTC).")
  Long night;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    CountSetting setting = CountSetting.byId(jit);
    List<PointCounter.Spec> specs = specs();
    if (completeAa && (tonight || !runtimeOverrides.isBlank())) {
      throw new IllegalArgumentException("--complete-aa counts each point's A/A under its counting runtime: it takes "
          + "neither --tonight nor --runtime");
    }
    if (tonight) {
      specs = tonightsShare(specs, setting);
    }
    int perPoint = processes != null ? processes : completeAa ? CountsDocument.AA_PROCESSES : 1;
    Map<String, Integer> kept = completeAa
        ? keptProcesses(CountReportCommand.kept(), setting.id(), CpuFeatures.detect().model(), resume)
        : Map.of();
    String fileName = "counts-" + setting.id() + ".json";
    // a resumed run's file, read once: its processes count towards each point, and its setting is kept
    CountResults earlier = resume != null && Files.isRegularFile(resume.resolve(fileName))
        ? CountResults.read(resume.resolve(fileName)) : null;
    List<CountResults.Point> done = earlier == null ? List.of()
        : earlier.points().stream().filter(CountResults.Point::ok).toList();
    List<Task> todo = new ArrayList<>();
    for (PointCounter.Spec spec : specs) {
      long have = done.stream().filter(p -> p.key().equals(spec.key())).count();
      for (long k = have + kept.getOrDefault(spec.key(), 0); k < perPoint; k++) {
        todo.add(new Task(spec, (int) k + 1));
      }
    }
    Map<String, Long> perSpec = todo.stream()
        .collect(Collectors.groupingBy(t -> t.spec.key(), LinkedHashMap::new, Collectors.counting()));
    if (completeAa && todo.isEmpty() && resume == null) {
      System.out.printf(Locale.ROOT, "Nothing to count: every chosen point has %d processes on %s under JIT %s in %s%n",
          perPoint, CpuFeatures.detect().model(), setting.id(), CountReportCommand.DATA);
      return 0;
    }
    if (dryRun) {
      Map<String, Double> seconds = CountReportCommand.expectedSeconds(setting.id());
      perSpec.forEach((key, more) -> System.out.println(key + " x" + more));
      double total = todo.stream().mapToDouble(t -> seconds.getOrDefault(t.spec.key(), DEFAULT_SECONDS)).sum();
      System.out.printf(Locale.ROOT, "About %.0f min with %d at once (by each point's median process in %s, JIT %s, "
          + "on this CPU model where counted on it, else on the dearest other; %.0f s where none)%n",
          total / 60 / Math.max(1, jobs), jobs, CountReportCommand.DATA, setting.id(), DEFAULT_SECONDS);
      return 0;
    }
    Path runDir = resume != null ? resume : BenchDriver.newRunDir(out, "-counts");
    Path file = runDir.resolve(fileName);
    CountResults.Setting recorded;
    String build = countedBuild(classpath);
    if (earlier != null) {
      recorded = earlier.setting();
      requireSameSetting(file, recorded, setting(build, setting, recorded.cacheSimulation(), recorded.runtimeOverrides(),
          recorded.warmupOps()));
    } else {
      recorded = setting(build, setting, cacheSimulation, runtimeOverrides, warmup == null ? setting.warmupOps() : warmup);
    }
    PointCounter counter = new PointCounter(setting, classpath, recorded.warmupOps(), recorded.stepsPerSegment(),
        recorded.segments(), recorded.cacheSimulation(), attempts, timeoutMinutes * 60,
        InjectedWork.NONE, false, recorded.runtimeOverrides());
    System.out.printf(Locale.ROOT, "Counting %d processes of %d points (up to %d each%s) with %d at once, JIT %s, into %s%n",
        todo.size(), perSpec.size(), perPoint, completeAa ? ", those kept in " + CountReportCommand.DATA + " counting" : "",
        jobs, setting.id(), runDir);
    long started = System.nanoTime();
    List<CountResults.Point> results = new ArrayList<>(done);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
    try {
      List<Future<CountResults.Point>> futures = new ArrayList<>();
      for (Task t : todo) {
        futures.add(pool.submit(() -> {
          CountResults.Point p = counter.count(t.spec, runDir.resolve("points").resolve(t.spec.folderName() + "-p" + t.process));
          synchronized (results) {
            results.add(p);
            new CountResults(recorded, results).write(file);
            int finished = results.size() - done.size();
            double elapsed = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "[%d/%d] %s%n", finished, todo.size(), CountTable.line(p)
                + String.format(Locale.ROOT, "; %.0f s; about %d min left", p.seconds(),
                    Math.round(elapsed / finished * (todo.size() - finished) / 60)));
          }
          return p;
        }));
      }
      for (Future<CountResults.Point> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    CountResults run = new CountResults(recorded, results);
    run.write(file);
    String table = CountTable.markdown(run);
    AtomicFiles.writeString(runDir.resolve("summary-counts-" + setting.id() + ".md"), "# Counting run "
        + runDir.getFileName() + "\n\n" + CountTable.settingLine(run) + "\n\n" + table);
    System.out.println();
    System.out.println(table);
    long failed = results.stream().filter(p -> !p.ok()).count();
    System.out.printf(Locale.ROOT, "Wall time: %d min. Results: %s%n", (System.nanoTime() - started) / 60_000_000_000L,
        file.toAbsolutePath());
    return failed == 0 ? 0 : 1;
  }

  /** Options that would count nothing or divide by nothing, refused before a process starts. */
  void checkOptions() throws IOException {
    if (night != null && !tonight) { // it plans tonight's share, and is ignored otherwise
      throw new IllegalArgumentException("--night goes with --tonight");
    }
    if (resume != null) {
      requireResumable(resume, "counts-" + CountSetting.byId(jit).id() + ".json");
    }
    BenchDriver.requireAtLeast("--jobs", jobs, 1);
    BenchDriver.requireAtLeast("--steps", steps, 1);
    BenchDriver.requireAtLeast("--segments", segments, 1);
    BenchDriver.requireAtLeast("--attempts", attempts, 1);
    BenchDriver.requireAtLeast("--timeout-minutes", timeoutMinutes, 1);
    if (processes != null) {
      BenchDriver.requireAtLeast("--processes", processes, 1);
    }
    if (warmup != null) {
      BenchDriver.requireAtLeast("--warmup", warmup, 0);
    }
  }

  private record Task(PointCounter.Spec spec, int process) {}

  /**
   * Refuses a {@code --resume} folder that is no counting run to go on with under this JIT setting:
   * a path that does not exist (a typo once started a whole new run there) or a folder holding
   * another setting's counts (the run would begin again beside them). A folder without any counts
   * file is a run cut off before its first point and is resumed.
   */
  static void requireResumable(Path dir, String fileName) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--resume " + dir + ": no such folder (a new run takes --out)");
    }
    if (Files.isRegularFile(dir.resolve(fileName))) {
      return;
    }
    List<String> others = CountResults.filesIn(dir, 1).stream().map(f -> f.getFileName().toString()).toList();
    if (!others.isEmpty()) {
      throw new IllegalArgumentException("--resume " + dir + " holds " + String.join(", ", others) + ", not " + fileName
          + ": give the --jit it was counted under");
    }
  }

  /**
   * The build whose code the counting processes run, as the counts record it: this jar's commit,
   * or, for {@code --classpath <jar>}, that jar's stamp (its SHA-256 for a jar built before the
   * stamp). The driver's own commit would name the wrong build when it counts another one (the
   * nightly's previous build, a baseline counted by hand), and findings quote this field.
   */
  static String countedBuild(String classpath) throws IOException {
    if (classpath.equals(BenchDriver.ChildJvm.OWN_CLASSPATH)) {
      return CommitId.current().toString();
    }
    Path jar = Path.of(classpath);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--classpath " + classpath + " is not a file; expected one benchmarks jar "
          + "(benchmarks/target/benchmarks.jar of the build to count), so that the counts can name that build");
    }
    Optional<CommitId> stamp = CommitId.ofJar(jar);
    return stamp.isPresent() ? stamp.get().toString() : "jar SHA-256 " + Interleaved.sha256(classpath);
  }

  /** What this machine and build would record for a run of these options. */
  private CountResults.Setting setting(String build, CountSetting jitSetting, boolean cacheSim, String overrides,
      int warmupOps) throws IOException, InterruptedException {
    return new CountResults.Setting(build, jitSetting.id(), jitSetting.jvmFlags(),
        valgrindVersion() + " " + String.join(" ", CountSetting.valgrindOptions(cacheSim)),
        CountSetting.runtimeWith(overrides).id() + " " + CountSetting.environment(), CpuFeatures.detect().model(),
        warmupOps, steps, segments, cacheSim, Instant.now().toString(), overrides, CountSetting.platform());
  }

  /**
   * A resumed run goes on counting what it began with: processes of two builds, CPU models, JVM
   * flags, Valgrind versions or runtimes are no A/A, and the file would label them all as the first.
   * A run carried to another machine (its counts committed, resumed there) meets this check.
   */
  static void requireSameSetting(Path file, CountResults.Setting recorded, CountResults.Setting here) {
    List<String> differ = new ArrayList<>();
    BiConsumer<String, List<?>> compare = (what, both) -> {
      if (!both.get(0).equals(both.get(1))) {
        differ.add(what + " " + both.get(0) + " there, " + both.get(1) + " here");
      }
    };
    compare.accept("build", List.of(recorded.commit(), here.commit()));
    compare.accept("CPU", List.of(recorded.cpu(), here.cpu()));
    compare.accept("JVM flags", List.of(recorded.jvmFlags(), here.jvmFlags()));
    compare.accept("Valgrind", List.of(recorded.valgrind(), here.valgrind()));
    compare.accept("runtime", List.of(recorded.runtime(), here.runtime()));
    if (!recorded.platform().isEmpty()) { // a run from before the platform was recorded cannot say
      compare.accept("platform", List.of(recorded.platform(), here.platform()));
    }
    if (!differ.isEmpty()) {
      throw new IllegalArgumentException(file + " was counted under another setting (" + String.join("; ", differ)
          + "): resume it where it began (for the build: --classpath <its benchmarks jar>), or start a new run");
    }
  }

  /**
   * How many processes of each point the kept runs hold on {@code cpu} under {@code jit}, under the
   * point's counting runtime (what its A/A takes: {@link CountSpread#of(List)}). A resumed run's own
   * folder is left out when kept too: its processes are counted as the run's own.
   */
  static Map<String, Integer> keptProcesses(Map<String, CountResults> kept, String jit, String cpu, Path ownRun) {
    List<CountResults> runs = kept.entrySet().stream()
        .filter(e -> ownRun == null || !Path.of(e.getKey()).getName(0).equals(ownRun.getFileName()))
        .map(Map.Entry::getValue).toList();
    Map<String, Integer> out = new TreeMap<>();
    for (CountSpread s : CountSpread.of(runs)) {
      if (s.jit().equals(jit) && s.cpu().equals(cpu)) {
        out.put(s.key(), s.processes().size());
      }
    }
    return out;
  }

  List<PointCounter.Spec> specs() {
    return points.specs();
  }

  /** The points of tonight's night of the weekly cycle, with the plan printed. */
  List<PointCounter.Spec> tonightsShare(List<PointCounter.Spec> all, CountSetting setting) throws IOException {
    Map<String, Double> known = CountReportCommand.expectedSeconds(setting.id());
    double fallback = known.values().stream().mapToDouble(Double::doubleValue).max().orElse(DEFAULT_SECONDS);
    Map<String, Double> cost = new LinkedHashMap<>();
    all.forEach(s -> cost.put(s.key(), known.getOrDefault(s.key(), fallback)));
    CountSchedule plan = CountSchedule.plan(cost, NIGHTS);
    long n = night != null ? night : CountSchedule.nightOf(LocalDate.now(ZoneOffset.UTC));
    List<String> keys = plan.night(n);
    System.out.printf(Locale.ROOT, "Tonight (night %d, %d of a %d-night cycle): %d of %d points, about %.0f min of one core "
        + "(%d every night: each variant's cheapest; costs: this CPU model's, else the dearest other model's, else %.0f s)%n", n,
        Math.floorMod(n, (long) NIGHTS) + 1, NIGHTS, keys.size(), all.size(), plan.seconds(n) / 60, plan.everyNight().size(),
        fallback);
    return all.stream().filter(s -> keys.contains(s.key())).toList();
  }

  /** The rotation's length: every point at least once a week. */
  static final int NIGHTS = 7;
  /** A point's expected seconds before any has been counted here. */
  static final double DEFAULT_SECONDS = 300;

  static String valgrindVersion() {
    try {
      return ShortCommand.run(List.of("valgrind", "--version"), null, ShortCommand.Streams.BOTH, Duration.ofSeconds(60))
          .orElseThrow(() -> new IllegalStateException("valgrind --version did not answer within 60 s")).output().trim();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("counting runs under Valgrind, which is not installed: apt-get install valgrind", e);
    }
  }
}
