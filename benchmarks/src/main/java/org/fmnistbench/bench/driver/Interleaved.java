package org.fmnistbench.bench.driver;

import static org.fmnistbench.results.InterleavedResults.BASELINE;
import static org.fmnistbench.results.InterleavedResults.CANDIDATE;
import static org.fmnistbench.results.InterleavedResults.analyse;
import static org.fmnistbench.results.InterleavedResults.metadataFiles;
import static org.fmnistbench.results.InterleavedResults.roundFile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.Precision;
import org.fmnistbench.bench.report.Documents;
import org.fmnistbench.bench.report.InterleavedSummary;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.FileTrees;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.CountComparison;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.InterleaveDesign;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.results.InterleavedResults.Comparison;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.results.RunFolder;
import org.fmnistbench.results.RunMetadata;
import org.fmnistbench.runtime.RuntimeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Is one build slower than another? Both measured side by side on one machine, in rounds: each
 * round runs the chosen points once with each build's benchmarks jar, one fork per point, in an
 * order drawn at random per round (randomized multiple interleaved trials, Abedi and Brecht,
 * ICPE 2017). A figure compared with another run's drifts with the machine (5-12 % between runs
 * here, STABILITY.md); a ratio taken within a round does not see drift slower than the round,
 * which is the guide's rule that a ratio is measured side by side in one run.
 *
 * <p>What it is for: the nightly job's confirmation of a slower figure against the previous
 * build (docs/nightly.md), and a team's question before an upgrade (the baseline jar built on
 * the DL4J version in production, the candidate on the new one). Both jars must be builds of
 * this suite whose benchmarks take the same parameters.
 *
 * <p>Every invocation's JMH JSON and metadata is kept under the run folder ({@code
 * round03-baseline-jmh-cpu.json}); an interrupted comparison resumes with {@code --resume DIR},
 * and {@code --analyse DIR} re-renders {@code summary.md} without measuring.
 */
@Command(name = "interleave", mixinStandardHelpOptions = true,
    description = "Measure two builds' benchmarks jars side by side in interleaved rounds and say, with an interval on "
        + "each ratio, which points the candidate made slower or faster.")
