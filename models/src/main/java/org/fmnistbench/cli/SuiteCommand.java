package org.fmnistbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.fmnistbench.baselines.AccuracyBaselines;
import org.fmnistbench.baselines.AccuracyRecord;
import org.fmnistbench.baselines.BaselineMerge;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.baselines.EpochBaselines;
import org.fmnistbench.baselines.EpochRecord;
import org.fmnistbench.baselines.Provenance;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.baselines.ReproductionReport;
import org.fmnistbench.data.DataFileSpec;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.fleet.CampaignPlan;
import org.fmnistbench.fleet.RunCost;
import org.fmnistbench.fleet.RunPlan;
import org.fmnistbench.fleet.Shard;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.MergeRule;
import org.fmnistbench.runtime.MachineActivity;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.training.Continuation;
import org.fmnistbench.training.RunDirs;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.LayerShapes;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The suite's command line: {@code train}, {@code record}, {@code report} and {@code variants}. */
@Command(name = "suite", mixinStandardHelpOptions = true,
    description = "DL4J Fashion-MNIST suite: train variants, record accuracy baselines.",
    subcommands = {SuiteCommand.Train.class, SuiteCommand.Record.class, SuiteCommand.Merge.class,
        SuiteCommand.Report.class, SuiteCommand.Variants.class})
public final class SuiteCommand {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line as {@code ./suite} runs it: the registry's ids as option values, and a
   * refusal as one line on stderr (exit 2 for a bad option or value, 1 when the work failed).
   */
  static CommandLine commandLine() {
    return new CommandLine(new SuiteCommand())
        .registerConverter(Variant.class, s -> convert(s, Variant::byId))
        .registerConverter(Tier.class, s -> convert(s, Tier::byId))
        .registerConverter(Engine.class, s -> convert(s, Engine::byId))
        .registerConverter(RuntimeConfig.class, s -> convert(s, RuntimeConfig::parse))
        .registerConverter(Shard.class, s -> convert(s, Shard::parse))
        .registerConverter(MergeRule.Keep.class, s -> convert(s, MergeRule.Keep::byId))
        .setParameterExceptionHandler((ex, a) -> {
          ex.getCommandLine().getErr().println("suite: " + ex.getMessage());
          ex.getCommandLine().getErr().println("Try 'suite " + ex.getCommandLine().getCommandName()
              + " --help'.");
          return 2;
        })
        // Bad values found while running (a bad --train-limit, corrupt data, a NaN loss) end
        // with one line naming the problem, not a stack trace.
        .setExecutionExceptionHandler((ex, c, p) -> {
          c.getErr().println("suite " + c.getCommandName() + ": " + ex.getMessage());
          return ex instanceof IllegalArgumentException ? 2 : 1;
        });
  }

  private static <T> T convert(String value, Function<String, T> parse) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** Engine and runtime configuration, shared by the commands that train. */
  static final class EngineOptions {
    @Option(names = "--engine", description = "layer-api, samediff or djl-pytorch (default: system property suite.engine, else layer-api).")
    Engine engine = Engine.configured();

    @Option(names = "--runtime", description = "Runtime configuration, e.g. default, stock, 'default,format=nhwc' "
        + "(default: system property suite.runtime, else default).")
    RuntimeConfig runtime = RuntimeConfig.parse(System.getProperty(NativeRuntime.PROPERTY, "default"));

    /** Loads the native build the configuration names; before anything touches ND4J. */
    Engine apply() {
      NativeRuntime.configure(runtime);
      System.err.println("engine " + engine.id() + ", runtime " + runtime.id() + " (" + NativeRuntime.describeActive() + ")");
      return engine;
    }
  }

  /** Trains and evaluates one variant, printing accuracy, loss and time. */
  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Train one variant and evaluate it on the test set.")
  static final class Train implements Callable<Integer> {
    @Option(names = "--variant", required = true, description = "One of: ${COMPLETION-CANDIDATES}")
    Variant variant;

    @Option(names = "--tier", description = "Start from this tier's recipe (smoke, full); default full.")
    Tier tier = Tier.FULL;

    @Option(names = "--epochs", description = "Override the epochs.")
    Integer epochs;

    @Option(names = "--train-limit",
        description = "Train on this many images (a class-balanced subset; a multiple of 10 up to 60000), before the flip.")
    Integer trainLimit;

