package org.fmnistbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.fleet.RunPlan;
import org.fmnistbench.training.RunDirs;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Options of {@code suite record}, {@code suite train} and {@code suite merge} that would otherwise
 * be ignored, fail only after training began, or write somewhere unintended are refused first,
 * naming the option.
 */
class RecordOptionsTest {
  @Test
  void shardsWithoutPlanOutIsRefusedNotIgnored() {
    SuiteCommand.Record record = new SuiteCommand.Record();
    new CommandLine(record).parseArgs("--shards", "2", "--dry-run");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, record::call);
    assertTrue(e.getMessage().startsWith("--shards goes with --plan-out"), e.getMessage());
  }

  @Test
  void aCheckpointsPathThatIsAFileIsRefusedBeforeTraining(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunDirs.requireWritable(file, "--checkpoints"));
    assertEquals("--checkpoints " + file + " is not a folder", e.getMessage());
    IllegalArgumentException under = assertThrows(IllegalArgumentException.class,
        () -> RunDirs.requireWritable(file.resolve("runs"), "--checkpoints"));
    assertTrue(under.getMessage().startsWith("--checkpoints " + file.resolve("runs") + ": cannot create the folder"),
        under.getMessage());

    Path fresh = tmp.resolve("a/b/runs");
    assertEquals(fresh, RunDirs.requireWritable(fresh, "--checkpoints"));
    assertTrue(Files.isDirectory(fresh));
  }

  @Test
  void trainRefusesABadCheckpointsFolderBeforeItLoadsAnything(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
    SuiteCommand.Train train = new SuiteCommand.Train();
    new CommandLine(train).parseArgs("--variant", "mlp", "--checkpoints", file.toString(), "--epochs", "1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, train::call);
    assertEquals("--checkpoints " + file + " is not a folder", e.getMessage());
  }

  @Test
  void trainRefusesALimitTheDataCannotMeetBeforeItLoadsAnything() {
    SuiteCommand.Train train = new SuiteCommand.Train();
    new CommandLine(train).parseArgs("--variant", "mlp", "--train-limit", "60010");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, train::call);
    assertEquals("--train-limit must be a positive multiple of 10 up to 60000 (a class-balanced subset of "
        + "train-images-idx3-ubyte.gz), got 60010", e.getMessage());
    SuiteCommand.Train test = new SuiteCommand.Train();
    new CommandLine(test).parseArgs("--variant", "mlp", "--test-limit", "10010");
    assertTrue(assertThrows(IllegalArgumentException.class, test::call).getMessage()
        .startsWith("--test-limit must be a positive multiple of 10 up to 10000"));
    SuiteCommand.Train full = new SuiteCommand.Train();
    new CommandLine(full).parseArgs("--variant", "mlp", "--train-limit", "60000", "--test-limit", "10000", "--batch", "64");
    assertEquals(6000, full.recipe().trainPerClass(), "the whole file is a valid limit");
    assertEquals(1000, full.recipe().testPerClass());
    SuiteCommand.Train batch = new SuiteCommand.Train();
    new CommandLine(batch).parseArgs("--variant", "mlp", "--batch", "0");
    assertTrue(assertThrows(IllegalArgumentException.class, batch::call).getMessage().contains("batch size must be at least 1"));
  }

  @Test
  void mergeRefusesAnIntoFolderThatDoesNotExistAndCreatesNothing(@TempDir Path tmp) throws Exception {
    Path typo = tmp.resolve("baslines");
    SuiteCommand.Merge merge = new SuiteCommand.Merge();
    new CommandLine(merge).parseArgs("--into", typo.toString(), tmp.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, merge::call);
    assertEquals("--into " + typo + ": no such folder; to start a new baselines folder, create it first", e.getMessage());
    assertTrue(Files.notExists(typo));
  }

  @Test
  void aShortRecordingsExpectedTimeIsInMinutesNotZeroHours() {
    RunPlan.Run run = new RunPlan.Run(Engine.LAYER_API, Variant.MLP, 1);
    assertEquals("3 min", SuiteCommand.Record.duration(List.of(new RunPlan.Job(List.of(run), 180))));
    assertEquals("119 min", SuiteCommand.Record.duration(List.of(new RunPlan.Job(List.of(run), 7140))));
    assertEquals("2.5 hours", SuiteCommand.Record.duration(List.of(new RunPlan.Job(List.of(run), 5400),
        new RunPlan.Job(List.of(run), 3600))));
  }
}
