package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The nightly job's Java half (ci/nightly runs the suite, then this): appends a benchmark run
 * and the gate's results to the history, compares them with the recent history of the same
 * machine and backend, exports, and regenerates the dashboard. Exits 1 when anything
 * regressed, after printing which benchmark, by how much and with what confidence.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
    subcommands = {Nightly.Record.class, Nightly.Import.class, Nightly.Render.class},
    description = "Results history, regression detection and dashboard.")
public final class Nightly {
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Nightly());
    cli.setExecutionExceptionHandler((ex, c, p) -> {
      c.getErr().println("nightly: " + ex.getMessage());
      return 2;
    });
    System.exit(cli.execute(args));
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

    @Option(names = "--alpha", description = "Mann-Whitney significance level (default ${DEFAULT-VALUE}).")
    double alpha = RegressionDetector.Thresholds.defaults().alpha();

    @Option(names = "--min-effect", description = "Smallest relative change of the median reported (default ${DEFAULT-VALUE}).")
    double minEffect = RegressionDetector.Thresholds.defaults().minEffect();

    @Option(names = "--window", description = "Earlier runs compared against (default ${DEFAULT-VALUE}).")
    int window = RegressionDetector.Thresholds.defaults().window();

    @Option(names = "--accuracy-drop", description = "Smallest accuracy drop reported, fraction (default ${DEFAULT-VALUE}).")
    double accuracyDrop = RegressionDetector.Thresholds.defaults().accuracyDrop();

    @Override
    public Integer call() throws IOException {
      History h = new History(history);
      RegressionDetector detector = new RegressionDetector(new RegressionDetector.Thresholds(alpha, minEffect, window, accuracyDrop));
      List<RegressionDetector.Finding> findings = new ArrayList<>();
      List<Path> jmhFiles;
      try (Stream<Path> s = Files.list(results)) {
        jmhFiles = s.filter(p -> p.getFileName().toString().matches("jmh-[a-z]+(@[a-z0-9._-]+)?\\.json")).sorted().toList();
      }
      if (jmhFiles.isEmpty()) {
        throw new IllegalArgumentException(results + " has no jmh-<backend>.json: not a bench driver run folder");
      }
      for (Path jmh : jmhFiles) {
        String backend = jmh.getFileName().toString().replaceAll("^jmh-|\\.json$", "");
        Path meta = results.resolve("metadata-" + backend + ".json");
        Optional<Path> gateFile = backend.equals("cpu") ? Optional.ofNullable(gate).filter(Files::isRegularFile) : Optional.empty();
        History.Entry entry = h.append(jmh, meta, gateFile);
        System.out.println("History: added " + entry.dir());
        List<History.Entry> before = h.before(entry);
        List<Map<String, BenchResults.Point>> past = new ArrayList<>();
        List<List<GateResult>> pastGates = new ArrayList<>();
        for (History.Entry e : before) {
          past.add(BenchResults.read(e.jmh()));
          if (e.gate().isPresent()) {
            pastGates.add(GateResult.read(e.gate().get()));
          }
        }
        Map<String, BenchResults.Point> now = BenchResults.read(entry.jmh());
        findings.addAll(detector.compareTimes(now, past));
        if (entry.gate().isPresent()) {
          findings.addAll(detector.compareAccuracy(GateResult.read(entry.gate().get()), pastGates));
        }
        Exports.githubActionBenchmark(now, backend, results.resolve("github-action-benchmark-" + backend + ".json"));
      }
      render();
      List<RegressionDetector.Finding> regressions = findings.stream()
          .filter(f -> f.verdict() == RegressionDetector.Verdict.REGRESSION).toList();
      System.out.println();
      System.out.println("Compared " + findings.size() + " figures with up to " + window + " earlier runs of the same machine and backend:");
      for (RegressionDetector.Finding f : findings) {
        if (f.verdict() != RegressionDetector.Verdict.UNCHANGED) {
          System.out.println("  " + f.describe());
        }
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

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Merge another machine's history (e.g. a GPU box's ci/history) into this one, then render.")
  static final class Import extends Common implements Callable<Integer> {
    @Parameters(paramLabel = "OTHER_HISTORY", description = "The other history folder.")
    Path other;

    @Override
    public Integer call() throws IOException {
      if (!Files.isDirectory(other)) {
        throw new IllegalArgumentException(other + " is not a history folder");
      }
      int added = new History(history).importFrom(new History(other));
      System.out.println("Imported " + added + " run(s) from " + other);
      render();
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
}
