package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.FileTrees;
import org.fmnistbench.io.ShortCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The nightly after its build: ci/nightly runs {@code mvn verify -Pbench} (the tests, the gate and
 * the benchmarks), then this, which judges the night in order:
 * <ol>
 *   <li>a first look ({@code Nightly record --dry-run}) that names the points to measure again;
 *   <li>those points measured again: beside the previous build when its jar is at hand ({@code
 *       BenchDriver interleave}, both builds in alternating rounds), else in fresh JVMs of this
 *       build ({@code mvn verify -Pbench} on those points);
 *   <li>the judgement ({@code Nightly record}), which appends to the history and renders;
 *   <li>tonight's share of the counted points ({@code BenchDriver count --tonight}), this build's
 *       and the previous build's, judged by {@code Nightly counts}.
 * </ol>
 * Each option defaults to the environment variable that ci/nightly documents, so a workflow sets
 * them as it always did. Exit status: 0 when nothing regressed, 1 on a regression (gate failures
 * included), 2 when the run itself failed.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "The nightly after its Maven build (ci/nightly runs both): confirm, record, count, judge.")
final class NightlyRun implements Callable<Integer> {
  static final Path RESULTS = Path.of("ci/out/results");
  static final Path OUT = Path.of("ci/out");
  static final String GATE = "models/target/gate-results.json";
  static final String BENCH_JAR = "benchmarks/target/benchmarks.jar";
  static final String BENCH_DRIVER = "org.fmnistbench.bench.driver.BenchDriver";

  @Option(names = "--backends", defaultValue = "${env:BACKENDS:-cpu}", description = "Backends measured (BACKENDS; default cpu).")
  String backends;

  @Option(names = "--history", defaultValue = "${env:HISTORY:-ci/history}", description = "History folder (HISTORY).")
  Path history;

  @Option(names = "--dashboard", defaultValue = "${env:DASHBOARD:-ci/out/dashboard}", description = "Dashboard folder (DASHBOARD).")
  Path dashboard;

  @Option(names = "--record-args", defaultValue = "${env:NIGHTLY_ARGS:-}",
      description = "Extra options for 'Nightly record', one string (NIGHTLY_ARGS, e.g. \"--z 3\").")
  String recordArgs;

  @Option(names = "--confirm", defaultValue = "${env:CONFIRM:-1}",
      description = "1: measure the points judged slower again before they fail the job; 0: fail on the first look (CONFIRM).")
  String confirm;

  @Option(names = "--baseline-jar", defaultValue = "${env:BASELINE_JAR:-}",
      description = "The previous build's benchmarks.jar (BASELINE_JAR; default: built from the history's newest commit).")
  String baselineJar;

  @Option(names = "--interleave-scope", defaultValue = "${env:INTERLEAVE_SCOPE:-sentinels}",
      description = "Which points are measured beside the previous build: sentinels, flagged or training (INTERLEAVE_SCOPE).")
  String interleaveScope;

  @Option(names = "--interleave-rounds", defaultValue = "${env:INTERLEAVE_ROUNDS:-}",
      description = "Rounds of that comparison (INTERLEAVE_ROUNDS; default: the scope's).")
  String interleaveRounds;

  @Option(names = "--counts", defaultValue = "${env:COUNTS:-1}",
      description = "1: count tonight's points under Callgrind; 0: skip counting (COUNTS).")
  String counts;

  @Parameters(description = "The Maven options the build ran with (-Dbench.variants=... and so on): the confirming "
      + "run takes them too.")
  List<String> mavenArgs = new ArrayList<>();

  /** How an external command runs: a child process sharing this one's output, in the repository's root. */
  interface Commands {
    int run(List<String> command) throws IOException, InterruptedException;
  }

  private final Path root;
  private final Commands commands;
  private final Nightly.Cli nightly;

  NightlyRun() {
    this(Path.of(""), command -> new ProcessBuilder(command).inheritIO().start().waitFor(), Nightly.Cli.IN_PROCESS);
  }

