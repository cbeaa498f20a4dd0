package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.results.CompareDesign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Options the driver's commands would ignore or measure otherwise than asked are refused, naming
 * them: beside {@code --analyse} or {@code --resume}, one whose value the kept folder's design
 * replaces (the options the kept run still reads pass). Every folder here is empty: the refusal
 * comes before anything is read or measured.
 */
class DriverOptionsTest {
  @TempDir
  Path dir;

  private String refusal(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = BenchDriver.withRefusalsAsMessages(BenchDriver.commandLine()).setErr(new PrintWriter(err));
    assertEquals(1, cli.execute(args), String.join(" ", args));
    return err.toString().strip();
  }

  @Test
  void aJudgementAskedOfAKeptComparisonIsRefusedNotIgnored() {
    assertEquals("bench: --alpha cannot go with --analyse: the design kept in " + dir + " decides it, as the run was "
        + "measured; leave it out", refusal("interleave", "--analyse", dir.toString(), "--alpha", "0.01"));
    assertTrue(refusal("interleave", "--resume", dir.toString(), "--rounds", "12", "--variants", "mlp")
        .startsWith("bench: --variants, --rounds cannot go with --resume: the design kept in " + dir + " decides them"));
    assertTrue(refusal("interleave", "--analyse", dir.toString(), "--count").startsWith("bench: --count cannot go with "
        + "--analyse"), "--analyse measures nothing");
    assertEquals("bench: --analyse renders a finished run and --resume measures what an interrupted one lacks: give one "
        + "of them", refusal("interleave", "--analyse", dir.toString(), "--resume", dir.toString()));
  }

  @Test
  void whatAKeptRunStillReadsPasses() {
    // past the check, the empty folder is refused for lacking its design
    assertFalse(refusal("interleave", "--resume", dir.toString(), "--count").contains("cannot go with"));
    assertFalse(refusal("interleave", "--analyse", dir.toString(), "--canary", "COMPUTE").contains("cannot go with"));
    assertFalse(refusal("stability", "--resume", dir.toString(), "--runs", "6").contains("cannot go with"),
        "--runs extends a resumed experiment");
  }

  @Test
  void theStabilityExperimentAndTheComparisonRefuseTheirDesignsOptionsToo() {
    assertTrue(refusal("stability", "--analyse", dir.toString(), "--runs", "6")
        .startsWith("bench: --runs cannot go with --analyse"));
    assertTrue(refusal("stability", "--resume", dir.toString(), "--forks", "2")
        .startsWith("bench: --forks cannot go with --resume"));
    assertTrue(refusal("compare", "--resume", dir.toString(), "--seed", "3")
        .startsWith("bench: --seed cannot go with --resume"));
    assertEquals("bench: --torch-threads must be at least 1, got 0", refusal("compare", "--torch-threads", "0"));
  }

  @Test
  void aNewComparisonsAlphaIsAProbability() {
    assertEquals("bench: --alpha must be above 0 and below 1 (0.05 is 5 %), got 5.0",
        refusal("interleave", "--baseline-jar", dir.resolve("old.jar").toString(), "--alpha", "5"));
  }

  @Test
  void theLoopChecksTimesAreRefusedWhereJmhWouldMeasureAnother() {
    assertEquals("bench: --seconds must be at least 3, got 2", refusal("loop-check", "--seconds", "2"));
    assertEquals("bench: --batch-size must be at least 1, got 0", refusal("loop-check", "--batch-size", "0"));
  }

  @Test
  void aDocumentNameThatIsNoPlainMarkdownFileIsRefusedBeforeMeasuring() {
    assertEquals("bench: --name takes a file name ending in .md, without folders (e.g. SWEEP-threads.md), got '../README.md'",
        refusal("sweep", "--name", "../README.md"));
    assertTrue(refusal("interleave", "--baseline-jar", dir.resolve("old.jar").toString(), "--publish", "INTERLEAVED-aa")
        .startsWith("bench: --publish takes a file name ending in .md"));
  }

  @Test
  void aSweepsBatchSweepIsReadBeforeTheMainSweepRunsNotAfter() {
    assertEquals("bench: --batch-sweep takes batch sizes, comma-separated, or '' for none; got '16;64'",
        refusal("sweep", "--batch-sweep", "16;64", "--out", dir.toString()));
    assertEquals(0, dir.toFile().list().length, "no run folder was made");
  }

  @Test
  void aPythonWithoutTorchIsRefusedBeforeDl4jsSidesAreMeasured() throws Exception {
    Path noTorch = dir.resolve("python-without-torch");
    Files.writeString(noTorch, "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\n"
        + "echo \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
    assertTrue(noTorch.toFile().setExecutable(true));
    Path out = Files.createDirectory(dir.resolve("out"));
    assertEquals("bench: --python " + noTorch + " cannot import torch (exit 1: ModuleNotFoundError: No module named 'torch'): "
        + "compare measures PyTorch beside DL4J; install python3-torch libopenblas0-pthread, or give --python a Python that "
        + "has PyTorch", refusal("compare", "--python", noTorch.toString(), "--variants", "mlp", "--out", out.toString()));
    // one that writes far more than a pipe holds before failing is still read to its last line, not timed out
    Path noisy = dir.resolve("python-noisy");
    Files.writeString(noisy, "#!/bin/sh\nhead -c 1000000 /dev/zero | tr '\\0' 'w' >&2\necho >&2\n"
        + "echo \"ImportError: libopenblas.so.0: cannot open shared object file\" >&2\nexit 1\n");
    assertTrue(noisy.toFile().setExecutable(true));
    assertTrue(refusal("compare", "--python", noisy.toString(), "--variants", "mlp", "--out", out.toString())
        .startsWith("bench: --python " + noisy + " cannot import torch (exit 1: ImportError: libopenblas.so.0: cannot open shared object"));
    assertTrue(refusal("compare", "--python", dir.resolve("absent").toString(), "--rounds", "1", "--out", out.toString())
        .startsWith("bench: --python " + dir.resolve("absent") + " cannot be run ("));
    assertEquals(0, out.toFile().list().length, "no run folder was made");
    // a paired comparison resumed with PyTorch's side of a round still to measure is refused too, before DL4J's
    Path kept = Files.createDirectory(dir.resolve("kept"));
    CompareDesign.balanced(List.of(ReportCommands.Compare.SIDE_DEFAULT, ReportCommands.Compare.SIDE_STOCK,
        ReportCommands.Compare.SIDE_PYTORCH), 2, 1L).write(kept);
    assertTrue(refusal("compare", "--resume", kept.toString(), "--python", noTorch.toString())
        .startsWith("bench: --python " + noTorch + " cannot import torch"));
    assertEquals(List.of(CompareDesign.FILE), List.of(kept.toFile().list()), "nothing was measured into the kept folder");
  }
}