    @Option(names = "--test-limit", description = "Evaluate on this many test images (class-balanced; a multiple of 10 up to 10000).")
    Integer testLimit;

    @Option(names = "--batch", description = "Minibatch size (default 32).")
    Integer batch;

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--checkpoints", description = "Directory for per-epoch checkpoints; an interrupted run resumes from it.")
    Path checkpoints;

    @CommandLine.Mixin
    EngineOptions engineOptions;

    @Override
    public Integer call() {
      if (checkpoints != null) {
        RunDirs.requireWritable(checkpoints, "--checkpoints");
      }
      Recipe recipe = recipe();
      Engine engine = engineOptions.apply();
      System.out.printf(Locale.ROOT, "%s: %,d parameters; recipe %s; seed %d%n", variant,
          LayerShapes.parameterCount(variant), recipe.describe(), seed);
      Trainer.RunResult r = new Trainer(variant, recipe, seed, engine).run(FashionMnist.load(), Optional.ofNullable(checkpoints));
      for (Trainer.EpochStats e : r.epochs()) {
        System.out.printf(Locale.ROOT,
            "epoch %d: loss %.4f, acc %.4f, test loss %.4f, test acc %.4f, %.1f s, %.0f us/sample%n",
            e.epoch(), e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(), e.seconds(), e.usPerSample());
      }
      System.out.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4f (%d images); train %.1f s, evaluate %.1f s%n",
          r.testAccuracy(), r.testLoss(), r.testSamples(), r.trainSeconds(), r.evalSeconds());
      return 0;
    }

    /** The tier's recipe with this command's overrides; a bad one is refused before the engine loads. */
    Recipe recipe() {
      Recipe recipe = tier.recipe(variant);
      if (epochs != null) {
        recipe = recipe.withEpochs(epochs);
      }
      if (trainLimit != null) {
        recipe = recipe.withTrainPerClass(perClass("--train-limit", trainLimit, DataFileSpec.TRAIN_IMAGES));
      }
      if (testLimit != null) {
        recipe = recipe.withTestPerClass(perClass("--test-limit", testLimit, DataFileSpec.TEST_IMAGES));
      }
      if (batch != null) {
        recipe = recipe.withBatchSize(batch);
      }
      return recipe;
    }