public final class Interleaved implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Mixin
  BenchDriver.JmhOptions options;

  @CommandLine.Mixin
  ReportCommands.ReportOptions report;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** What a kept comparison's design decides (InterleaveDesign), beside the plan's options; --analyse also measures nothing. */
  private static final List<String> DESIGNED = Stream.concat(BenchDriver.DESIGNED_PLAN_OPTIONS.stream(), Stream.of(
      "--baseline-jar", "--candidate-jar", "--baseline-label", "--rounds", "--benchmarks", "--configs", "--alpha", "--seed",
      "--candidate-slowdown", "--points")).toList();
  private static final List<String> MEASURING = List.of("--count", "--jmh-args");

  @Option(names = "--baseline-jar", description = "The build to compare against: its benchmarks/target/benchmarks.jar.")
  Path baselineJar;

  @Option(names = "--candidate-jar", description = "The build under test (default: the jar running this command).")
  Path candidateJar;

  @Option(names = "--baseline-label", description = "What the baseline jar is, for the summary (e.g. 'DL4J 1.0.0-M2.1'), "
      + "beside the commit its jar was built from (or, for a jar built before jars carried their commit, its SHA-256).")
  String baselineLabel;

  @Option(names = "--rounds", description = "Rounds; each measures every point once with each build (default ${DEFAULT-VALUE}).")
  int rounds = 8;

  @Option(names = "--benchmarks", description = "Comma-separated: train, inference (default ${DEFAULT-VALUE}).")
  String benchmarks = "train";

  @Option(names = "--configs", description = "Runtime configurations, separated by ';' (default ${DEFAULT-VALUE}).")
  String configs = "default";

  @Option(names = "--alpha", description = "Family-wise error rate of the calls, two-sided (slower and faster each at half), "
      + "held by Holm's procedure over the points (default ${DEFAULT-VALUE}).")
  double alpha = 0.05;

  @Option(names = "--canary", description = "What each fork's iterations are divided by before a round's ratio is taken: "
      + "NONE, COMPUTE or MEMORY (default ${DEFAULT-VALUE}: a change under test can move the canary, so dividing by it "
      + "can fake or cancel a slowdown; ci/reports/DETECTOR.md measured it). A judgement, not a measurement: "
      + "--analyse DIR --canary COMPUTE judges a finished comparison again.")
  Canary canary = InterleavedResults.DEFAULT_CANARY;

  @Option(names = "--seed", description = "Seed of the rounds' random order (default: a fresh one for every comparison; "
      + "it is recorded in interleave.json, and passing it again repeats the order).")
  Long seed;

  @Option(names = "--candidate-slowdown", hidden = true,
      description = "TEST-ONLY: make the candidate's every operation this fraction slower (e.g. 0.1), to measure detection.")
  double candidateSlowdown;

  @Option(names = "--points", split = ";", splitSynopsisLabel = ";", description = "Exactly these points, separated by ';' "
      + "(benchmark/variant/engine/configuration/bN, as the nightly names them), instead of the product of --variants, "
      + "--engines, --benchmarks, --batch-sizes and --configs: one JMH run per group of points sharing a benchmark, engine, "
      + "batch size and configuration, merged per round, and the Holm family is exactly these points.")
  List<String> points;

  @Option(names = "--resume", description = "An interrupted comparison's result folder: measure only what it lacks.")
  Path resume;

  @Option(names = "--analyse", description = "A finished comparison's result folder: re-render its summary, measure nothing.")
  Path analyse;

  @Option(names = "--publish", description = "Also write the summary as this document in benchmarks/reports "
      + "(e.g. INTERLEAVED-aa.md), the run's JSON beside it.")
  String publish;

  @Option(names = "--count", description = "Also count both builds' instructions at the same points under Callgrind "
      + "(BenchDriver count, one process each) and add the counted change, with the functions that moved, to the summary.")
  boolean count;

  /** One build: the jar its JMH host runs on, and the slowdown injected into it (test only). */
  record Side(String name, String classpath, double slowdown) {}

  @Override
  public Integer call() throws Exception {
    if (publish != null) {
      Documents.requireName("--publish", publish);
    }
    Path runDir = analyse != null ? analyse : resume;
    if (runDir != null) {
      BenchDriver.refuseBesideKeptDesign(spec, runDir, analyse != null
          ? Stream.concat(DESIGNED.stream(), MEASURING.stream()).toList() : DESIGNED);
    } else {
      applyDefaults();
      if (baselineJar == null) {
        throw new IllegalArgumentException("--baseline-jar is required: the benchmarks jar of the build to compare against");
      }
      if (rounds < 2) {
        throw new IllegalArgumentException("--rounds must be at least 2 for an interval, got " + rounds);
      }
      if (!(alpha > 0 && alpha < 1)) {
        throw new IllegalArgumentException("--alpha must be above 0 and below 1 (0.05 is 5 %), got " + alpha);
      }
      runDir = BenchDriver.newRunDir(report.out, "-interleaved");
      design().write(runDir);
    }
    InterleaveDesign design = readDesign(runDir);
    if (analyse == null) {
      measure(runDir, design);
      if (count) {
        countBoth(runDir, design);
      }
    }
    String md = summary(runDir, design) + countedSection(runDir);
    AtomicFiles.writeString(runDir.resolve("summary.md"), md);
    System.out.println(md);
    if (publish != null) {
      Documents.publish(report.reportsDir(), publish, runDir, md);
    }
    return 0;
  }

  /** Counts each side's jar at the comparison's points, into {@code counts-baseline/} and {@code counts-candidate/}. */
  private void countBoth(Path runDir, InterleaveDesign design) throws Exception {
    for (String side : List.of(BASELINE, CANDIDATE)) {
      CountCommand c = new CountCommand();
      c.points.variants = options.text(ExperimentPlan.VARIANTS);
      c.points.engines = options.text(ExperimentPlan.ENGINES);
      c.points.benchmarks = benchmarks;
      c.classpath = design.jar(side);
      c.out = runDir.resolve("counts-" + side);
      c.call();
    }
  }

  /** The counted change per point, when both sides were counted ({@code --count}); else nothing. */
  static String countedSection(Path runDir) throws IOException {
    Optional<Path> before = countsOf(runDir.resolve("counts-" + BASELINE));
    Optional<Path> after = countsOf(runDir.resolve("counts-" + CANDIDATE));
    if (before.isEmpty() || after.isEmpty()) {
      return "";
    }
    CountResults b = CountResults.read(before.get());
    CountResults a = CountResults.read(after.get());
    CountLimit limit = CountReportCommand.limit(a.setting().jit());
    StringBuilder md = new StringBuilder("\n## Counted work (instructions under Callgrind)\n\n"
        + "Each build counted once per point (`BenchDriver count`, JIT " + a.setting().jit() + "); a change beyond "
        + "max(1 %, 6 A/A spreads) is called, with the functions whose own instructions moved most.\n\n"
        + "| point | baseline instructions/op | candidate | change | limit | called | most moved |\n"
        + "|---|---|---|---|---|---|---|\n");
    for (CountResults.Point p : a.points()) {
      Optional<CountResults.Point> q = b.point(p.key())
          .filter(CountResults.Point::ok);
      if (!p.ok() || q.isEmpty()) {
        md.append("| ").append(p.key()).append(" | not counted on both sides |||||| \n");
        continue;
      }
      if (!p.comparableWith(q.get())) {
        md.append("| ").append(p.key()).append(" | counted under different runtimes (baseline '")
            .append(q.get().runtimeOverrides()).append("', candidate '").append(p.runtimeOverrides())
            .append("'): not comparable |||||| \n");
        continue;
      }
      CountLimit.Judgement j = limit.judge(q.get(), p);
      CountComparison c = j.comparison();
      md.append(String.format(Locale.ROOT, "| %s%s | %,.0f | %,.0f | %+.3f %% | %.2f %% | %s | %s |%n", p.key(),
          j.basis() == CountLimit.Basis.ALL ? "" : " (" + j.basis().description() + ")", c.baseline(),
          c.candidate(), 100 * c.relativeChange(), 100 * j.limit(), j.called() ? "yes" : "no",
          j.called() ? String.join("; ", c.topFunctions(3)) : ""));
    }
    return md.toString();
  }

  private static Optional<Path> countsOf(Path dir) throws IOException {
    return CountResults.filesIn(dir, 2).stream().findFirst();
  }

  /** The precise level's shape, one fork per point and side per round (the rounds are the repetition). */
  void applyDefaults() {
    if (points != null) {
      selectExactly(points.stream().map(JmhJson.SeriesKey::parse).toList());
    }
    Precision shape = options.precision().equals(Precision.QUICK) ? Precision.PRECISE : options.precision();
    Integer forks = options.plan.get(ExperimentPlan.FORKS);
    if (forks != null && forks != 1) {
      throw new IllegalArgumentException("--forks is one per point and side in each round; repeat with --rounds instead");
    }
    options.set(ExperimentPlan.FORKS, "1");
    options.fillFrom(shape);
    options.set(ExperimentPlan.ENGINES, String.join(",", options.engineList()));
    options.variantList();
    BenchDriver.parseConfigs(configs);
    classes(benchmarks);
  }

  /** The options' selection set to the unions of {@code keys} (what the design records and the counts use), each key checked. */
  private void selectExactly(List<JmhJson.SeriesKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("--points names no point");
    }
    Function<Function<JmhJson.SeriesKey, String>, String> union =
        f -> keys.stream().map(f).distinct().sorted().collect(Collectors.joining(","));
    options.set(ExperimentPlan.VARIANTS, union.apply(JmhJson.SeriesKey::variantId));
    options.set(ExperimentPlan.ENGINES, union.apply(JmhJson.SeriesKey::engine));
    options.set(ExperimentPlan.BATCH_SIZES, union.apply(k -> String.valueOf(k.batchSize())));
    benchmarks = union.apply(k -> benchmarkOption(k.benchmark()));
    configs = keys.stream().map(k -> RuntimeConfig.parse(k.runtime()).id()).distinct().sorted()
        .collect(Collectors.joining(";"));
    points = keys.stream().map(JmhJson.SeriesKey::toString).distinct().toList();
  }

  /** The --benchmarks word of a benchmark method. */
  private static String benchmarkOption(String method) {
    return switch (method) {
      case "trainStep" -> "train";
      case "inference" -> "inference";
      default -> throw new IllegalArgumentException("interleave compares trainStep and inference points, got " + method);
    };
  }

  /**
   * One JMH run of a round: the benchmark classes and the options (variants, engines, batch
   * sizes) whose product it measures.
   */
  record Group(List<String> classes, BenchDriver.JmhOptions options) {}

  /**
   * The JMH runs of one configuration in a round: the product of the options, or with
   * {@code --points} one run per benchmark, engine and batch size among the points of that
   * configuration, over exactly their variants.
   */
  List<Group> groups(RuntimeConfig config) {
    if (points == null) {
      return List.of(new Group(classes(benchmarks), options));
    }
    Map<String, List<String>> variants = new TreeMap<>();
    for (String key : points) {
      JmhJson.SeriesKey k = JmhJson.SeriesKey.parse(key);
      if (RuntimeConfig.parse(k.runtime()).id().equals(config.id())) {
        variants.computeIfAbsent(k.benchmark() + " " + k.engine() + " " + k.batchSize(), g -> new ArrayList<>()).add(k.variantId());
      }
    }
    List<Group> out = new ArrayList<>();
    variants.forEach((group, ids) -> {
      String[] g = group.split(" ");
      BenchDriver.JmhOptions o = options.with(ExperimentPlan.VARIANTS, String.join(",", ids));
      o.set(ExperimentPlan.ENGINES, g[1]);
      o.set(ExperimentPlan.BATCH_SIZES, g[2]);
      out.add(new Group(classes(benchmarkOption(g[0])), o));
    });
    return out;
  }

  private InterleaveDesign design() throws IOException {
    String candidate = candidateJar != null ? candidateJar.toAbsolutePath().toString() : ownJar();
    long orderSeed = seed != null ? seed : new SecureRandom().nextLong();
    // what each jar was built from, read now: a jar path may hold another build by the time the summary is re-rendered
    ExperimentPlan p = options.plan;
    return new InterleaveDesign(p.text(ExperimentPlan.VARIANTS), p.text(ExperimentPlan.ENGINES), p.text(ExperimentPlan.BATCH_SIZES),
        p.get(ExperimentPlan.FORKS), p.get(ExperimentPlan.ITERATIONS), p.get(ExperimentPlan.TIME),
        p.get(ExperimentPlan.WARMUP_ITERATIONS), p.get(ExperimentPlan.WARMUP_TIME), baselineJar.toAbsolutePath().toString(), baselineLabel,
        sha256(baselineJar.toString()), candidate, sha256(candidate), stampOf(baselineJar.toString()).orElse(null),
        stampOf(candidate).orElse(null), candidateSlowdown, benchmarks, configs, points, rounds, alpha, orderSeed,
        balancedOrder(rounds, orderSeed));
  }

  /**
   * The rounds' order: each build goes first in half the rounds (one more when the rounds are
   * odd, which build by the seed), in an order shuffled by the seed, so that whatever going first
   * or second does to a fork falls on both builds alike. A fixed order, or one that is random
   * round by round, leaves one build first more often (9 of 16 rounds at the old fixed seed).
   */
  static List<String> balancedOrder(int rounds, long seed) {
    // SplittableRandom mixes the seed: java.util.Random's first draws of nearby seeds agree
    Random random = new Random(new SplittableRandom(seed).nextLong());
    List<String> order = new ArrayList<>();
    boolean extraBaselineFirst = random.nextBoolean();
    for (int r = 0; r < rounds; r++) {
      boolean baselineFirst = r < rounds / 2 || (r == rounds - 1 && rounds % 2 == 1 && extraBaselineFirst);
      order.add(baselineFirst ? BASELINE + "," + CANDIDATE : CANDIDATE + "," + BASELINE);
    }
    Collections.shuffle(order, random);
    return order;
  }

  private InterleaveDesign readDesign(Path dir) throws IOException {
    InterleaveDesign d = InterleavedResults.design(dir);
    options.measureAsDesigned(d.variants(), d.engines(), d.batchSizes(), 1, d.iterations(), d.iterationSeconds(),
        d.warmupIterations(), d.warmupSeconds());
    benchmarks = d.benchmarks();
    configs = d.configs();
    rounds = d.rounds();
    alpha = d.alphaOrDefault();
    points = d.points() == null ? null : new ArrayList<>(d.points());
    return d;
  }

  private void measure(Path runDir, InterleaveDesign design) throws IOException, InterruptedException {
    Map<String, Side> sides = Map.of(
        BASELINE, new Side(BASELINE, design.baselineJar(), 0),
        CANDIDATE, new Side(CANDIDATE, design.candidateJar(), design.slowdown()));
    for (Side s : sides.values()) {
      String recorded = design.sha256(s.name());
      if (!recorded.equals(sha256(s.classpath()))) {
        throw new IllegalArgumentException("the " + s.name() + " jar " + s.classpath() + " is not the one the comparison began with "
            + "(SHA-256 " + recorded + "); start a new comparison");
      }
    }
    List<RuntimeConfig> configList = BenchDriver.parseConfigs(configs);
    List<Double> walls = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      for (String name : design.order().get(r - 1).split(",")) {
        Side side = sides.get(name);
        for (RuntimeConfig config : configList) {
          String label = BenchDriver.label(Backend.CPU, config);
          if (Files.isRegularFile(roundFile(runDir, r, name, RunFolder.jmhName(label)))) {
            continue; // kept from before an interruption
          }
          int left = (rounds - r + 1) * 2 * configList.size();
          String eta = walls.isEmpty() ? "" : String.format(Locale.ROOT, ", at most %d min left",
              Math.round(walls.stream().mapToDouble(Double::doubleValue).average().orElse(0) * left / 60));
          System.out.printf(Locale.ROOT, "interleave: round %d of %d, %s, %s%s%n", r, rounds, name, config.id(), eta);
          long start = System.nanoTime();
          Path dir = Files.createDirectories(runDir.resolve("round-" + r + "-" + name));
          List<String> notes = new ArrayList<>();
          List<Group> groups = groups(config);
          for (int g = 0; g < groups.size(); g++) {
            BenchDriver.JmhOptions o = groups.get(g).options().with(ExperimentPlan.INJECT_SLOWDOWN, String.valueOf(side.slowdown()));
            Path into = groups.size() == 1 ? dir : Files.createDirectories(dir.resolve("group" + g));
            if (BenchDriver.runJmh(into, Backend.CPU, config, groups.get(g).classes(), o, List.of(), notes, side.classpath())
                .isEmpty()) {
              throw new IOException("round " + r + " (" + name + ") failed: " + String.join("; ", notes)
                  + " (resume with --resume " + runDir + ")");
            }
          }
          if (groups.size() > 1) {
            mergeGroups(dir, groups.size(), label);
          }
          walls.add(Duration.ofNanos(System.nanoTime() - start).toMillis() / 1e3);
          // metadata first, JMH's JSON last: an invocation counts as done only once its JSON is in place
          RunFolder round = new RunFolder(dir);
          if (Files.isRegularFile(round.metadata(label))) { // its failure is in notes, not fatal
            Files.move(round.metadata(label), roundFile(runDir, r, name, RunFolder.metadataName(label)));
          } else {
            System.out.println("interleave: " + String.join("; ", notes));
          }
          Files.move(round.jmh(label), roundFile(runDir, r, name, RunFolder.jmhName(label)));
          ReportCommands.moveInto(dir, runDir, String.format(Locale.ROOT, "round%02d-%s-", r, name));
        }
      }
    }
  }

  /**
   * The groups' results of one round and side as one run's: their JMH results (JSON arrays)
   * concatenated into {@code jmh-<label>.json}, the first group's metadata and other files kept.
   */
  static void mergeGroups(Path dir, int groups, String label) throws IOException {
    ArrayNode all = JSON.createArrayNode();
    for (int g = 0; g < groups; g++) {
      Path group = dir.resolve("group" + g);
      Path part = new RunFolder(group).jmh(label);
      JmhJson.read(part); // refuses a cut-off or foreign file, naming it, before it is merged
      all.addAll((ArrayNode) JSON.readTree(part.toFile()));
      Files.delete(part);
      if (g == 0) {
        ReportCommands.moveInto(group, dir, "");
      } else {
        FileTrees.delete(group);
      }
    }
    AtomicFiles.writeJson(new RunFolder(dir).jmh(label), all);
  }

  private static List<String> classes(String benchmarks) {
    List<String> out = new ArrayList<>();
    for (String b : benchmarks.split(",")) {
      if (!b.trim().equals("train") && !b.trim().equals("inference")) {
        throw new IllegalArgumentException("--benchmarks takes train and inference, got '" + b.trim() + "'");
      }
      out.add(BenchDriver.BENCHMARKS.get(b.trim()));
    }
    return out;
  }

  private String summary(Path runDir, InterleaveDesign design) throws IOException {
    List<Comparison> comparisons = analyse(runDir, canary);
    ExperimentPlan p = options.plan;
    String command = "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver interleave --baseline-jar "
        + design.baselineJar() + (points != null ? " --points '" + String.join(";", points) + "'"
            : " --variants " + p.text(ExperimentPlan.VARIANTS) + " --engines " + p.text(ExperimentPlan.ENGINES) + " --benchmarks "
                + benchmarks + " --configs '" + configs + "' --batch-sizes " + p.text(ExperimentPlan.BATCH_SIZES)) + " --rounds " + rounds
        + " --seed " + design.seed() + " --alpha " + alpha + " --warmup-iterations " + p.get(ExperimentPlan.WARMUP_ITERATIONS)
        + " --warmup-time " + p.get(ExperimentPlan.WARMUP_TIME) + " --iterations " + p.get(ExperimentPlan.ITERATIONS) + " --time "
        + p.get(ExperimentPlan.TIME)
        + (design.baselineLabel() != null ? " --baseline-label '" + design.baselineLabel() + "'" : "")
        + (design.candidateJar().equals(ownJar()) ? "" : " --candidate-jar " + design.candidateJar())
        + (design.slowdown() > 0 ? " --candidate-slowdown " + design.slowdown()
            : "")
        + (canary == InterleavedResults.DEFAULT_CANARY ? "" : " --canary " + canary);
    List<RunMetadata.MachineActivity> activity = new ArrayList<>();
    for (Path m : metadataFiles(runDir)) {
      activity.add(RunMetadata.read(m).activity());
    }
    String candidateCommit = builtFrom(design, CANDIDATE);
    String baselineName = design.baselineLabel() != null ? design.baselineLabel() + " (label), "
        + builtFrom(design, BASELINE) : builtFrom(design, BASELINE);
    StringBuilder md = new StringBuilder(Documents.header("Interleaved comparison of two builds", command, runDir,
        candidateCommit + "` (candidate); baseline `" + baselineName));
    md.append(InterleavedSummary.body(design, comparisons, activity));
    return md.toString();
  }

  /** The commit a side's jar was built from (its stamp, as the design recorded it), or its SHA-256 for a jar without one. */
  private static String builtFrom(InterleaveDesign design, String side) {
    return design.commit(side) != null ? design.commit(side) : "jar SHA-256 " + design.sha256(side).substring(0, 12);
  }

  private static Optional<String> stampOf(String classpath) throws IOException {
    Path jar = Path.of(classpath);
    return Files.isRegularFile(jar) ? CommitId.ofJar(jar).map(CommitId::toString) : Optional.empty();
  }

  /** The jar running this command, as an absolute path when it is one file (its classpath as given otherwise). */
  private static String ownJar() {
    Path own = Path.of(BenchDriver.ChildJvm.OWN_CLASSPATH);
    return Files.isRegularFile(own) ? own.toAbsolutePath().toString() : BenchDriver.ChildJvm.OWN_CLASSPATH;
  }

  /** The SHA-256 of a jar (or of a classpath's single file), so a resumed comparison measures the same builds. */
  static String sha256(String classpath) throws IOException {
    Path file = Path.of(classpath);
    if (!Files.isRegularFile(file)) {
      if (classpath.contains(File.pathSeparator)) {
        return "classpath of several entries: " + classpath.split(File.pathSeparator).length;
      }
      throw new IllegalArgumentException(classpath + " is not a file; expected a benchmarks.jar (benchmarks/target/benchmarks.jar)");
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      MessageDigest md = ((DigestInputStream) in).getMessageDigest();
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
