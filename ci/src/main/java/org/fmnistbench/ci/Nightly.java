package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.ci.replay.WorkflowReplay;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.MergeRule;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.GateResult;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.results.RunFolder;
import org.fmnistbench.variants.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The nightly job's Java side (ci/nightly runs the suite's build, then {@code run}, see {@link NightlyRun}): appends a benchmark run
 * and the gate's results to the history, compares them with the recent history of the same
 * machine and backend, exports, and regenerates the dashboard. Exits 1 when anything
 * regressed, after printing which benchmark, by how much and with what confidence.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
    subcommands = {Nightly.Record.class, Nightly.Import.class, Nightly.Render.class, Nightly.Calibrate.class,
        Nightly.PreviousBuild.class, Nightly.Counts.class, Nightly.Machine.class,
        Nightly.Replay.class, NightlyRun.class},
    description = "Results history, regression detection and dashboard.")
public final class Nightly {
  public static void main(String[] args) {
    System.exit(Cli.IN_PROCESS.execute(List.of(args)));
  }

  /** Runs a subcommand and gives its exit status: a failure that is not a verdict (bad input, I/O) exits 2. */
  interface Cli {
    Cli IN_PROCESS = args -> {
      CommandLine cli = new CommandLine(new Nightly());
      cli.setExecutionExceptionHandler((ex, c, p) -> {
        c.getErr().println("nightly: " + ex.getMessage());
        return 2;
      });
      return cli.execute(args.toArray(String[]::new));
    };

    int execute(List<String> args);
  }

  /** A run folder's CPU metadata, which names its machine and backend; the error says what the folder is not. */
  static Path cpuMetadata(Path results) {
    Path meta = new RunFolder(results).metadata(RunFolder.CPU);
    if (!Files.isRegularFile(meta)) {
      throw new IllegalArgumentException(results + " has no metadata-cpu.json: not a bench driver run folder with a CPU run");
    }
    return meta;
  }

  /** Options shared by the subcommands. */
  static class Common {
    @Option(names = "--history", description = "History folder (default ${DEFAULT-VALUE}).")
    Path history = Path.of("ci/history");

    @Option(names = "--dashboard", description = "Dashboard output folder (default ${DEFAULT-VALUE}).")
    Path dashboard = Path.of("ci/out/dashboard");

    void render() throws IOException {
      Dashboard.write(new History(history), ArticleFigures.read(Repo.baselinesDir()), dashboard);
      System.out.println("Dashboard: " + dashboard.resolve(Dashboard.HTML).toAbsolutePath());
    }
  }