    private static int perClass(String option, int limit, DataFileSpec images) {
      int size = images.dims()[0];
      if (limit <= 0 || limit % FashionMnist.CLASSES != 0 || limit > size) {
        throw new IllegalArgumentException(option + " must be a positive multiple of " + FashionMnist.CLASSES + " up to "
            + size + " (a class-balanced subset of " + images.name() + "), got " + limit);
      }
      return limit / FashionMnist.CLASSES;
    }
  }

  /** Runs N seeds of a tier and writes the baseline rows with provenance. */
  @Command(name = "record", mixinStandardHelpOptions = true,
      description = "Train each variant with a tier's recipe for several seeds and record the accuracies in "
          + "baselines/accuracy.csv.")
  static final class Record implements Callable<Integer> {
    @Option(names = "--tier", description = "smoke or full (default ${DEFAULT-VALUE}).")
    Tier tier = Tier.SMOKE;

    @Option(names = "--variants",
        description = "Comma-separated ids, or 'all' (default). Valid: mlp, cnn, ...; see 'suite variants'.")
    String variants = "all";

    @Option(names = "--seeds", description = "Distinct seeds to run, at most 10000, e.g. 1-5 or 1,2,7 "
        + "(default: as many as the tier's baseline needs, 1-5 smoke, 1-3 full).")
    String seeds;

    @Option(names = "--checkpoints", description = "Runs directory for per-epoch checkpoints, so an interrupted recording "
        + "resumes; default: none for smoke, ~/.cache/dl4j-fmnist-suite/runs for full (shared with the full gate).")
    Path checkpoints;

    @Option(names = "--no-continue", description = "Train every run from scratch, even one whose variant only trains a "
        + "recorded shorter run longer (cnn3-pad-flip-10ep after cnn3-pad-flip); by default such a run continues that run's "
        + "final checkpoint in the runs directory.")
    boolean noContinue;

    @Option(names = "--shard", paramLabel = "K/N", description = "Do only this machine's slice K of N of the runs asked for "
        + "(every machine given the same command and commit; slices balanced by expected cost, a continued variant with its "
        + "twin). Default: all.")
    Shard shard = Shard.ALL;

    @Option(names = "--dry-run", description = "Print this shard's runs with their expected cost, then stop.")
    boolean dryRun;

    @Option(names = "--missing", description = "Only the runs baselines/accuracy.csv does not hold yet (same variant, tier, "
        + "engine and seed), so a recording spread over sittings or machines goes on from the committed baselines alone; "
        + "without it a recorded run is trained again and its row replaced.")
    boolean missing;

    @Option(names = "--plan-out", paramLabel = "FILE", description = "Split the runs asked for over --shards machines once "
        + "and write that campaign plan (fleet/CampaignPlan), then stop; each machine then records with --plan FILE "
        + "--shard K/N, and a shard re-run alone does exactly its own slice.")
    Path planOut;

    @Option(names = "--shards", description = "With --plan-out: how many machines the campaign is split over (default 1).")
    Integer shards;

    @Option(names = "--plan", paramLabel = "FILE", description = "Record this shard's slice of a campaign plan written by "
        + "--plan-out (at the same commit), instead of splitting the runs asked for here.")
    Path plan;

    @Option(names = "--into", description = "Folder the rows are written to (default: the project's baselines/); a "
        + "campaign's shards write their own rows only, for ./suite merge. --missing still reads baselines/.")
    Path into;

    @CommandLine.Mixin
    EngineOptions engineOptions;

    @Override
    public Integer call() {
      if (planOut == null && shards != null) { // it would be ignored: every run on this one machine
        throw new IllegalArgumentException("--shards goes with --plan-out; for this machine's slice give --shard K/N");
      }
      String seedSpec = seeds != null ? seeds : "1-" + tier.minSeeds();
      List<Variant> asked = Variant.parseList(variants);
      long[] seedList = parseSeeds(seedSpec);
      AccuracyBaselines committed = AccuracyBaselines.read(Repo.baselinesDir());
      Path target = into != null ? into : Repo.baselinesDir();
      AccuracyBaselines baselines = AccuracyBaselines.read(target);
      EpochBaselines epochBaselines = EpochBaselines.read(target);
      Predicate<RunPlan.Run> recorded = run -> missing
          && committed.rows(run.variant(), tier.id(), run.engine().id()).stream().anyMatch(r -> r.seed() == run.seed());
      RunCost cost = RunCost.of(EpochBaselines.read(Repo.baselinesDir()).rows());
      List<RunPlan.Job> all = RunPlan.record(asked, seedList, tier, engineOptions.engine, cost, !noContinue, recorded);
      if (planOut != null) {
        int count = shards == null ? 1 : shards;
        CampaignPlan.of(CommitId.current().full(), tier.id(), engineOptions.engine, all, count).write(planOut);
        System.err.printf(Locale.ROOT, "campaign plan %s: %d runs over %d shards, expected %s in all%n", planOut,
            RunPlan.runs(all).size(), count, duration(all));
        return 0;
      }
      List<RunPlan.Job> mine;
      if (plan != null) {
        CampaignPlan campaign = CampaignPlan.read(plan);
        if (!campaign.commit().equals(CommitId.current().full()) || !campaign.tier().equals(tier.id())) {
          throw new IllegalArgumentException("the campaign plan " + plan + " is for " + campaign.tier() + " at commit "
              + campaign.commit() + "; this is " + tier.id() + " at " + CommitId.current().full());
        }
        mine = campaign.jobsOf(shard, engineOptions.engine);
      } else {
        // The slices are dealt from every run asked for, then the recorded ones dropped, so that a
        // shard finishing later (--missing after others merged) keeps its own slice instead of
        // 1/N of the remainder; the split stays the same while the cost table does (a campaign
        // plan fixes it for good).
        mine = RunPlan.without(shard.select(RunPlan.record(asked, seedList, tier, engineOptions.engine, cost,
            !noContinue), RunPlan.Job::seconds), recorded);
      }
      if (missing && plan == null) {
        int askedRuns = asked.size() * seedList.length;
        System.err.printf(Locale.ROOT, "--missing: %d of the %d runs asked for are in baselines/accuracy.csv already%n",
            askedRuns - RunPlan.runs(all).size(), askedRuns);
      }
      if (plan != null) {
        System.err.printf(Locale.ROOT, "shard %s: %d runs of the campaign plan %s%n", shard, RunPlan.runs(mine).size(), plan);
      } else if (dryRun || missing || !shard.equals(Shard.ALL)) {
        System.err.printf(Locale.ROOT, "shard %s: %d of %d runs, expected %s of %s (at the recorded speed)%n",
            shard, RunPlan.runs(mine).size(), RunPlan.runs(all).size(), duration(mine), duration(all));
      }
      if (dryRun || mine.isEmpty()) {
        mine.forEach(j -> System.out.println(j));
        return 0;
      }
      Engine engine = engineOptions.apply();
      if (checkpoints == null && tier == Tier.FULL && engine.savesTrainingState()) {
        checkpoints = RunDirs.defaultRoot();
      }
      if (checkpoints != null) {
        RunDirs.requireWritable(checkpoints, "--checkpoints");
      }
      FashionMnist data = FashionMnist.load();
      // The commit is read once, at the start: it names the code this JVM loaded, whatever
      // happens to the work tree while the runs go on.
      Provenance start = engine.provenance();
      for (RunPlan.Run run : RunPlan.runs(mine)) {
        Variant variant = run.variant();
        long seed = run.seed();
        Recipe recipe = tier.recipe(variant);
        Optional<Path> dir = Optional.ofNullable(checkpoints)
            .map(c -> RunDirs.of(c, tier, variant, seed, engine));
        Optional<Continuation> continuation = Optional.ofNullable(checkpoints)
            .filter(c -> !noContinue).flatMap(c -> RunDirs.continuation(c, tier, variant, seed, engine));
        MachineActivity activity = MachineActivity.start();
        Trainer.RunResult r = new Trainer(variant, recipe, seed, engine).run(data, dir, continuation);
        double othersBusy = activity.othersBusyFraction();
        Provenance p = start.at(Instant.now());
        AccuracyRecord row = new AccuracyRecord(variant.id(), tier.id(), engine.id(), recipe.describe(), seed,
            r.testAccuracy(), r.testLoss(), r.testSamples(), r.finalTrainLoss(), round(r.trainSeconds()), p.backend(),
            p.dl4jVersion(), p.commit(), p.recordedAt(), p.machine(), r.startedFrom(),
            Double.isNaN(othersBusy) ? null : othersBusy);
        // Epochs first: the run's accuracy row, written last, is what makes the run recorded.
        epochBaselines.put(row, r.epochs().stream().map(e -> new EpochRecord(row.variant(), row.tier(),
            row.engine(), seed, e.epoch(), e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(),
            r.trainSamples(), round(e.seconds()), Math.round(e.usPerSample()), round(e.evalSeconds()),
            e.commit())).toList());
        baselines.put(row);
        System.out.printf(Locale.ROOT, "recorded %s %s seed %d: accuracy %.4f, loss %.4f, %.0f s%s%n",
            variant, tier.id(), seed, r.testAccuracy(), r.testLoss(), r.trainSeconds(),
            r.startedFrom() == null ? "" : "; continued " + r.startedFrom());
        if (othersBusy > QUIET) {
          System.out.printf(Locale.ROOT,
              "  the machine was not quiet: other processes used %.0f %% of its CPU time (others_busy)%n",
              100 * othersBusy);
        }
      }
      return 0;
    }

    /** Above this share of the CPU used by other processes, a recording says it was not quiet. */
    private static final double QUIET = 0.05;

    /** The jobs' expected time, in minutes below two hours (a short recording printed as "0.0 hours"). */
    static String duration(List<RunPlan.Job> jobs) {
      double seconds = jobs.stream().mapToDouble(RunPlan.Job::seconds).sum();
      return seconds < 7200 ? String.format(Locale.ROOT, "%.0f min", seconds / 60)
          : String.format(Locale.ROOT, "%.1f hours", seconds / 3600);
    }

    /** The most seeds one recording takes: each is a training run of minutes or hours per variant. */
    static final int MAX_SEEDS = 10_000;

    /** {@code 1-5} or {@code 1,2,7}: distinct seeds, at most {@link #MAX_SEEDS}. */
    static long[] parseSeeds(String spec) {
      String form = "--seeds takes a range like 1-5 or a list like 1,2,7; got '" + spec + "'";
      long[] seeds;
      try {
        if (spec.matches("\\d+-\\d+")) {
          String[] ends = spec.split("-");
          long from = Long.parseLong(ends[0]);
          long to = Long.parseLong(ends[1]);
          // checked before the array is built: 1-100000000 would fill the heap
          seeds = to < from || to - from >= MAX_SEEDS ? null : LongStream.rangeClosed(from, to).toArray();
        } else {
          seeds = Arrays.stream(spec.split(",", -1)).map(String::trim).mapToLong(Long::parseLong).toArray();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(form);
      }
      if (seeds == null || seeds.length > MAX_SEEDS) {
        throw new IllegalArgumentException(form + " (a range ends at or after its start; at most " + MAX_SEEDS
            + " seeds)");
      }
      Set<Long> seen = new HashSet<>();
      for (long seed : seeds) {
        if (!seen.add(seed)) { // the same run twice: the second would replace the first's row
          throw new IllegalArgumentException("--seeds '" + spec + "' names seed " + seed + " twice");
        }
      }
      return seeds;
    }

    private static double round(double seconds) {
      return Math.round(seconds * 10) / 10.0;
    }
  }

  /** Folds baseline files recorded elsewhere into baselines/. */
  @Command(name = "merge", mixinStandardHelpOptions = true,
      description = "Merge the accuracy and epoch rows of other baselines folders (e.g. each shard's artifact) into baselines/: "
          + "new runs are added, identical ones merge once, a run recorded differently under the same variant, tier, engine "
          + "and seed is refused with both rows shown unless --keep says which; both files change together or not at all.")
  static final class Merge implements Callable<Integer> {
    @CommandLine.Parameters(paramLabel = "FOLDER", arity = "1..*", description = "Folders holding accuracy.csv (and epochs.csv).")
    List<Path> others;

    @Option(names = "--keep", description = "On a conflict keep ours or theirs (default: refuse and change nothing).")
    MergeRule.Keep keep = MergeRule.Keep.NEITHER;

    @Option(names = "--into", description = "The baselines folder to merge into, an existing folder (default: the project's baselines/).")
    Path into;

    @Override
    public Integer call() {
      if (into != null && !Files.isDirectory(into)) { // a typo would start a new baselines folder there
        throw new IllegalArgumentException("--into " + into + ": no such folder; to start a new baselines folder, create "
            + "it first");
      }
      Path target = into != null ? into : Repo.baselinesDir();
      var outcome = BaselineMerge.merge(target, others, keep);
      System.out.println("merged into " + target + ": " + outcome.summary()
          + (outcome.conflicts().isEmpty() ? ""
              : "; kept " + keep.name().toLowerCase(Locale.ROOT) + " for " + outcome.conflicts()));
      outcome.added().forEach(k -> System.out.println("  added " + k));
      outcome.settled().forEach(line -> System.out.println("  " + line));
      return 0;
    }
  }

  /** Lists the registry. */
  @Command(name = "variants", mixinStandardHelpOptions = true, description = "List every variant with its parameter count.")
  static final class Variants implements Callable<Integer> {
    @Override
    public Integer call() {
      for (Variant v : Variant.values()) {
        System.out.printf(Locale.ROOT, "%-20s %,11d params  %2d epochs  %s%s%n", v.id(), LayerShapes.parameterCount(v),
            v.epochs(), v.augmentation(), v.scope() == Variant.Scope.SUITE ? "" : "  (reproduction only)");
      }
      return 0;
    }
  }

  /** Regenerates the reproduction report from baselines/. */
  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Write the reproduction report (the article beside DL4J's recorded full-recipe runs) from baselines/.")
  static final class Report implements Callable<Integer> {
    @Option(names = "--engine", description = "Engine whose recorded runs to report (default layer-api).")
    Engine engine = Engine.LAYER_API;

    @Option(names = "--out", description = "Output file (default: " + ReproductionReport.PATH + " in the project).")
    Path out;

    @Override
    public Integer call() throws IOException {
      Path baselinesDir = Repo.baselinesDir();
      Path file = out != null ? out : baselinesDir.toAbsolutePath().getParent().resolve(ReproductionReport.PATH);
      String md = ReproductionReport.of(baselinesDir, engine.id()).markdown();
      AtomicFiles.writeString(file, md);
      System.out.println("wrote " + file);
      return 0;
    }
  }
}
