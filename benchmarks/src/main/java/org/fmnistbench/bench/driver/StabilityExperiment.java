package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.InferenceBenchmarks;
import org.fmnistbench.bench.Precision;
import org.fmnistbench.bench.TrainStepBenchmarks;
import org.fmnistbench.bench.report.Documents;
import org.fmnistbench.bench.report.StabilityReport;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.results.RunFolder;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.results.StabilityDesign;
import org.fmnistbench.runtime.RuntimeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The A/A experiment behind STABILITY.md: the suite's own training-step and inference
 * measurement repeated on unchanged code, {@code --runs} times one after another, each run a JMH
 * invocation of {@code --forks} fresh JVMs per point. Every run's JMH JSON and metadata (with the
 * machine's activity during the run) is kept; an interrupted experiment resumes with
 * {@code --resume DIR}, measuring only the runs it lacks (a larger {@code --runs} extends it), and
 * {@code --analyse DIR} regenerates the document from the kept JSON without measuring.
 */
@Command(name = "stability", mixinStandardHelpOptions = true,
    description = "Repeat the suite's measurement on unchanged code (A/A) and write benchmarks/reports/STABILITY.md: "
        + "variance by level (iterations, forks, runs), coverage, and the repetition counts that reach the precision targets.")
public final class StabilityExperiment implements Callable<Integer> {
  static final String DEFAULT_VARIANTS = "mlp,cnn,cnn3,cnn4";
  static final String QUICK_PREFIX = "quick-";

  @CommandLine.Mixin
  BenchDriver.JmhOptions options;

  @CommandLine.Mixin
  ReportCommands.ReportOptions report;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs", description = "Runs of the whole set, one after another (default ${DEFAULT-VALUE}).")
  int runs = 4;

  @Option(names = "--resume", description = "An interrupted experiment's result folder: measure only its missing runs "
      + "(with a larger --runs, extend it).")
  Path resume;

  @Option(names = "--quick-run", description = "A suite run at the quick level (mvn -B verify -Pbench's result folder): "
      + "kept beside the experiment, and STABILITY.md says what that level reached.")
  Path quickRun;

  @Option(names = "--analyse", description = "A finished experiment's result folder: regenerate the document, measure nothing.")
  Path analyse;

  @Override
  public Integer call() throws Exception {
    Path runDir;
    if (analyse != null || resume != null) {
      runDir = analyse != null ? analyse : resume;
      // --runs with --resume extends the experiment; with --analyse it would be ignored
      BenchDriver.refuseBesideKeptDesign(spec, runDir, analyse != null
          ? Stream.concat(BenchDriver.DESIGNED_PLAN_OPTIONS.stream(), Stream.of("--runs")).toList()
          : BenchDriver.DESIGNED_PLAN_OPTIONS);
      int asked = runs;
      StabilityDesign d = StabilityDesign.read(runDir);
      useDesign(d);
      if (resume != null && spec.commandLine().getParseResult().hasMatchedOption("--runs") && asked != runs) {
        if (asked < runs) {
          throw new IllegalArgumentException("--runs " + asked + " with --resume would drop runs of " + runDir + " (it has "
              + runs + "); give more runs to extend it, or none");
        }
        runs = asked; // extends the experiment: later runs are measured after a gap, which the report shows
        d.withRuns(runs).write(runDir);
      }
    } else {
      applyDefaults();
      if (runs < 2) {
        throw new IllegalArgumentException("--runs must be at least 2 (the runs level needs two), got " + runs);
      }
      if (options.plan.get(ExperimentPlan.FORKS) < 2 || options.plan.get(ExperimentPlan.ITERATIONS) < 2) {
        throw new IllegalArgumentException("--forks and --iterations must be at least 2 for the variance levels");
      }
      runDir = BenchDriver.newRunDir(report.out);
      design().write(runDir);
    }
    if (analyse == null) {
      measure(runDir);
    }
    return analyseInto(runDir);
  }

