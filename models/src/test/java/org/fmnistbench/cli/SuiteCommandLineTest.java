package org.fmnistbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./suite} as a user meets it: a bad option or value is one line on stderr naming it, with
 * exit code 2; work that fails for another reason is one line too, with exit code 1; never a stack
 * trace.
 */
class SuiteCommandLineTest {
  private record Outcome(int exitCode, String err) {}

  private static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = SuiteCommand.commandLine().setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Outcome(code, err.toString());
  }

  @Test
  void aBadOptionValueIsOneLineAndAPointerToTheHelp() {
    Outcome o = run("train", "--variant", "cnn5");
    assertEquals(2, o.exitCode());
    assertEquals("suite: Invalid value for option '--variant': unknown variant 'cnn5'; valid: mlp, cnn, cnn3, cnn4, "
        + "cnn3-nodropout, cnn3-pad, cnn3-pad-dense2, cnn3-pad-flip, cnn3-pad-flip-10ep, avgpool, cnn4-maxpool, "
        + "cnn3-dropout-lower, cnn3-dropout-higher\nTry 'suite train --help'.\n", o.err());
  }

  @Test
  void aValueRefusedWhileRunningIsOneLineWithExitCode2(@TempDir Path tmp) {
    Outcome o = run("merge", "--into", tmp.resolve("typo").toString(), tmp.toString());
    assertEquals(2, o.exitCode());
    assertEquals("suite merge: --into " + tmp.resolve("typo") + ": no such folder; to start a new baselines folder, "
        + "create it first\n", o.err());
  }

  @Test
  void workThatFailsOtherwiseIsOneLineWithExitCode1(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Outcome o = run("report", "--out", file.resolve("REPRODUCTION.md").toString());
    assertEquals(1, o.exitCode(), o.err());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("suite report: "), o.err());
  }
}
