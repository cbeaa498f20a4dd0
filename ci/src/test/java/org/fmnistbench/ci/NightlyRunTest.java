package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The nightly after its build ({@code Nightly run}, as ci/nightly launches it), with the
 * benchmarks that a night would measure again played by a fake that writes what the bench driver
 * writes, and the judging subcommands run for real: which commands the night runs, in what order,
 * with what, and the status the job ends with.
 */
class NightlyRunTest {
  private static final String CNN_TRAIN = "trainStep/cnn/layer-api/default/b32";
  @TempDir Path root;
  /** Whether the night's build left the gate's results, as a build that ran the gate does. */
  private boolean gateRan = true;

  /**
   * Commands the night ran; a Maven re-run writes a run folder with cnn at {@code againUs} where
   * -Dbench.out says; git cannot check out the history's commits (there are none such here), so the
   * previous build cannot be built.
   */
  private static final class Fake implements NightlyRun.Commands {
    final List<List<String>> ran = new ArrayList<>();
    final double againUs;
    final int status;

    Fake(double againUs, int status) {
      this.againUs = againUs;
      this.status = status;
    }

    @Override
    public int run(List<String> command) throws IOException {
      ran.add(command);
      if (command.get(0).equals("git")) {
        return 128;
      }
      for (String a : command) {
        if (a.startsWith("-Dbench.out=") && status == 0) {
          Synthetic.runFolder(Path.of(a.substring("-Dbench.out=".length())).resolve("20261105T040000Z-again"), 6, againUs);
        }
      }
      return status;
    }
  }

  private int night(Fake fake, String... options) throws IOException {
    History h = Synthetic.fourQuietRuns(root, "history");
    Synthetic.runFolder(root.resolve(NightlyRun.RESULTS).resolve("20261105T030000Z-night"), 5, 13_000);
    if (gateRan) {
      Synthetic.gate(Files.createDirectories(root.resolve(NightlyRun.GATE).getParent()).resolve("gate-results.json"), 0.73, true);
    }
    List<String> args = new ArrayList<>(List.of("--history", h.root().toString(), "--dashboard",
        root.resolve("dashboard").toString(), "--record-args", "--z=4", "--counts", "0"));
    args.addAll(List.of(options));
    return new CommandLine(new NightlyRun(root, fake, Nightly.Cli.IN_PROCESS)).execute(args.toArray(String[]::new));
  }

  @Test
  void aSlowerPointIsMeasuredAgainWithTheNightsMavenOptionsAndFailsTheJobWhenSlowerAgain() throws Exception {
    Fake fake = new Fake(12_900, 0);
    assertEquals(1, night(fake, "--interleave-scope", "flagged", "--", "-Dbench.iterations=2"));
    List<String> mvn = fake.ran.get(fake.ran.size() - 1);
    assertEquals(List.of("git", "worktree", "add"), fake.ran.get(0).subList(0, 3), "the previous build tried first");
    assertEquals(2, fake.ran.size(), "then one confirming run: " + fake.ran);
    assertEquals(List.of("mvn", "-B", "verify", "-Pbench", "-DskipTests"), mvn.subList(0, 5));
    assertTrue(mvn.contains("-Dbench.iterations=2"), "the night's Maven options: " + mvn);
    assertTrue(mvn.contains("-Dbench.variants=cnn"), "the flagged points: " + mvn);
    assertEquals(List.of("REGRESSION"), Synthetic.verdicts(new History(root.resolve("history")), "20261105T030000Z", CNN_TRAIN));
    String machine = Files.readString(root.resolve("ci/out/machine.txt")).trim();
    assertEquals(new History(root.resolve("history")).entries().get(0).machine(), machine, "the chart series' machine");
  }

  @Test
  void aSlowerPointAtTheUsualSpeedAgainIsRecordedUnconfirmedAndTheJobPasses() throws Exception {
    assertEquals(0, night(new Fake(10_000, 0), "--interleave-scope", "flagged"));
    assertEquals(List.of("UNCONFIRMED"), Synthetic.verdicts(new History(root.resolve("history")), "20261105T030000Z",
        CNN_TRAIN));
  }

