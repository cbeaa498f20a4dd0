package org.fmnistbench.bench.driver;

import static org.fmnistbench.bench.report.Documents.header;
import static org.fmnistbench.bench.report.Documents.publish;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.InferenceBenchmarks;
import org.fmnistbench.bench.LayerBenchmarks;
import org.fmnistbench.bench.LayerCatalog;
import org.fmnistbench.bench.TrainStepBenchmarks;
import org.fmnistbench.bench.profile.StepProfiler;
import org.fmnistbench.bench.report.BreakdownDocument;
import org.fmnistbench.bench.report.ComparisonDocument;
import org.fmnistbench.bench.report.Documents;
import org.fmnistbench.bench.report.SweepDocument;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;
import org.fmnistbench.io.ShortCommand;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.results.CompareDesign;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.results.RunFolder;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.runtime.MallocPolicy;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Variant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Generated documents beside the benchmarks, each from one run of JMH (never typed by hand):
 * the per-layer breakdown, the configuration sweep and the comparison with PyTorch. Each
 * document names the command, commit, machine and the result files it was made from; the
 * JMH JSON files are copied next to it, so every figure traces to a measurement.
 */
public final class ReportCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportCommands() {}

  /** Options shared by the report commands. */
  static final class ReportOptions {
    @Option(names = "--out", description = "Folder for raw result folders (default ${DEFAULT-VALUE}).")
    Path out = Path.of("benchmarks/results");

    @Option(names = "--reports", description = "Folder of the generated documents (default: benchmarks/reports).")
    Path reports;

    Path reportsDir() {
      return reports != null ? reports : Documents.reportsDir();
    }
  }

  /** The settings a configuration actually ran with, from its metadata file in {@code runDir}. */
  static String settings(Path runDir, String configId) {
    return settings(runDir, "", configId);
  }

  /** The same, from a file of a paired comparison's round ({@code prefix}: {@code round01-}). */
  static String settings(Path runDir, String prefix, String configId) {
    // the id as the run recorded it: parsed today, an id may name another configuration (the default moved)
    String label = RunFolder.label(Backend.CPU.id(), configId);
    try {
      RunMetadata meta = RunMetadata.read(runDir.resolve(prefix + new RunFolder(runDir).metadata(label).getFileName()));
      return meta.runtime() == null || meta.runtime().settings() == null ? "?" : meta.runtime().settings();
    } catch (IOException e) {
      return "?";
    }
  }

  /** Per-layer costs of a variant's training step against the measured step. */
  @Command(name = "breakdown", mixinStandardHelpOptions = true,
      description = "Time each layer of the variants (forward, backward, Adam) per engine and configuration, and write benchmarks/reports/BREAKDOWN.md.")
  static final class Breakdown implements Callable<Integer> {
    @CommandLine.Mixin
    BenchDriver.JmhOptions options;

    @CommandLine.Mixin
    ReportOptions report;

    @Option(names = "--configs", description = "Configurations, ';'-separated (default ${DEFAULT-VALUE}: oneDNN on and off).")
    String configs = "default;default,helpers=off";

    @Override
    public Integer call() throws Exception {
      if (!options.plan.isGiven(ExperimentPlan.VARIANTS)) {
        options.set(ExperimentPlan.VARIANTS, "cnn,cnn3");
      }
      List<Variant> variants = options.variantList();
      String layers = String.join(",", LayerCatalog.union(variants).keySet());
      List<RuntimeConfig> configList = BenchDriver.parseConfigs(configs);
      Path runDir = BenchDriver.newRunDir(report.out);
      List<String> notes = new ArrayList<>();
      Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
      for (RuntimeConfig config : configList) {
        BenchDriver.runJmh(runDir, Backend.CPU, config,
            List.of(TrainStepBenchmarks.class.getName(), LayerBenchmarks.class.getName()), options,
            List.of("-p", "layer=" + layers, "-prof", StepProfiler.class.getName()), notes).ifPresent(j -> byConfig.put(config.id(), read(j)));
      }
      StringBuilder md = new StringBuilder(header("Per-layer breakdown of a training step",
          "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver breakdown --variants "
              + options.text(ExperimentPlan.VARIANTS) + " --engines " + String.join(",", options.engineList()) + " --configs '" + configs + "'"
              + options.repetitionOptions(), runDir));
      md.append(BreakdownDocument.body(byConfig, variants, options.engineList(), options.text(ExperimentPlan.BATCH_SIZES),
          options.firstBatchSize(),
          id -> settings(runDir, id), notes));
      publish(report.reportsDir(), "BREAKDOWN.md", runDir, md.toString());
      return notes.isEmpty() ? 0 : 1;
    }
  }

  /** Training and inference speed across runtime configurations, side by side in one run. */
  @Command(name = "sweep", mixinStandardHelpOptions = true,
      description = "Run train and inference benchmarks under many runtime configurations and write benchmarks/reports/SWEEP.md.")
  static final class Sweep implements Callable<Integer> {
    /** One setting changed at a time from the default, the stock ones, and every native build. */
    static final String DEFAULT_CONFIGS = String.join(";", "default", "stock", "stock,omp.wait=passive",
        "default,build=plain", "default,build=avx2", "default,build=avx512", "default,build=onednn",
        "default,build=onednn-avx2", "default,build=onednn-avx512", "default,helpers=off", "default,format=nhwc",
        "default,pool.helpers=" + (RuntimeConfig.DEFAULT.poolHelpers() ? "off" : "on"),
        "default,workspaces=off", "default,cache=host", "default,omp.wait=passive", "default,omp.threads=1",
        "default,malloc=" + (RuntimeConfig.DEFAULT.malloc() == MallocPolicy.RETAIN ? "glibc" : "retain"),
        "default,blas.threads=" + (RuntimeConfig.DEFAULT.blasThreads() == 1 ? "auto" : "1"));
    static final String DEFAULT_BATCH_SWEEP = "16,64,128";
    static final String DEFAULT_NAME = "SWEEP.md";

    @CommandLine.Mixin
    BenchDriver.JmhOptions options;

    @CommandLine.Mixin
    ReportOptions report;

    @Option(names = "--configs", description = "Configurations, ';'-separated (default: one setting at a time; see SWEEP.md).")
    String configs = DEFAULT_CONFIGS;

    @Option(names = "--batch-sweep", description = "Extra batch sizes run under the first configuration only (default ${DEFAULT-VALUE}; '' for none).")
    String batchSweep = DEFAULT_BATCH_SWEEP;

    @Option(names = "--rounds", description = "Runs of the whole configuration list, interleaved (A B A B ...), one fork "
        + "per point a round unless --forks is given; above 1 each configuration's ratio to the first is paired over the "
        + "rounds (drift of a shared machine slower than a round cancels from it); 1 measures each configuration once, "
        + "with unpaired ratios that claim nothing (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(names = "--name", description = "File name of the document (default ${DEFAULT-VALUE}); a focused sweep can sit beside the broad one.")
    String name = DEFAULT_NAME;

    @Option(names = "--analyse", paramLabel = "RUN_DIR", description = "Render the document again from a sweep's kept JSON, "
        + "measuring nothing; give the options the sweep ran with (its document's command).")
    Path analyse;

    /** The command line that reproduces this sweep, non-default options included. */
    private String command() {
      StringBuilder c = new StringBuilder("java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver sweep --variants "
          + options.text(ExperimentPlan.VARIANTS) + " --engines " + String.join(",", options.engineList()) + options.repetitionOptions());
      if (!configs.equals(DEFAULT_CONFIGS)) {
        c.append(" --configs '").append(configs).append('\'');
      }
      if (!batchSweep.equals(DEFAULT_BATCH_SWEEP)) {
        c.append(" --batch-sweep '").append(batchSweep).append('\'');
      }
      c.append(" --rounds ").append(rounds);
      if (!name.equals(DEFAULT_NAME)) {
        c.append(" --name ").append(name);
      }
      if (analyse != null) {
        c.append(" --analyse ").append(analyse);
      }
      return c.toString();
    }

    @Override
    public Integer call() throws Exception {
      Documents.requireName("--name", name);
      if (!options.plan.isGiven(ExperimentPlan.VARIANTS)) {
        options.set(ExperimentPlan.VARIANTS, "cnn");
      }
      List<String> classes = List.of(TrainStepBenchmarks.class.getName(), InferenceBenchmarks.class.getName());
      // every option is checked before the first configuration is measured: the batch sweep runs hours later
      List<RuntimeConfig> list = BenchDriver.parseConfigs(configs);
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be 1 or more; got " + rounds);
      }
      BenchDriver.JmhOptions batches = null;
      if (!batchSweep.isBlank()) {
        try {
          batches = options.with(ExperimentPlan.BATCH_SIZES, batchSweep);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--batch-sweep takes batch sizes, comma-separated, or '' for none; got '"
              + batchSweep + "'", e);
        }
      }
      Path runDir = analyse != null ? analyse : BenchDriver.newRunDir(report.out);
      List<String> notes = new ArrayList<>();
      // config id -> one list of points per round; round 1 in runDir, later rounds moved in with a prefix
      // in rounds, a round's fork is its figure: the rounds give the interval
      BenchDriver.JmhOptions oncePerRound = rounds > 1 && !options.plan.isGiven(ExperimentPlan.FORKS)
          ? options.with(ExperimentPlan.FORKS, "1") : options;
      // a kept sweep is read by the ids its files were written under, not by today's parse of them
      List<String> ids = analyse != null ? List.of(configs.split(";")) : list.stream().map(RuntimeConfig::id).toList();
      Map<String, List<List<JmhJson.Point>>> byRound = new LinkedHashMap<>();
      for (int r = 1; r <= rounds; r++) {
        String prefix = r == 1 ? "" : "round" + r + "-";
        Path dir = r == 1 ? runDir : analyse != null ? runDir : Files.createDirectories(runDir.resolve("round-" + r));
        for (int c = 0; c < ids.size(); c++) {
          String id = ids.get(c);
          (analyse != null ? kept(runDir, prefix, id, notes) : BenchDriver.runJmh(dir, Backend.CPU, list.get(c), classes,
              oncePerRound, List.of(), notes))
              .ifPresent(j -> byRound.computeIfAbsent(id, k -> new ArrayList<>()).add(read(j)));
        }
        if (r > 1 && analyse == null) {
          moveInto(dir, runDir, prefix);
        }
      }
      Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
      byRound.forEach((id, perRound) -> byConfig.put(id, new ArrayList<>(perRound.get(0))));
      if (!batchSweep.isBlank()) {
        // the first configuration at other batch sizes, in a result folder of its own
        Optional<Path> batchJson;
        if (analyse != null) {
          batchJson = kept(runDir, "batch-", ids.get(0), notes);
        } else {
          Path batchDir = Files.createDirectories(runDir.resolve("batch-sweep"));
          batchJson = BenchDriver.runJmh(batchDir, Backend.CPU, list.get(0), classes, batches, List.of(), notes)
              .map(j -> runDir.resolve("batch-" + j.getFileName()));
          moveInto(batchDir, runDir, "batch-");
        }
        batchJson.ifPresent(j -> byConfig.merge(ids.get(0), read(j), (a, b) -> {
          List<JmhJson.Point> all = new ArrayList<>(a);
          all.addAll(b);
          return all;
        }));
      }
      StringBuilder md = new StringBuilder(header("Configuration sweep", command(), runDir));
      md.append(SweepDocument.body(byConfig, byRound, rounds, ids.get(0), id -> settings(runDir, id), notes));
      publish(report.reportsDir(), name, runDir, md.toString());
      return 0;
    }
  }

  /** A kept sweep's JMH file of one configuration ({@code prefix}: "", "round2-", "batch-"), or a note that it is missing. */
  private static Optional<Path> kept(Path runDir, String prefix, String configId, List<String> notes) {
    Path json = runDir.resolve(prefix + new RunFolder(runDir).jmh(RunFolder.label(Backend.CPU.id(), configId)).getFileName());
    if (Files.isRegularFile(json)) {
      return Optional.of(json);
    }
    notes.add(configId + ": not measured in this run (no " + json.getFileName() + ")");
    return Optional.empty();
  }

  /** Moves every file of {@code from} into {@code to} with {@code prefix}, then deletes {@code from}. */
  static void moveInto(Path from, Path to, String prefix) throws IOException {
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.move(f, to.resolve(prefix + f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.delete(from);
  }

  /** PyTorch processes in a comparison when --forks is not given: enough for an interval. */
  static final int DEFAULT_TORCH_PROCESSES = 3;

  /** Rounds of a comparison by default: t on 5 degrees of freedom, about 45 minutes for the four variants here. */
  static final int DEFAULT_ROUNDS = 6;

  /** Stock DL4J, the suite's default (both engines), DJL on PyTorch and Python's PyTorch, measured in one run. */
  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Stock layer API, the default configuration on both engines, DJL on PyTorch and Python's PyTorch on the same machine; writes benchmarks/reports/COMPARISON.md.")
  static final class Compare implements Callable<Integer> {
    @CommandLine.Mixin
    BenchDriver.JmhOptions options;

    @CommandLine.Mixin
    ReportOptions report;

    @Option(names = "--python", description = "Python with PyTorch (default ${DEFAULT-VALUE}; Debian's python3-torch).")
    String python = "/usr/bin/python3";

    @Option(names = "--torch-threads", description = "PyTorch intra-op threads (default: the logical cores).")
    Integer torchThreads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--analyse", paramLabel = "RUN_DIR",
        description = "Render the document again from a compare run's kept JSON (JMH, metadata, PyTorch's), measuring nothing.")
    Path analyse;

    @Option(names = "--rounds", description = "Paired rounds: in each, every side once (one fork per point, one PyTorch "
        + "process), so each ratio is paired within a round (default ${DEFAULT-VALUE}; 1 measures each side in one block "
        + "with --forks forks, whose ratios are unpaired).")
    int rounds = DEFAULT_ROUNDS;

    @Option(names = "--seed", description = "Seed of the rounds' order (default: a fresh one, recorded in compare.json).")
    Long seed;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Go on with an interrupted paired comparison: the "
        + "rounds and sides already measured are kept.")
    Path resume;

    static final String SIDE_DEFAULT = "default";
    static final String SIDE_STOCK = "stock";
    static final String SIDE_PYTORCH = "pytorch";

    @Override
    public Integer call() throws Exception {
      if (!options.plan.isGiven(ExperimentPlan.VARIANTS)) {
        options.set(ExperimentPlan.VARIANTS, "cnn,cnn3,cnn4,cnn3-pad");
      }
      List<Variant> variants = options.variantList();
      if (torchThreads != null) { // else found only when PyTorch's turn came, after DL4J's sides
        BenchDriver.requireAtLeast("--torch-threads", torchThreads, 1);
      }
      Path kept = analyse != null ? analyse : resume;
      if (kept != null) {
        // the rounds and their order are the kept run's (compare.json); the other options are read as given
        BenchDriver.refuseBesideKeptDesign(spec, kept, List.of("--rounds", "--seed"));
      }
      if (kept != null && CompareDesign.isIn(kept)) {
        CompareDesign design = CompareDesign.read(kept);
        if (resume != null) {
          if (pytorchSideLeft(resume, design)) {
            PyTorchReference.requireImportable(python);
          }
          measureRounds(resume, design, variants);
        }
        return renderPaired(kept, design, variants, resume != null ? commandOf(design)
            : "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver compare --analyse " + kept);
      }
      if (resume != null) {
        throw new IllegalArgumentException(resume + " has no " + CompareDesign.FILE + ": only a paired comparison resumes");
      }
      if (analyse != null) {
        List<String> notes = new ArrayList<>();
        return render(analyse, variants, PyTorchReference.read(analyse, notes), notes,
            "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver compare --analyse " + analyse,
            RunMetadata.read(new RunFolder(analyse).metadata(BenchDriver.label(Backend.CPU, RuntimeConfig.DEFAULT)))
                .suite().commitId().toString());
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be 1 or more; got " + rounds);
      }
      PyTorchReference.requireImportable(python); // else found only when PyTorch's turn came, after DL4J's sides
      Path runDir = BenchDriver.newRunDir(report.out);
      if (rounds > 1) {
        CompareDesign design = CompareDesign.balanced(List.of(SIDE_DEFAULT, SIDE_STOCK, SIDE_PYTORCH), rounds,
            seed != null ? seed : new SecureRandom().nextLong());
        design.write(runDir);
        measureRounds(runDir, design, variants);
        return renderPaired(runDir, design, variants, commandOf(design));
      }
      List<String> notes = new ArrayList<>();
      for (RuntimeConfig config : List.of(RuntimeConfig.DEFAULT, RuntimeConfig.STOCK)) {
        BenchDriver.runJmh(runDir, Backend.CPU, config, CLASSES, optionsFor(config, options), List.of(), notes);
      }
      Integer forks = options.plan.get(ExperimentPlan.FORKS);
      int torchProcesses = forks != null ? forks : DEFAULT_TORCH_PROCESSES;
      Map<String, ForkSamples[]> torch = PyTorchReference.measure(python, variants, options.firstBatchSize(), torchThreads(),
          torchProcesses, runDir, notes);
      return render(runDir, variants, torch, notes,
          "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver compare --rounds 1"
              + options.repetitionOptions(), CommitId.current().toString());
    }

    private static final List<String> CLASSES = List.of(TrainStepBenchmarks.class.getName(),
        InferenceBenchmarks.class.getName());

    private int torchThreads() {
      return torchThreads != null ? torchThreads : Runtime.getRuntime().availableProcessors();
    }

    /** Stock is what users run: the layer API; the default runs every engine unless the engines were given. */
    private static BenchDriver.JmhOptions optionsFor(RuntimeConfig config, BenchDriver.JmhOptions options) {
      if (config == RuntimeConfig.STOCK) {
        return options.with(ExperimentPlan.ENGINES, Engine.LAYER_API_ID);
      }
      return options.plan.isGiven(ExperimentPlan.ENGINES) ? options
          : options.with(ExperimentPlan.ENGINES, String.join(",", Engine.LAYER_API_ID, Engine.SAMEDIFF_ID, Engine.DJL_PYTORCH_ID));
    }

    private String commandOf(CompareDesign design) {
      return "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver compare --rounds "
          + design.rounds() + " --seed " + design.seed() + options.repetitionOptions();
    }

    private static boolean pytorchSideLeft(Path runDir, CompareDesign design) {
      for (int r = 1; r <= design.rounds(); r++) {
        if (!Files.isRegularFile(doneMarker(runDir, r, SIDE_PYTORCH))) {
          return true;
        }
      }
      return false;
    }

    /** The file whose presence says that round {@code round}'s {@code side} was measured. */
    private static Path doneMarker(Path runDir, int round, String side) {
      return runDir.resolve(CompareDesign.prefix(round) + side + ".done");
    }

    /**
     * Every round's sides in the design's order, one fork per point and one PyTorch process
     * each, into files prefixed by the round; a side whose marker file exists was measured
     * before an interruption and is kept.
     */
    private void measureRounds(Path runDir, CompareDesign design, List<Variant> variants) throws Exception {
      BenchDriver.JmhOptions once = options.with(ExperimentPlan.FORKS, "1");
      long started = System.nanoTime();
      int done = 0;
      int total = design.rounds() * 3;
      for (int r = 1; r <= design.rounds(); r++) {
        for (String side : design.sides(r)) {
          Path marker = doneMarker(runDir, r, side);
          done++;
          if (Files.isRegularFile(marker)) {
            continue;
          }
          Path dir = Files.createDirectories(runDir.resolve("round-" + r + "-" + side));
          List<String> notes = new ArrayList<>();
          switch (side) {
            case SIDE_DEFAULT -> BenchDriver.runJmh(dir, Backend.CPU, RuntimeConfig.DEFAULT, CLASSES,
                optionsFor(RuntimeConfig.DEFAULT, once), List.of(), notes);
            case SIDE_STOCK -> BenchDriver.runJmh(dir, Backend.CPU, RuntimeConfig.STOCK, CLASSES,
                optionsFor(RuntimeConfig.STOCK, once), List.of(), notes);
            case SIDE_PYTORCH -> {
              if (PyTorchReference.measure(python, variants, options.firstBatchSize(), torchThreads(), 1, dir, notes).isEmpty()) {
                throw new IllegalStateException(String.join("; ", notes) + "; resume with --resume " + runDir);
              }
            }
            default -> throw new IllegalArgumentException(CompareDesign.FILE + " names an unknown side '" + side + "'");
          }
          moveInto(dir, runDir, CompareDesign.prefix(r));
          AtomicFiles.writeString(marker, side + "\n");
          double perSide = (System.nanoTime() - started) / 1e9 / done;
          System.out.printf(Locale.ROOT, "compare: round %d of %d, %s done; about %.0f min left%n", r, design.rounds(), side,
              perSide * (total - done) / 60);
        }
      }
    }

    /** COMPARISON.md from a paired comparison's rounds. */
    private Integer renderPaired(Path runDir, CompareDesign design, List<Variant> variants, String command) throws IOException {
      List<ComparisonDocument.Round> rounds = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (int r = 1; r <= design.rounds(); r++) {
        String prefix = CompareDesign.prefix(r);
        Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
        for (RuntimeConfig config : List.of(RuntimeConfig.DEFAULT, RuntimeConfig.STOCK)) {
          Path json = runDir.resolve(prefix + new RunFolder(runDir).jmh(BenchDriver.label(Backend.CPU, config)).getFileName());
          if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException(runDir + " lacks " + json.getFileName() + "; measure it with --resume " + runDir);
          }
          byConfig.put(config.id(), read(json));
        }
        List<String> torchNotes = new ArrayList<>();
        rounds.add(new ComparisonDocument.Round(byConfig, PyTorchReference.read(runDir, prefix, torchNotes)));
        if (r == 1) {
          notes.addAll(torchNotes);
        }
      }
      Path firstMeta = runDir.resolve(CompareDesign.prefix(1)
          + new RunFolder(runDir).metadata(BenchDriver.label(Backend.CPU, RuntimeConfig.DEFAULT)).getFileName());
      djlNote(firstMeta).ifPresent(notes::add);
      StringBuilder md = new StringBuilder(Documents.header("DL4J (stock and default) beside DJL and PyTorch", command,
          runDir, RunMetadata.read(firstMeta).suite().commitId().toString()));
      md.append(ComparisonDocument.pairedBody(rounds, design.order(), design.seed(), variants, options.firstBatchSize(),
          id -> settings(runDir, CompareDesign.prefix(1), id), notes));
      publish(report.reportsDir(), "COMPARISON.md", runDir, md.toString());
      return 0;
    }

    /** The document from a run's files: the JMH results of each configuration, PyTorch's, the metadata. */
    private Integer render(Path runDir, List<Variant> variants, Map<String, ForkSamples[]> torch, List<String> notes,
        String command, String commit) throws IOException {
      Map<String, List<JmhJson.Point>> byConfig = new LinkedHashMap<>();
      for (RuntimeConfig config : List.of(RuntimeConfig.DEFAULT, RuntimeConfig.STOCK)) {
        Path json = new RunFolder(runDir).jmh(BenchDriver.label(Backend.CPU, config));
        if (Files.isRegularFile(json)) {
          byConfig.put(config.id(), read(json));
        }
      }
      djlNote(new RunFolder(runDir).metadata(BenchDriver.label(Backend.CPU, RuntimeConfig.DEFAULT))).ifPresent(notes::add);
      int torchProcesses = torch.isEmpty() ? 0 : torch.values().iterator().next()[0].forkMeans().length;
      StringBuilder md = new StringBuilder(Documents.header("DL4J (stock and default) beside DJL and PyTorch", command,
          runDir, commit));
      md.append(ComparisonDocument.body(byConfig, torch, variants, options.firstBatchSize(), torchProcesses,
          id -> settings(runDir, id), notes));
      publish(report.reportsDir(), "COMPARISON.md", runDir, md.toString());
      return 0;
    }

    /** What the DJL engine ran with, from the default configuration's metadata {@code file}, if it ran. */
    private static Optional<String> djlNote(Path file) throws IOException {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      RunMetadata meta = RunMetadata.read(file);
      RunMetadata.Djl d = meta.djl();
      if (d == null) {
        return Optional.empty();
      }
      Integer nd4jThreads = meta.runtime() == null ? null : meta.runtime().nd4jThreads();
      return Optional.of(String.format(Locale.ROOT,
          "DJL %s on PyTorch %s (%s build; features %s; ATen capability %s), %d intra-op and %d inter-op threads, "
              + "beside ND4J's %s OpenMP threads", d.djlVersion(), d.pytorchVersion(), d.flavor(), String.join(", ", d.build()),
          d.cpuCapability(), d.intraOpThreads(), d.interOpThreads(), nd4jThreads == null ? "?" : nd4jThreads));
    }
  }

  private static List<JmhJson.Point> read(Path json) {
    try {
      return JmhJson.read(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A registry layer as the PyTorch reference script spells it. */
  static String torchLayer(LayerSpec spec) {
    return spec.match(new LayerSpec.Cases<String>() {
      @Override
      public String zeroPadding(LayerSpec.ZeroPadding p) {
        return "pad" + p.pad();
      }

      @Override
      public String conv(LayerSpec.Conv c) {
        return "conv" + c.filters();
      }

      @Override
      public String pool(LayerSpec.Pool p) {
        return p.type() == LayerSpec.PoolType.MAX ? "maxpool" : "avgpool";
      }

      @Override
      public String dropout(LayerSpec.Dropout d) {
        return "dropout" + d.rate();
      }

      @Override
      public String flatten(LayerSpec.Flatten f) {
        return "flatten";
      }

      @Override
      public String dense(LayerSpec.Dense d) {
        return "dense" + d.units();
      }

      @Override
      public String softmax(LayerSpec.Softmax s) {
        return "softmax" + s.classes();
      }
    });
  }

  /** Runs benchmarks/pytorch/reference.py on the registry's layer lists. */
  static final class PyTorchReference {
    private PyTorchReference() {}

    /** Importing torch takes seconds; a minute means the Python is stuck, not slow. */
    private static final long IMPORT_SECONDS = 60;

    /**
     * Refuses, naming {@code python} and what it lacks, a Python that cannot import torch: a
     * comparison measures PyTorch after DL4J's sides, so without this check the lack showed
     * only after them, an hour in.
     */
    static void requireImportable(String python) throws IOException, InterruptedException {
      String remedy = ": compare measures PyTorch beside DL4J; install python3-torch libopenblas0-pthread, or give --python "
          + "a Python that has PyTorch";
      Optional<ShortCommand.Finished> imported;
      try {
        imported = ShortCommand.run(List.of(python, "-c", "import torch"), null, ShortCommand.Streams.BOTH,
            Duration.ofSeconds(IMPORT_SECONDS));
      } catch (IOException e) {
        throw new IllegalArgumentException("--python " + python + " cannot be run (" + e.getMessage() + ")" + remedy, e);
      }
      if (imported.isEmpty()) {
        throw new IllegalArgumentException("--python " + python + " did not import torch within " + IMPORT_SECONDS + " s" + remedy);
      }
      if (!imported.get().ok()) {
        String last = imported.get().lastLine();
        throw new IllegalArgumentException("--python " + python + " cannot import torch (exit " + imported.get().exit()
            + (last.isEmpty() ? "" : ": " + last) + ")" + remedy);
      }
    }

    /**
     * Per variant id, {train, inference} us/sample with each of {@code processes} runs of the
     * script as one fork (its timed windows the iterations); empty with a note when PyTorch
     * cannot run.
     */
    static Map<String, ForkSamples[]> measure(String python, List<Variant> variants, int batch, int threads, int processes,
        Path runDir, List<String> notes) throws IOException, InterruptedException {
      Path script = Repo.baselinesDir().getParent().resolve("benchmarks/pytorch/reference.py");
      Path spec = runDir.resolve("pytorch-models.json");
      Map<String, List<String>> models = new LinkedHashMap<>();
      variants.forEach(v -> models.put(v.id(), v.layers().stream().map(ReportCommands::torchLayer).collect(Collectors.toList())));
      AtomicFiles.writeJson(spec, models);
      for (int k = 1; k <= processes; k++) {
        Path result = runDir.resolve("pytorch-" + k + ".json");
        Process p = new ProcessBuilder(python, script.toString(), "--models", spec.toString(), "--batch", String.valueOf(batch),
            "--threads", String.valueOf(threads), "--out", result.toString()).inheritIO().start();
        int exit = p.waitFor();
        if (exit != 0 || !Files.isRegularFile(result)) {
          notes.add("PyTorch not measured: " + python + " " + script + " exited with " + exit
              + " (is python3-torch installed? apt-get install -y python3-torch libopenblas0-pthread)");
          return Map.of();
        }
      }
      return read(runDir, notes);
    }

    /**
     * The samples of the script's runs kept in {@code runDir} ({@code pytorch-1.json},
     * {@code pytorch-2.json}...), one fork each; empty when there are none.
     */
    static Map<String, ForkSamples[]> read(Path runDir, List<String> notes) throws IOException {
      return read(runDir, "", notes);
    }

    /** The same, for the files whose names start with {@code prefix} (a paired comparison's round: {@code round01-}). */
    static Map<String, ForkSamples[]> read(Path runDir, String prefix, List<String> notes) throws IOException {
      Map<String, List<double[]>> train = new LinkedHashMap<>();
      Map<String, List<double[]>> inference = new LinkedHashMap<>();
      Run last = null;
      int processes = 0;
      for (Path result = runDir.resolve(prefix + "pytorch-1.json"); Files.isRegularFile(result);
          result = runDir.resolve(prefix + "pytorch-" + (processes + 1) + ".json")) {
        processes++;
        last = readRun(result);
        last.models().forEach((id, m) -> {
          train.computeIfAbsent(id, x -> new ArrayList<>()).add(m.trainWindows());
          inference.computeIfAbsent(id, x -> new ArrayList<>()).add(m.inferenceWindows());
        });
      }
      if (last == null) {
        notes.add("PyTorch not measured: no " + prefix + "pytorch-1.json in " + runDir);
        return Map.of();
      }
      Map<String, ForkSamples[]> out = new LinkedHashMap<>();
      train.forEach((id, forks) -> out.put(id, new ForkSamples[] {new ForkSamples(forks), new ForkSamples(inference.get(id))}));
      notes.add("PyTorch " + last.torchVersion() + ", " + last.threads() + " threads, BLAS: " + last.blas() + "; "
          + processes + (processes == 1 ? " process" : " processes") + (prefix.isEmpty() ? "" : " a round"));
      return out;
    }

    private static final String WHAT = "a run of benchmarks/pytorch/reference.py";

    /** One process's output of reference.py, refused unless every model has timed windows of both kinds. */
    static Run readRun(Path file) throws IOException {
      Run run = JsonFiles.read(JSON, file, Run.class, WHAT);
      for (var m : run.models().entrySet()) {
        if (m.getValue().trainWindows().length == 0 || m.getValue().inferenceWindows().length == 0) {
          throw new IOException(file + " is not " + WHAT + ": model " + m.getKey() + " has no timed windows");
        }
      }
      return run;
    }

    /** reference.py's output: its environment and, per variant id, the timed windows in us/sample. */
    record Run(@JsonProperty(value = "torch_version", required = true) String torchVersion,
        @JsonProperty(required = true) int threads, @JsonProperty(required = true) String blas,
        @JsonProperty(required = true) int batch, @JsonProperty(required = true) Map<String, Model> models) {}

    /** One variant's timings: the mean and each timed window, training and inference. */
    record Model(@JsonProperty(value = "train_us_per_sample", required = true) double trainUsPerSample,
        @JsonProperty(value = "train_windows", required = true) double[] trainWindows,
        @JsonProperty(value = "inference_us_per_sample", required = true) double inferenceUsPerSample,
        @JsonProperty(value = "inference_windows", required = true) double[] inferenceWindows) {}
  }
}