  @Command(name = "record", mixinStandardHelpOptions = true,
      description = "Append a benchmark run folder (and gate results) to the history, detect regressions, render.")
  static final class Record extends Common implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "A run folder written by the bench driver (jmh-<backend>.json, metadata-<backend>.json).")
    Path results;

    @Option(names = "--gate", description = "Gate results JSON (models/target/gate-results.json); attached to the cpu entry.")
    Path gate;

    @Option(names = "--statistic", description = "A run's figure from its fork means: MEAN, MEDIAN or MIN (default ${DEFAULT-VALUE}; see ci/reports/DETECTOR.md).")
    RegressionDetector.Statistic statistic = RegressionDetector.Thresholds.defaults().statistic();

    @Option(names = "--z", description = "Run-to-run standard deviations a change must exceed (default ${DEFAULT-VALUE}; see ci/reports/DETECTOR.md).")
    double z = RegressionDetector.Thresholds.defaults().z();

    @Option(names = "--min-effect", description = "Smallest relative change reported (default ${DEFAULT-VALUE}).")
    double minEffect = RegressionDetector.Thresholds.defaults().minEffect();

    @Option(names = "--window", description = "Earlier runs of a series compared against (default ${DEFAULT-VALUE}).")
    int window = RegressionDetector.Thresholds.defaults().window();

    @Option(names = "--min-history", description = "Fewest earlier runs a series needs to be judged (default ${DEFAULT-VALUE}).")
    int minHistory = RegressionDetector.Thresholds.defaults().minHistory();

    @Option(names = "--accuracy-drop", description = "Smallest accuracy drop reported, fraction (default ${DEFAULT-VALUE}).")
    double accuracyDrop = RegressionDetector.Thresholds.defaults().accuracyDrop();

    @Option(names = "--canary", description = "Divide each figure by the canary measured beside it before comparing: "
        + "NONE, COMPUTE or MEMORY (default ${DEFAULT-VALUE}; see ci/reports/DETECTOR.md).")
    Canary canary = RegressionDetector.Thresholds.defaults().canary();

    @Option(names = "--dry-run", description = "Judge and print only: append nothing, render nothing (the first look before a confirming re-run).")
    boolean dryRun;

    @Option(names = "--rerun-args", description = "Write here the Maven properties (-Dbench.variants=... and so on) that measure "
        + "again the points judged slower; an empty file when none was.")
    Path rerunArgs;

    @Option(names = "--confirm", description = "A run folder measuring the flagged points again: a slower figure stays a "
        + "regression only if it is slower there too (else UNCONFIRMED, recorded but not failing the job).")
    Path confirm;

    @Option(names = "--interleaved", description = "A 'BenchDriver interleave' comparison of this build with the previous one "
        + "(its result folder): it decides every point it measured, a regression only if it calls the point slower.")
    Path interleaved;

    @Option(names = "--interleaved-canary", description = "What the comparison's forks are divided by before a round's "
        + "ratio is taken: NONE, COMPUTE or MEMORY (default ${DEFAULT-VALUE}: the change under test can move the canary; "
        + "ci/reports/DETECTOR.md, \"The canary's role\").")
    Canary interleavedCanary = InterleavedResults.DEFAULT_CANARY;

    @Option(names = "--interleave-args", description = "Write here the 'BenchDriver interleave' options (--variants ... "
        + "--configs ...) that measure the points to judge beside the previous build; an empty file when there are none.")
    Path interleaveArgs;

    @Option(names = "--interleave-scope", description = "Which points --interleave-args names: FLAGGED (the points judged "
        + "slower), TRAINING (those and every training step of the night) or SENTINELS (those and the --sentinels, every "
        + "night; see ci/reports/DETECTOR.md) (default ${DEFAULT-VALUE}).")
    Scope interleaveScope = Scope.FLAGGED;

    @Option(names = "--sentinels", split = ",", description = "The series the SENTINELS scope measures beside the previous "
        + "build every night, flagged or not (default ${DEFAULT-VALUE}: the training steps whose round spread DETECTOR.md "
        + "measured smallest, so a 10 % slowdown of them is caught in a night's time).")
    List<String> sentinels = DEFAULT_SENTINELS;

    @Option(names = "--interleave-rounds", description = "The rounds --interleave-args asks for (default: the scope's, "
        + "8, or " + SENTINEL_ROUNDS + " for SENTINELS: what DETECTOR.md found a 10 % slowdown of them needs).")
    Integer interleaveRounds;

    @CommandLine.Mixin
    ChangeOptions change;

    @Option(names = "--change-min-effect", description = "Smallest change of a series' level reported as a change point "
        + "(default ${DEFAULT-VALUE}); wall-time change points are reported and marked on the dashboard, not failing the job.")
    double changeMinEffect = DEFAULT_CHANGE_MIN_EFFECT;

    /** Which CPU points are measured beside the previous build, and in how many rounds by default. */
    enum Scope {
      FLAGGED(8), TRAINING(8), SENTINELS(SENTINEL_ROUNDS);

      final int rounds;

      Scope(int rounds) {
        this.rounds = rounds;
      }
    }

    /** What the night's result labels gave: every finding, the change points, and the points to measure again. */
    private record Night(List<RegressionDetector.Finding> findings, List<ChangePointDetector.Finding> changePoints,
        List<BenchResults.Point> slower, List<BenchResults.Point> toInterleave) {
      Night() {
        this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      }
    }

    @Override
    public Integer call() throws IOException {
      if (confirm != null && interleaved != null) {
        throw new IllegalArgumentException("--confirm and --interleaved both judge the flagged points again; give one");
      }
      Map<String, InterleavedResults.Comparison> beside = interleaved == null ? Map.of()
          : InterleavedResults.byKey(InterleavedResults.analyse(interleaved, interleavedCanary));
      History h = new History(history);
      RegressionDetector detector = new RegressionDetector(
          new RegressionDetector.Thresholds(statistic, z, minEffect, window, minHistory, accuracyDrop, canary));
      List<String> labels = new RunFolder(results).labels();
      if (labels.isEmpty()) {
        throw new IllegalArgumentException(results + " has no jmh-<backend>.json: not a bench driver run folder");
      }
      Night night = new Night();
      for (String label : labels) {
        judge(label, h, detector, beside, night);
      }
      if (rerunArgs != null) {
        AtomicFiles.writeString(rerunArgs, rerunProperties(night.slower(), backendsOf(labels)));
      }
      if (interleaveArgs != null) {
        AtomicFiles.writeString(interleaveArgs, interleaveOptions(night.toInterleave(),
            interleaveRounds != null ? interleaveRounds : interleaveScope.rounds));
      }
      if (!dryRun) {
        render();
      }
      return verdict(night);
    }

    /**
     * One result label's figures judged against the history before it; on a first look, the points
     * to measure again are noted, otherwise the run is appended with what was said of it.
     */
    private void judge(String label, History h, RegressionDetector detector,
        Map<String, InterleavedResults.Comparison> beside, Night night) throws IOException {
      RunFolder folder = new RunFolder(results);
      Path jmh = folder.jmh(label);
      Path meta = folder.metadata(label);
      Optional<Path> gateFile = label.equals("cpu") ? Optional.ofNullable(gate).filter(Files::isRegularFile) : Optional.empty();
      // judged against the history before it is appended, so the entry keeps what was said of it
      List<History.Entry> before = h.before(h.placeOf(meta));
      List<Map<String, BenchResults.Point>> past = new ArrayList<>();
      List<List<GateResult>> pastGates = new ArrayList<>();
      for (History.Entry e : before) {
        past.add(BenchResults.read(e.jmh()));
        if (e.gate().isPresent()) {
          pastGates.add(GateResult.read(e.gate().get()));
        }
      }
      Map<String, BenchResults.Point> now = BenchResults.read(jmh);
      List<RegressionDetector.Finding> these = new ArrayList<>(detector.compareTimes(now, past));
      if (confirm != null) {
        Map<String, BenchResults.Point> again = confirmRun(confirm, label);
        these.replaceAll(f -> detector.confirmIfMeasured(f, again));
      }
      if (label.startsWith("cpu")) { // the interleaved comparison measures this machine's CPU; CUDA keys are the same
        these.replaceAll(f -> detector.judgeBeside(f, beside.get(f.key())));
      }
      if (gateFile.isPresent()) {
        these.addAll(detector.compareAccuracy(GateResult.read(gateFile.get()), pastGates));
      }
      night.findings().addAll(these);
      if (dryRun) {
        noteWhatToMeasureAgain(label, now, these, night);
        return;
      }
      List<ChangePointDetector.Finding> moved = detector.changePoints(before, past, now, h.placeOf(meta).id(), these,
          change.detector(), changeMinEffect);
      night.changePoints().addAll(moved);
      List<RecordedFinding> recorded = new ArrayList<>(these.stream()
          .filter(f -> f.verdict() != RegressionDetector.Verdict.UNCHANGED).map(RecordedFinding::of).toList());
      moved.forEach(c -> recorded.add(RecordedFinding.of(c, canary.unit())));
      History.Entry entry = h.append(jmh, meta, gateFile, recorded);
      System.out.println("History: added " + entry.dir());
      Exports.githubActionBenchmark(now, entry.backend(), results.resolve("github-action-benchmark-" + label + ".json"));
    }

    /** A first look's choice: the slower points, and on this machine's CPU those the interleave scope adds. */
    private void noteWhatToMeasureAgain(String label, Map<String, BenchResults.Point> now,
        List<RegressionDetector.Finding> these, Night night) {
      List<BenchResults.Point> slower = night.slower();
      these.stream().filter(f -> f.verdict() == RegressionDetector.Verdict.REGRESSION && !f.key().startsWith("accuracy/"))
          .forEach(f -> slower.add(now.get(f.key())));
      if (!label.startsWith("cpu")) { // the comparison runs on this machine's CPU only
        return;
      }
      now.values().stream().filter(p -> slower.contains(p)
              || interleaveScope == Scope.TRAINING && p.benchmark().equals("trainStep")
              || interleaveScope == Scope.SENTINELS && sentinels.contains(p.key()))
          .forEach(night.toInterleave()::add);
      if (interleaveScope == Scope.SENTINELS) {
        sentinels.stream().filter(k -> !now.containsKey(k)).forEach(k -> System.out.println("nightly: sentinel " + k
            + " was not measured tonight (see -Dbench.variants, engines, configs), so it is not judged beside the "
            + "previous build"));
      }
    }

    /** Prints what the night found; 1 when a regression stands, else 0 (always 0 on a first look). */
    private int verdict(Night night) {
      List<RegressionDetector.Finding> findings = night.findings();
      List<RegressionDetector.Finding> regressions = findings.stream()
          .filter(f -> f.verdict() == RegressionDetector.Verdict.REGRESSION).toList();
      System.out.println();
      System.out.println("Compared " + findings.size() + " figures with up to " + window + " earlier runs of the same machine and backend"
          + (canary == Canary.NONE ? "" : ", each divided by its " + canary.metric())
          + (interleaved == null ? "" : "; beside the previous build in " + interleaved + (interleavedCanary == Canary.NONE ? ""
              : ", each fork's iterations divided by its " + interleavedCanary.metric()))
          + ":");
      for (RegressionDetector.Finding f : findings) {
        if (f.verdict() != RegressionDetector.Verdict.UNCHANGED) {
          System.out.println("  " + f.describe());
        }
      }
      if (dryRun) {
        // a first look: the caller decides what to measure again; only the final judgement fails
        System.out.println(regressions.size() + " slower or failing on this first look; nothing appended to " + history + ".");
        return 0;
      }
      if (!night.changePoints().isEmpty()) {
        System.out.println("Change points over the history (E-divisive over the last " + change.window + " runs, new within the last "
            + change.recent + ", at least " + Math.round(changeMinEffect * 100) + " %; reported, not failing: see docs/nightly.md):");
        night.changePoints().forEach(c -> System.out.println("  " + c.describe(canary.unit())));
      }
      if (regressions.isEmpty()) {
        System.out.println("No regression.");
        return 0;
      }
      System.out.println(regressions.size() + " REGRESSION(S):");
      regressions.forEach(f -> System.out.println("  " + f.describe()));
      return 1;
    }
  }

  /** The confirming run's points for one result label (jmh-cpu.json: "cpu"), none if it did not measure that backend. */
  private static Map<String, BenchResults.Point> confirmRun(Path confirm, String label) throws IOException {
    if (!Files.isDirectory(confirm)) {
      throw new IllegalArgumentException("--confirm " + confirm + " is not a run folder");
    }
    Path again = new RunFolder(confirm).jmh(label);
    return Files.isRegularFile(again) ? BenchResults.read(again) : Map.of();
  }

  /** The backends of a run's result labels (cpu, cpu@default_format-nhwc: cpu). */
  private static List<String> backendsOf(List<String> labels) {
    return labels.stream().map(RunFolder::backendOf).distinct().toList();
  }

  /**
   * Maven properties for {@code ci/nightly} that measure {@code points} again with -Pbench: every
   * variant, engine, benchmark, batch size and configuration among them (a superset when several
   * differ in more than one; only the flagged series are judged), on {@code backends}. Empty when
   * there is nothing to measure again.
   */
  static String rerunProperties(List<BenchResults.Point> points, List<String> backends) {
    if (points.isEmpty()) {
      return "";
    }
    Function<Function<BenchResults.Point, String>, String> union =
        f -> points.stream().map(f).distinct().sorted().collect(Collectors.joining(","));
    ExperimentPlan plan = ExperimentPlan.defaults().with(ExperimentPlan.VARIANTS, union.apply(BenchResults.Point::variant))
        .with(ExperimentPlan.ENGINES, union.apply(BenchResults.Point::engine))
        .with(ExperimentPlan.BENCHMARKS, union.apply(p -> p.benchmark().equals("trainStep") ? "train" : p.benchmark()))
        .with(ExperimentPlan.BATCH_SIZES, union.apply(p -> String.valueOf(p.batchSize())))
        .with(ExperimentPlan.BACKENDS, String.join(",", backends))
        .with(ExperimentPlan.CONFIGS, points.stream().map(BenchResults.Point::runtime).distinct().sorted()
            .collect(Collectors.joining(";")));
    return plan.toProperties() + "\n";
  }

  /**
   * {@code BenchDriver interleave}'s options that measure exactly {@code points} (CPU only): not
   * the product of their variants, engines and benchmarks, so that one flagged point does not
   * bring the others of that product along, and the Holm family is these points.
   */
  static String interleaveOptions(List<BenchResults.Point> points, int rounds) {
    if (points.isEmpty()) {
      return "";
    }
    return "--rounds " + rounds + " --points " + points.stream().map(BenchResults.Point::key).distinct().sorted()
        .collect(Collectors.joining(";")) + "\n";
  }

  /** Where the change-point check over each series' history looks (`Nightly record` and `Nightly counts`). */
  static final class ChangeOptions {
    @Option(names = "--change-window", description = "The newest runs of each series searched for change points "
        + "(E-divisive; default ${DEFAULT-VALUE}).")
    int window = ChangePointDetector.Thresholds.DEFAULT.window();

    @Option(names = "--change-recent", description = "How many of the newest runs a change point must lie in to be news "
        + "(default ${DEFAULT-VALUE}).")
    int recent = ChangePointDetector.Thresholds.DEFAULT.recent();

    ChangePointDetector detector() {
      return new ChangePointDetector(new ChangePointDetector.Thresholds(window, recent, ChangePointDetector.Thresholds.DEFAULT.search()));
    }
  }

  /** The smallest wall-time level change reported: half the night-to-night check's 10 %, so creep shows before it adds up. */
  static final double DEFAULT_CHANGE_MIN_EFFECT = 0.05;

  /**
   * The SENTINELS scope's points: the layer API's cnn and cnn3 training steps in the default
   * configuration, the training steps whose interleaved rounds spread least (DETECTOR.md), so
   * that comparing them every night catches a 10 % slowdown in about 40 minutes (DETECTOR.md, "Sentinels").
   */
  static final List<String> DEFAULT_SENTINELS = List.of("trainStep/cnn/layer-api/default/b32",
      "trainStep/cnn3/layer-api/default/b32");

  /**
   * Rounds of the SENTINELS scope: enough for 90 % of 10 % slowdowns judged on the figures alone
   * (no canary), measured by resampling their recorded rounds (InterleavedPowerTest; DETECTOR.md
   * predicts it from their spread). 18 sufficed while the canary was divided out.
   */
  static final int SENTINEL_ROUNDS = 22;

  @Command(name = "calibrate", mixinStandardHelpOptions = true,
      description = "Replay a stability experiment's A/A runs as nightly histories and write ci/reports/DETECTOR.md: "
          + "false alarms per night and detection of injected slowdowns for a grid of detector settings.")
  static final class Calibrate implements Callable<Integer> {
    @Parameters(paramLabel = "EXPERIMENT", arity = "1..*", description = "Stability experiments' folders (run1-jmh-cpu.json, "
        + "run2-...), e.g. benchmarks/reports/<run>/; the runs of several are pooled, in the order given.")
    List<Path> experiments;

    @Option(names = "--out", description = "The document (default ${DEFAULT-VALUE}).")
    Path out = DEFAULT_OUT;

    static final Path DEFAULT_OUT = Path.of("ci/reports/DETECTOR.md");

    @Option(names = "--interleaved", split = ",", description = "'BenchDriver interleave' result folders (a build with "
        + "itself, or with --candidate-slowdown): the document adds what judging beside the previous build reached on them.")
    List<Path> interleaved = List.of();

    @Override
    public Integer call() throws IOException {
      List<Map<String, BenchResults.Point>> runs = new ArrayList<>();
      for (Path experiment : experiments) {
        int before = runs.size();
        for (int r = 1; Files.isRegularFile(experiment.resolve("run" + r + "-jmh-cpu.json")); r++) {
          runs.add(BenchResults.read(experiment.resolve("run" + r + "-jmh-cpu.json")));
        }
        if (runs.size() == before) {
          throw new IllegalArgumentException(experiment + " holds no A/A run (run<N>-jmh-cpu.json): not a stability experiment's folder");
        }
      }
      if (runs.size() < 3) {
        throw new IllegalArgumentException(experiments + " hold " + runs.size() + " A/A runs; calibration needs at least 3 "
            + "(one night, two of history)");
      }
      String experiment = experiments.stream().map(Path::toString).collect(Collectors.joining(" "))
          + (interleaved.isEmpty() ? "" : " --interleaved " + interleaved.stream().map(Path::toString).collect(Collectors.joining(",")))
          + (out.equals(DEFAULT_OUT) ? "" : " --out " + out);
      RegressionDetector.Thresholds defaults = RegressionDetector.Thresholds.defaults();
      List<DetectorCalibration.Replay> replays = DetectorCalibration.replays(runs, defaults.minHistory());
      // the canary settings these runs allow: dividing by a canary needs it in every run
      List<Canary> canaries = Arrays.stream(Canary.values())
          .filter(c -> runs.stream().allMatch(r -> RegressionDetector.measuredIn(c, r))).toList();
      if (!canaries.contains(defaults.canary())) {
        throw new IllegalArgumentException(experiment + ": the default detector divides by " + defaults.canary()
            + ", which these runs did not measure");
      }
      List<DetectorCalibration.Replay> confirmed = DetectorCalibration.confirmedReplays(runs, defaults.minHistory());
      int suitePoints = 2 * 2 * Variant.suite().size();
      StringBuilder md = new StringBuilder("# Nightly regression detector: false alarms and detection, measured\n\n")
          .append("Generated by `java -cp \"ci/target/classes:$(cat ci/target/classpath.txt)\" org.fmnistbench.ci.Nightly calibrate ")
          .append(experiment).append("` (do not edit by hand; rerun it).\n\n")
          .append("The detector (`RegressionDetector`): each series' figure (a statistic of its fork means; with a canary, of the ")
          .append("iterations divided by the canary measured after each) against the median of ")
          .append("its last runs; a change is called when it exceeds both `min effect` and `z` times the history's ")
          .append("run-to-run standard deviation (never below the night's median spread for that benchmark), scaled by ")
          .append("sqrt(1 + 1/runs) for the baseline's own uncertainty. Targets: at most 1 false-alarm night in 20, and at ")
          .append("least 90 % of 10 % training-step slowdowns caught.\n\n")
          .append(experiments.size() > 1 ? "The runs of the " + experiments.size() + " experiments are pooled in the order "
              + "given, so a night's history can hold runs of another day, as a nightly history does; runs of different "
              + "days drift apart more than the runs of one.\n\n" : "")
          .append(table(defaults, replays, canaries, runs, suitePoints));
      md.append("\n## With a confirming re-run\n\n`ci/nightly` measures a slower figure again in fresh JVMs before it fails the job; ")
          .append("the regression stands only if the re-run is slower than the same baseline by the same limit. Replayed with ")
          .append("one A/A run as the night, another as its re-run (slowed by the same factor where a slowdown is injected) ")
          .append("and the rest as history. A real re-run follows its night within the hour, and the machine's drift lasts ")
          .append("minutes to hours (STABILITY.md), so it shares more of the night's state than a replayed one: read these ")
          .append("false-alarm rates as a lower bound.\n\n");
      if (confirmed.isEmpty()) {
        md.append(String.format(Locale.ROOT, "Not measured: that needs at least %d A/A runs (a night, its re-run and "
            + "%d of history); there are %d.%n", defaults.minHistory() + 2, defaults.minHistory(), runs.size()));
      } else {
        md.append(table(defaults, confirmed, canaries, runs, suitePoints));
      }
      if (!interleaved.isEmpty()) {
        md.append(InterleavedCalibration.markdown(interleaved, suitePoints / 2, DEFAULT_SENTINELS, SENTINEL_ROUNDS));
      }
      AtomicFiles.writeString(out, md.toString());
      System.out.println("Wrote " + out);
      return 0;
    }
  }

  /** The grid's table over {@code replays}, then what the defaults did on them (their row, evaluated apart when off the grid). */
  private static String table(RegressionDetector.Thresholds defaults, List<DetectorCalibration.Replay> replays,
      List<Canary> canaries, List<Map<String, BenchResults.Point>> runs, int suitePoints) {
    List<DetectorCalibration.Outcome> outcomes = grid(defaults, replays, canaries);
    DetectorCalibration.Outcome chosen = outcomes.stream().filter(o -> o.thresholds().equals(defaults)).findFirst()
        .orElseGet(() -> DetectorCalibration.evaluate(defaults, replays));
    return DetectorCalibration.markdown(outcomes, defaults, runs.size(), runs.get(0).size(), suitePoints)
        + defaultsLine(defaults, chosen);
  }

  /** What the defaults did on the replays, in a sentence. */
  private static String defaultsLine(RegressionDetector.Thresholds d, DetectorCalibration.Outcome o) {
    return String.format(Locale.ROOT, "%nThe defaults (bold: canary %s, statistic %s, z %.1f, min effect %.0f %%, window "
        + "%d, at least %d earlier runs) on these replays: %d of %d runs raised a false regression as the night against the "
        + "full history of the others (upper bound %.0f %% of nights, over the runs), %d of %d replays; %d of %d "
        + "figures; 10 %% training slowdowns caught in %.0f %% of figures, 20 %% in %.0f %%, 50 %% in %.0f %%.%n",
        d.canary(), d.statistic(), d.z(), 100 * d.minEffect(), d.window(), d.minHistory(), o.falseAlarmRuns(), o.nightRuns(),
        100 * o.falseAlarmRunUpper(), o.falseAlarmNights(), o.nights(), o.falseAlarms(), o.comparisons(),
        100 * o.trainingDetectedAt(0.10),
        100 * o.trainingDetectedAt(0.20), 100 * o.trainingDetectedAt(0.50));
  }

  /** Every setting of the calibration grid (canary x statistic x z x minimum effect) over {@code replays}. */
  private static List<DetectorCalibration.Outcome> grid(RegressionDetector.Thresholds defaults, List<DetectorCalibration.Replay> replays,
      List<Canary> canaries) {
    List<DetectorCalibration.Outcome> outcomes = new ArrayList<>();
    for (Canary c : canaries) {
      for (RegressionDetector.Statistic s : RegressionDetector.Statistic.values()) {
        for (double z : new double[] {2, 3, 4, 6, 7}) {
          for (double m : new double[] {0.03, 0.05, 0.10, 0.15}) {
            outcomes.add(DetectorCalibration.evaluate(defaults.withCanary(c).withStatistic(s).withZ(z).withMinEffect(m), replays));
          }
        }
      }
    }
    return outcomes;
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Merge another machine's history (e.g. a GPU box's ci/history), wall time and counts, into this "
          + "one, then render.")
  static final class Import extends Common implements Callable<Integer> {
    @Parameters(paramLabel = "OTHER_HISTORY", description = "The other history folder.")
    Path other;

    @Option(names = "--keep", description = "When an entry differs from ours under the same machine, backend and id: "
        + "ours or theirs (default: refuse and change nothing, showing both).")
    String keep = "neither";

    @Override
    public Integer call() throws IOException {
      if (!Files.isDirectory(other)) {
        throw new IllegalArgumentException(other + " is not a history folder");
      }
      var outcome = new History(history).importFrom(new History(other), MergeRule.Keep.byId(keep));
      System.out.println("Imported from " + other + ": " + outcome.summary());
      render();
      return 0;
    }
  }

  @Command(name = "previous-build", mixinStandardHelpOptions = true,
      description = "Print the commit of the newest history entry of this run's machine and backend (the build an "
          + "interleaved comparison measures beside this one); nothing, with the reason on stderr, when there is none to build.")
  static final class PreviousBuild extends Common implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "The night's run folder (its metadata-cpu.json names machine and backend).")
    Path results;

    @Override
    public Integer call() throws IOException {
      commit(results, history).ifPresent(System.out::println);
      return 0;
    }

    /** The commit of the newest earlier run of {@code results}' machine and backend; empty, saying why on stderr, when none can be built. */
    static Optional<String> commit(Path results, Path history) throws IOException {
      Path meta = cpuMetadata(results);
      History h = new History(history);
      List<History.Entry> before = h.before(h.placeOf(meta));
      if (before.isEmpty()) {
        System.err.println("previous-build: no earlier run of this machine in " + history);
        return Optional.empty();
      }
      String commit = before.get(before.size() - 1).commit();
      if (commit.endsWith("-dirty") || commit.startsWith("unknown")) {
        System.err.println("previous-build: the newest earlier run was measured from " + commit + ", which cannot be built again");
        return Optional.empty();
      }
      return Optional.of(commit);
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Run a workflow's jobs on this machine as GitHub would (ci/replay/WorkflowReplay), against a bare "
          + "repository playing GitHub's; exits 1 unless every job succeeded. docs/fleet.md: proving a workflow.")
  static final class Replay implements Callable<Integer> {
    @Option(names = "--origin", required = true, description = "Bare repository the workflow runs against (it is pushed to).")
    Path origin;

    @Option(names = "--workflow", description = "Workflow file in the repository (default ${DEFAULT-VALUE}).")
    String workflow = ".github/workflows/nightly.yml";

    @Option(names = "--event", description = "Triggering event: schedule or workflow_dispatch (default ${DEFAULT-VALUE}).")
    String event = "schedule";

    @Option(names = "--scratch", required = true, description = "Folder for the runners, artifacts and caches.")
    Path scratch;

    @Option(names = "--var", description = "A repository variable, NAME=VALUE (repeatable).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--input", description = "A workflow_dispatch input, NAME=VALUE (repeatable).")
    Map<String, String> inputs = new LinkedHashMap<>();

    @Override
    public Integer call() {
      var replay = new WorkflowReplay(origin, scratch, vars, System.out);
      var run = replay.run(workflow, event, inputs);
      boolean ok = run.jobs().keySet().stream().allMatch(j -> run.result(j).equals("success"));
      System.out.println((ok ? "every job succeeded: " : "not every job succeeded: ") + run.summary()
          + "; logs in " + scratch.resolve("runs"));
      return ok ? 0 : 1;
    }
  }

  @Command(name = "machine", mixinStandardHelpOptions = true,
      description = "Print the machine id the history files a run folder's CPU run under (CPU model and cores).")
  static final class Machine extends Common implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "A bench driver run folder with metadata-cpu.json.")
    Path results;

    @Override
    public Integer call() throws IOException {
      System.out.println(new History(history).placeOf(cpuMetadata(results)).machine());
      return 0;
    }
  }

  @Command(name = "dashboard", mixinStandardHelpOptions = true, description = "Regenerate the dashboard from the history.")
  static final class Render extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      render();
      return 0;
    }
  }

  @Command(name = "counts", mixinStandardHelpOptions = true,
      description = "Append a counting run (BenchDriver count) to the history, judge each point's count against the "
          + "previous build or the history, name the functions that moved, render.")
  static final class Counts extends Common implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "Tonight's counting run folder (counts-<jit>.json).")
    Path results;

    @Option(names = "--previous", description = "The previous build's counting run of the same points, counted tonight "
        + "on this machine (BenchDriver count --classpath <its jar>); without it, the history's newest counts.")
    Path previous;

    @Option(names = "--aa", description = "The A/A counting runs whose spreads set the thresholds (default ${DEFAULT-VALUE}).")
    Path aa = Path.of("benchmarks/reports/counts-data");

    @Option(names = "--min-effect", description = "Smallest relative change called (default ${DEFAULT-VALUE}).")
    double minEffect = CountDetector.Thresholds.DEFAULT.minEffect();

    @Option(names = "--spreads", description = "A/A standard deviations a change must exceed (default ${DEFAULT-VALUE}).")
    double spreads = CountDetector.Thresholds.DEFAULT.spreads();

    @Option(names = "--no-dashboard", description = "Do not render the dashboard.")
    boolean noDashboard;

    @CommandLine.Mixin
    ChangeOptions change;

    @Override
    public Integer call() throws IOException {
      List<CountResults> aaRuns = new ArrayList<>();
      for (Path f : CountResults.filesIn(aa, 2)) {
        aaRuns.add(CountResults.read(f));
      }
      List<Path> files = CountResults.filesIn(results, 1);
      if (files.isEmpty()) {
        throw new IllegalArgumentException(results + " has no counts-<jit>.json: not a 'BenchDriver count' run folder");
      }
      CountHistory h = new CountHistory(history);
      boolean regressed = false;
      for (Path f : files) {
        CountResults tonight = CountResults.read(f);
        Optional<CountResults> before = Optional.empty();
        if (previous != null) {
          Path same = previous.resolve(f.getFileName());
          if (!Files.isRegularFile(same)) {
            throw new IllegalArgumentException(previous + " has no " + f.getFileName() + " to compare with");
          }
          before = Optional.of(CountResults.read(same));
        }
        CountDetector detector = new CountDetector(new CountDetector.Thresholds(minEffect, spreads), aaRuns,
            tonight.setting().jit());
        ChangePointDetector changePoints = change.detector();
        CountHistory.Entry place = h.placeOf(tonight);
        List<CountDetector.Finding> findings = new ArrayList<>(detector.judge(tonight, h.before(place), before));
        findings.addAll(detector.changePoints(tonight, place.id(), h.before(place), findings, changePoints));
        h.append(tonight, findings);
        Exports.githubActionBenchmarkCounts(tonight, results.resolve("github-action-benchmark-counts-"
            + tonight.setting().jit() + ".json"));
        for (CountDetector.Finding x : findings) {
          if (x.verdict() != CountDetector.Verdict.UNCHANGED) {
            System.out.println("counts: " + x.verdict() + " " + x.message());
          }
          regressed |= x.verdict() == CountDetector.Verdict.REGRESSION
              || x.verdict() == CountDetector.Verdict.CHANGE_POINT && x.change() > 0;
        }
        long unchanged = findings.stream().filter(x -> x.verdict() == CountDetector.Verdict.UNCHANGED).count();
        System.out.printf(Locale.ROOT, "counts: %d points, %d unchanged within their limits (%s, JIT %s)%n",
            tonight.points().size(), unchanged, tonight.setting().cpu(), tonight.setting().jit());
      }
      if (!noDashboard) {
        render();
      }
      return regressed ? 1 : 0;
    }
  }
}