  @Test
  void aGateThatLeftNoResultsFailsTheNightUnlessTheNightSkippedIt() throws Exception {
    gateRan = false;
    assertEquals(1, night(new Fake(10_000, 0), "--interleave-scope", "flagged"),
        "a night otherwise like aSlowerPointAtTheUsualSpeedAgain..., which passes");
    assertTrue(!gateExpected("-Dbench.iterations=2", "-DskipTests"), "-DskipTests skips the gate");
    assertTrue(!gateExpected("-DskipITs"));
    assertTrue(gateExpected("-DskipITs=true", "-DskipITs=false"), "the last option wins");
    assertTrue(!gateExpected("-DskipTests", "-DskipITs=false"), "-DskipTests skips the integration tests too");
    assertTrue(gateExpected("-Dbench.variants=mlp"));
  }

  private boolean gateExpected(String... mavenArgs) {
    NightlyRun run = new NightlyRun(root, new Fake(10_000, 0), Nightly.Cli.IN_PROCESS);
    List<String> args = new ArrayList<>(List.of("--"));
    args.addAll(List.of(mavenArgs));
    new CommandLine(run).parseArgs(args.toArray(String[]::new));
    return run.gateExpected();
  }

  @Test
  void withoutConfirmationTheFirstLookDecides() throws Exception {
    Fake fake = new Fake(10_000, 0);
    assertEquals(1, night(fake, "--confirm", "0"));
    assertEquals(List.of(), fake.ran);
  }

  @Test
  void aConfirmingRunThatFailsEndsTheNightWithStatus2AndRecordsNothing() throws Exception {
    Fake fake = new Fake(10_000, 1);
    assertEquals(2, night(fake, "--interleave-scope", "flagged"));
    assertEquals(4, new History(root.resolve("history")).entries().size(), "nothing appended");
  }

  @Test
  void besideAGivenBaselineJarTheFlaggedPointsAreInterleaved() throws Exception {
    Fake fake = new Fake(10_000, 1);
    assertEquals(2, night(fake, "--interleave-scope", "flagged", "--baseline-jar", "/builds/old.jar", "--",
        "-Dbench.injectSlowdown=0.1"));
    List<String> interleave = fake.ran.get(0);
    assertTrue(interleave.containsAll(List.of("interleave", "--baseline-jar", "/builds/old.jar", "--baseline-label",
        "BASELINE_JAR /builds/old.jar", "--candidate-slowdown", "0.1")), interleave.toString());
    int points = interleave.indexOf("--points");
    assertTrue(points > 0 && interleave.get(points + 1).contains("trainStep/cnn/layer-api"), interleave.toString());
  }

  @Test
  void countingThatLeavesNoResultEndsTheNightWithStatus2() throws Exception {
    Fake fake = new Fake(10_000, 0);
    History h = Synthetic.fourQuietRuns(root, "history");
    Synthetic.runFolder(root.resolve(NightlyRun.RESULTS).resolve("20261105T030000Z-night"), 5, 10_000);
    int status = new CommandLine(new NightlyRun(root, fake, Nightly.Cli.IN_PROCESS)).execute("--history",
        h.root().toString(), "--dashboard", root.resolve("dashboard").toString(), "--confirm", "0", "--counts", "1");
    assertEquals(2, status);
    List<String> count = fake.ran.get(0);
    assertTrue(count.containsAll(List.of("count", "--tonight")), count.toString());
  }

  @Test
  void quotedNightlyArgsAreRefusedBeforeAnythingRuns() throws Exception {
    assertEquals(List.of("--z", "4", "--min-effect", "0.05"), NightlyRun.words("x", " --z 4\t--min-effect  0.05 "));
    // no shell reads NIGHTLY_ARGS: the quotes would reach --sentinels and name no series
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NightlyRun.words("NIGHTLY_ARGS (--record-args)", "--sentinels \"trainStep/cnn/layer-api/default/b32\""));
    assertTrue(e.getMessage().startsWith("NIGHTLY_ARGS (--record-args) is split at spaces and never unquoted"),
        e.getMessage());

    Fake fake = new Fake(12_900, 0);
    Synthetic.runFolder(root.resolve(NightlyRun.RESULTS).resolve("20261105T030000Z-night"), 5, 13_000);
    CommandLine cli = new CommandLine(new NightlyRun(root, fake, Nightly.Cli.IN_PROCESS));
    cli.setExecutionExceptionHandler((ex, c, p) -> 2);
    assertEquals(2, cli.execute("--history", root.resolve("history").toString(), "--record-args", "--z '4'"));
    assertEquals(List.of(), fake.ran, "nothing ran");
  }
}