  /** The experiment's defaults where the shared options were not given: the precise level's shape, which the nightly runs. */
  private void applyDefaults() {
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (!given.hasMatchedOption("--variants")) {
      options.set(ExperimentPlan.VARIANTS, DEFAULT_VARIANTS);
    }
    if (!given.hasMatchedOption("--engines")) {
      options.set(ExperimentPlan.ENGINES, String.join(",", options.engineList())); // spelled out for the report and --resume
    }
    options.fillFrom(Precision.PRECISE);
  }

  /** The design of a new experiment: the plan with every count spelled out. */
  private StabilityDesign design() {
    ExperimentPlan p = options.plan;
    return new StabilityDesign(p.text(ExperimentPlan.VARIANTS), p.text(ExperimentPlan.ENGINES),
        p.text(ExperimentPlan.BATCH_SIZES), runs, p.get(ExperimentPlan.FORKS), p.get(ExperimentPlan.ITERATIONS),
        p.get(ExperimentPlan.TIME), p.get(ExperimentPlan.WARMUP_ITERATIONS), p.get(ExperimentPlan.WARMUP_TIME), null);
  }

  /** Measures what a recorded design says (a resumed experiment measures as it began). */
  private void useDesign(StabilityDesign d) {
    options.measureAsDesigned(d.variants(), d.engines(), d.batchSizes(), d.forks(), d.iterations(), d.iterationSeconds(),
        d.warmupIterations(), d.warmupSeconds());
    runs = d.runs();
  }

  private static Path runFile(Path dir, int run, String name) {
    return dir.resolve("run" + run + "-" + name);
  }