  /** A night in {@code root} (the repository's, where the build left its results), its commands run by {@code commands}. */
  NightlyRun(Path root, Commands commands, Nightly.Cli nightly) {
    this.root = root;
    this.commands = commands;
    this.nightly = nightly;
  }

  /** The run's end, with the exit status the launcher returns. */
  static final class Stop extends Exception {
    final int status;

    Stop(String why, int status) {
      super(why);
      this.status = status;
    }
  }

  @Override
  public Integer call() throws Exception {
    try {
      return night();
    } catch (Stop s) {
      System.err.println("nightly: " + s.getMessage());
      return s.status;
    }
  }

  private int night() throws Exception {
    List<String> extra = words("NIGHTLY_ARGS (--record-args)", recordArgs); // refused before anything runs
    Path run = newest(root.resolve(RESULTS)).orElseThrow(() -> new Stop("no benchmark results under " + RESULTS, 2));
    machineFile(run);
    List<String> judge = List.of("--results", run.toString(), "--gate", root.resolve(GATE).toString(), "--history",
        history.toString());
    List<String> confirmation = List.of();
    Optional<Previous> previous = Optional.empty();
    if (!"0".equals(confirm)) {
      Path rerun = root.resolve(OUT).resolve("rerun-args.txt");
      Path beside = root.resolve(OUT).resolve("interleave-args.txt");
      List<String> firstLook = new ArrayList<>(List.of("record"));
      firstLook.addAll(judge);
      firstLook.addAll(List.of("--dry-run", "--rerun-args", rerun.toString(), "--interleave-args", beside.toString(),
          "--interleave-scope", interleaveScope.toUpperCase(Locale.ROOT)));
      if (!interleaveRounds.isBlank()) {
        firstLook.addAll(List.of("--interleave-rounds", interleaveRounds));
      }
      firstLook.addAll(extra);
      if (nightly.execute(firstLook) != 0) {
        throw new Stop("judging the run failed; nothing recorded", 2);
      }
      // the comparison measures CPU points; a machine that also measures CUDA confirms by the re-run
      if (nonEmpty(beside) && backends.equals("cpu")) {
        previous = previousBuild(run);
      }
      if (previous.isPresent()) {
        confirmation = beside(previous.get(), words(beside.toString(), Files.readString(beside)));
      } else if (nonEmpty(rerun)) {
        confirmation = again(words(rerun.toString(), Files.readString(rerun)));
      }
    }
    List<String> record = new ArrayList<>(List.of("record"));
    record.addAll(judge);
    record.addAll(List.of("--dashboard", dashboard.toString()));
    record.addAll(confirmation);
    record.addAll(extra);
    int status = nightly.execute(record);
    if (status == 2) {
      return 2;
    }
    if (gateExpected() && !Files.isRegularFile(root.resolve(GATE))) {
      // the build ignores test failures so that the benchmarks run; a gate that crashed leaves no file, not a failure
      System.err.println("nightly: the accuracy gate left no results (" + GATE + "): it ran but crashed or never "
          + "finished, so tonight's accuracy was not judged; this fails the night as a failing gate does");
      status = Math.max(status, 1);
    }
    if (!"0".equals(counts) && backends.equals("cpu")) {
      int counted = count(previous);
      if (counted == 2) {
        return 2;
      }
      status = Math.max(status, counted);
    }
    return status;
  }

  /**
   * Whether the build ran the gate: not when the night's Maven options skip the tests or the
   * integration tests (ci/nightly sets -DskipITs=false before them). Each property is read as
   * Maven reads it, so -DskipTests skips the gate whatever -DskipITs says.
   */
  boolean gateExpected() {
    return Stream.of("skipTests", "skipITs", "maven.test.skip")
        .noneMatch(p -> mavenProperty(p).map(v -> v.equals("true")).orElse(false));
  }

  /** A -D property of the night's Maven options: its last value ("true" for a bare -Dname), empty when not given. */
  Optional<String> mavenProperty(String name) {
    Optional<String> value = Optional.empty();
    for (String a : mavenArgs) {
      if (a.equals("-D" + name)) {
        value = Optional.of("true");
      } else if (a.startsWith("-D" + name + "=")) {
        value = Optional.of(a.substring(("-D" + name + "=").length()));
      }
    }
    return value;
  }