  private void measure(Path runDir) throws IOException, InterruptedException {
    List<String> classes = List.of(TrainStepBenchmarks.class.getName(), InferenceBenchmarks.class.getName());
    List<Double> walls = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      if (Files.isRegularFile(runFile(runDir, r, RunFolder.jmhName(RunFolder.CPU)))) {
        continue; // kept from before an interruption
      }
      String eta = walls.isEmpty() ? "" : String.format(Locale.ROOT, ", about %d min left",
          Math.round(walls.stream().mapToDouble(Double::doubleValue).average().orElse(0) * (runs - r + 1) / 60));
      System.out.printf(Locale.ROOT, "stability: run %d of %d%s%n", r, runs, eta);
      Path dir = Files.createDirectories(runDir.resolve("run-" + r));
      List<String> notes = new ArrayList<>();
      long start = System.nanoTime();
      if (BenchDriver.runJmh(dir, Backend.CPU, RuntimeConfig.DEFAULT, classes, options, List.of(), notes).isEmpty()) {
        throw new IOException("run " + r + " failed: " + String.join("; ", notes) + " (resume with --resume " + runDir + ")");
      }
      walls.add(Duration.ofNanos(System.nanoTime() - start).toMillis() / 1e3);
      // metadata first, JMH's JSON last: a run counts as done only once its JSON is in place
      Files.move(dir.resolve(RunFolder.metadataName(RunFolder.CPU)), runFile(runDir, r, RunFolder.metadataName(RunFolder.CPU)));
      Files.move(dir.resolve(RunFolder.jmhName(RunFolder.CPU)), runFile(runDir, r, RunFolder.jmhName(RunFolder.CPU)));
      ReportCommands.moveInto(dir, runDir, "run" + r + "-");
    }
  }

  private int analyseInto(Path runDir) throws IOException {
    List<List<JmhJson.Point>> perRun = new ArrayList<>();
    List<RunMetadata> metadata = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      Path jmh = runFile(runDir, r, RunFolder.jmhName(RunFolder.CPU));
      if (!Files.isRegularFile(jmh)) {
        throw new IllegalArgumentException("run " + r + " of " + runs + " is missing in " + runDir + "; measure it with --resume "
            + runDir);
      }
      perRun.add(JmhJson.read(jmh));
      metadata.add(RunMetadata.read(runFile(runDir, r, RunFolder.metadataName(RunFolder.CPU))));
      walls.add(orNaN(metadata.get(r - 1).activity().wallSeconds()));
    }
    if (quickRun != null) {
      keepQuickRun(runDir);
    }
    StabilityDesign d = StabilityDesign.read(runDir);
    StabilityReport analysis = new StabilityReport(perRun, walls, d.warmupIterations(), d.warmupSeconds());
    String command = "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver stability --variants "
        + d.variants() + " --engines " + d.engines() + " --runs " + runs + " --forks " + d.forks()
        + " --iterations " + d.iterations() + " --time " + d.iterationSeconds() + " --warmup-iterations "
        + d.warmupIterations() + " --warmup-time " + d.warmupSeconds();
    // the commit the runs measured, not the one rendering the document
    String commits = metadata.stream().map(m -> m.suite().commitId().full()).distinct().collect(Collectors.joining("`, `"));
    StringBuilder md = new StringBuilder(Documents.header("Measurement stability (A/A)", command, runDir, commits));
    StringBuilder design = new StringBuilder(String.format(Locale.ROOT,
        "%d runs in sequence (each run's end is below: an experiment extended with --resume has gaps) of the default "
            + "configuration on unchanged code; each run is one JMH invocation "
            + "with %d forks per point, %d warm-up iterations of %d s and %d measured iterations of %d s; batch %s; "
            + "variants %s; engines %s. Per-sample figures (JMH's `samples` metric).%n%n",
        runs, d.forks(), d.warmupIterations(), d.warmupSeconds(), d.iterations(), d.iterationSeconds(),
        d.batchSizes(), d.variants(), d.engines()));
    design.append("Machine activity during each run (from `/proc/stat`; steal is CPU time the hypervisor gave to others, "
            + "others' share the busy time of processes outside the run):\n\n")
        .append("| run | ended | wall, s | load average at start | busy share | others' share | steal share |\n"
            + "|---:|---|---:|---:|---:|---:|---:|\n");
    for (int r = 1; r <= runs; r++) {
      RunMetadata.MachineActivity a = metadata.get(r - 1).activity();
      design.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %s | %s | %s | %s |%n", r,
          Objects.requireNonNullElse(metadata.get(r - 1).collectedAt(), "n/a"), orNaN(a.wallSeconds()),
          a.loadAverage1mAtStart() == null ? "n/a" : a.loadAverage1mAtStart().toString(), percent(a.busyFraction()),
          percent(a.othersBusyFraction()), percent(a.stealFraction())));
    }
    md.append(analysis.markdown(design.toString()));
    Path quickJmh = runDir.resolve(QUICK_PREFIX + RunFolder.jmhName(RunFolder.CPU));
    if (Files.isRegularFile(quickJmh)) {
      RunMetadata quickMeta = RunMetadata.read(runDir.resolve(QUICK_PREFIX + RunFolder.metadataName(RunFolder.CPU)));
      String quickId = d.quickRun() != null ? d.quickRun() : "unknown";
      md.append(analysis.quickLevel(JmhJson.read(quickJmh), quickId,
          orNaN(quickMeta.activity().wallSeconds())));
    }
    Documents.publish(report.reportsDir(), "STABILITY.md", runDir, md.toString());
    analysis.runSpread(runDir.getFileName().toString(), commits, metadata.get(0).cpu().model()).write(report.reportsDir());
    return 0;
  }

  /** Copies a quick-level suite run's JSON into the experiment's folder, so the document and its data travel together. */
  private void keepQuickRun(Path runDir) throws IOException {
    for (String name : List.of(RunFolder.jmhName(RunFolder.CPU), RunFolder.metadataName(RunFolder.CPU))) {
      Path from = quickRun.resolve(name);
      if (!Files.isRegularFile(from)) {
        throw new IllegalArgumentException("--quick-run " + quickRun + " has no " + name + ": not a bench driver run folder");
      }
      AtomicFiles.writeString(runDir.resolve(QUICK_PREFIX + name), Files.readString(from)); // byte for byte, as JMH wrote it
    }
    StabilityDesign.read(runDir).withQuickRun(quickRun.getFileName().toString()).write(runDir);
  }

  private static String percent(Double fraction) {
    return fraction != null ? String.format(Locale.ROOT, "%.1f %%", 100 * fraction) : "n/a";
  }

  private static double orNaN(Double value) {
    return value != null ? value : Double.NaN;
  }
}