  /** This machine as the history names it, for the workflow's chart series; no file when that cannot be told. */
  private void machineFile(Path run) throws IOException {
    Path file = root.resolve(OUT).resolve("machine.txt");
    try {
      String machine = new History(history).placeOf(Nightly.cpuMetadata(run)).machine();
      AtomicFiles.writeString(file, machine + "\n");
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("nightly: this machine's name for the charts could not be told: " + e.getMessage());
      Files.deleteIfExists(file);
    }
  }

  /**
   * The previous build's benchmarks jar: --baseline-jar if given; else the build of the history's
   * newest run of this machine: this one's jar when that is this commit, unchanged; else built from
   * that commit in a worktree. Empty when there is none, or it cannot be built.
   */
  Optional<Previous> previousBuild(Path run) throws Exception {
    if (!baselineJar.isBlank()) {
      return Optional.of(new Previous(baselineJar, "BASELINE_JAR " + baselineJar));
    }
    Optional<String> commit = Nightly.PreviousBuild.commit(run, history);
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    if (Git.head().filter(h -> h.startsWith(commit.get())).isPresent() && Git.clean()) {
      return Optional.of(new Previous(root.resolve(BENCH_JAR).toAbsolutePath().toString(), commit.get()));
    }
    Path src = root.resolve(OUT).resolve("previous-build").toAbsolutePath();
    Git.removeWorktree(src);
    if (commands.run(List.of("git", "worktree", "add", "--detach", src.toString(), commit.get())) == 0
        && commands.run(List.of("mvn", "-B", "-q", "-f", src.resolve("pom.xml").toString(), "-pl", "benchmarks", "-am",
            "-DskipTests", "package")) == 0) {
      return Optional.of(new Previous(src.resolve(BENCH_JAR).toString(), commit.get()));
    }
    System.err.println("nightly: could not build the previous build " + commit.get() + "; measuring this build alone");
    return Optional.empty();
  }

  /** The previous build: its benchmarks jar, and how the comparison names it (its commit, or BASELINE_JAR). */
  record Previous(String jar, String label) {}

  /** The flagged points measured beside the previous build (BenchDriver interleave); record's options for it. */
  private List<String> beside(Previous previous, List<String> options) throws Exception {
    // the drill's injected slowdown belongs to this build, not the previous one
    String slowdown = mavenProperty("bench.injectSlowdown").orElse("0");
    System.out.println("nightly: measuring beside the previous build (" + previous.jar() + "): " + String.join(" ", options));
    Path out = root.resolve(OUT).resolve("interleaved").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of(java(), "-cp", BENCH_JAR, BENCH_DRIVER, "interleave", "--baseline-jar",
        previous.jar(), "--baseline-label", previous.label(), "--out", out.toString(), "--candidate-slowdown", slowdown));
    command.addAll(options);
    if (commands.run(command) != 0) {
      throw new Stop("the interleaved comparison failed; nothing recorded", 2);
    }
    return List.of("--interleaved", newest(out).orElseThrow(() -> new Stop("the interleaved comparison left no result "
        + "folder under " + out, 2)).toString());
  }

  /** The flagged points measured again in fresh JVMs of this build; record's options for it. */
  private List<String> again(List<String> properties) throws Exception {
    System.out.println("nightly: measuring the slower points again: " + String.join(" ", properties));
    Path out = root.resolve(OUT).resolve("confirm").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of("mvn", "-B", "verify", "-P" + profiles(), "-DskipTests", "-DskipITs=true",
        "-Dbench.backends=" + backends, "-Dbench.out=" + out, "-Dbench.precision=precise"));
    command.addAll(mavenArgs);
    command.addAll(properties);
    if (commands.run(command) != 0) {
      throw new Stop("the confirming run failed; nothing recorded", 2);
    }
    return List.of("--confirm", newest(out).orElseThrow(() -> new Stop("the confirming run left no result folder under "
        + out, 2)).toString());
  }

  /**
   * Counted work (docs/nightly.md): tonight's share of the points counted under Callgrind (each
   * variant's cheapest every night, the rest once a week), judged against the previous build
   * counted tonight beside this one when its jar is at hand, else against the history's counts of
   * this CPU. Nightly counts' status.
   */
  private int count(Optional<Previous> previous) throws Exception {
    String night = String.valueOf(LocalDate.now(ZoneOffset.UTC).toEpochDay());
    Path out = root.resolve(OUT).resolve("counts").toAbsolutePath();
    Path outPrevious = root.resolve(OUT).resolve("counts-previous").toAbsolutePath();
    FileTrees.delete(out);
    FileTrees.delete(outPrevious);
    if (commands.run(List.of(java(), "-cp", BENCH_JAR, BENCH_DRIVER, "count", "--tonight", "--night", night, "--out",
        out.toString())) != 0) {
      System.err.println("nightly: a point could not be counted (listed above; it is reported as failed)");
    }
    Path tonight = newest(out).orElseThrow(() -> new Stop("counting left no result folder", 2));
    List<String> judge = new ArrayList<>(List.of("counts", "--results", tonight.toString(), "--history", history.toString(),
        "--dashboard", dashboard.toString()));
    if (previous.isPresent()) {
      // the previous build's classes, counted by this build's driver, at the same points
      if (commands.run(List.of(java(), "-cp", BENCH_JAR, BENCH_DRIVER, "count", "--tonight", "--night", night,
          "--classpath", previous.get().jar(), "--out", outPrevious.toString())) == 0 && newest(outPrevious).isPresent()) {
        judge.addAll(List.of("--previous", newest(outPrevious).get().toString()));
      } else {
        System.err.println("nightly: the previous build could not be counted; judging counts against the history");
      }
    }
    return nightly.execute(judge);
  }

  private String profiles() {
    return backends.contains("cuda") ? "bench,cuda" : "bench";
  }

  /** This JVM's java launcher, for the bench driver's JVMs. */
  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The newest result folder in {@code dir} (names start with their UTC time), if any. */
  static Optional<Path> newest(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).max(Comparator.comparing(p -> p.getFileName().toString()));
    }
  }

  private static boolean nonEmpty(Path file) throws IOException {
    return Files.isRegularFile(file) && !Files.readString(file).isBlank();
  }

  /**
   * A file's or a variable's options, one word each, as a shell would split them unquoted. A quote
   * is refused: no shell reads NIGHTLY_ARGS here, so '--sentinels "a,b"' would reach the option
   * with its quotes and name no series.
   */
  static List<String> words(String what, String text) {
    if (text != null && (text.indexOf('"') >= 0 || text.indexOf('\'') >= 0)) {
      throw new IllegalArgumentException(what + " is split at spaces and never unquoted; remove the quotes from '"
          + text.trim() + "'");
    }
    return text == null || text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }

  /**
   * The few git facts the nightly needs, from git itself, each under a limit: a git stuck (on a
   * lock, or an fsmonitor hook) must not hang the night. A git that fails or hangs gives no head
   * and no clean tree, so the previous build is built from its commit rather than assumed.
   */
  static final class Git {
    private Git() {}

    private static final Duration LIMIT = Duration.ofSeconds(60);

    static Optional<String> head() throws IOException, InterruptedException {
      return ShortCommand.run(List.of("git", "rev-parse", "HEAD"), null, ShortCommand.Streams.STDOUT, LIMIT)
          .filter(ShortCommand.Finished::ok).map(f -> f.output().trim());
    }

    static boolean clean() throws IOException, InterruptedException {
      return ShortCommand.run(List.of("git", "diff", "--quiet", "HEAD", "--"), null, ShortCommand.Streams.STDOUT, LIMIT)
          .map(ShortCommand.Finished::ok).orElse(false);
    }

    /** Removes the worktree at {@code dir} and whatever is left there (git may not know it). */
    static void removeWorktree(Path dir) throws IOException, InterruptedException {
      ShortCommand.run(List.of("git", "worktree", "remove", "--force", dir.toString()), null, ShortCommand.Streams.BOTH, LIMIT);
      FileTrees.delete(dir);
    }
  }
}
