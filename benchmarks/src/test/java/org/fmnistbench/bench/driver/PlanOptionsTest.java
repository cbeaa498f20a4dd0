package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.plan.PlanSetting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands' plan options come from the plan's table: every setting of their scope, and only those. */
class PlanOptionsTest {
  @Test
  void theSuiteRunTakesEverySettingAndOtherCommandsTheLaunchOnes() {
    CommandLine cli = BenchDriver.commandLine();
    CommandLine.Model.CommandSpec run = cli.getSubcommands().get("run").getCommandSpec();
    CommandLine.Model.CommandSpec stability = cli.getSubcommands().get("stability").getCommandSpec();
    for (PlanSetting<?> s : ExperimentPlan.SETTINGS) {
      assertTrue(run.findOption(s.flag()) != null, "run takes " + s.flag());
      if (s.scope() == PlanSetting.Scope.LAUNCH) {
        assertTrue(stability.findOption(s.flag()) != null, "stability takes " + s.flag());
      }
    }
    assertEquals(null, stability.findOption("--backends"), "a setting a command does not use is not offered");
    assertThrows(CommandLine.ParameterException.class,
        () -> BenchDriver.commandLine(new StabilityExperiment()).parseArgs("--backends", "cuda"));
  }

  @Test
  void thePomsPropertiesFileThenTheCommandLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bench-plan.properties");
    Files.writeString(file, "bench.variants=mlp\nbench.forks=5\nbench.configs=default;stock\n");
    BenchDriver.Run run = new BenchDriver.Run();
    BenchDriver.commandLine(run).parseArgs("--plan-properties=" + file, "--forks=2");
    assertEquals(List.of("mlp"), run.options.plan.get(ExperimentPlan.VARIANTS).stream().map(v -> v.id()).toList());
    assertEquals(2, run.options.plan.get(ExperimentPlan.FORKS), "an option given after the file wins");
    assertEquals(List.of("default", "stock"), run.options.plan.get(ExperimentPlan.CONFIGS));
    Files.writeString(file, "bench.varaints=mlp\n");
    CommandLine.ParameterException typo = assertThrows(CommandLine.ParameterException.class,
        () -> BenchDriver.commandLine(new BenchDriver.Run()).parseArgs("--plan-properties=" + file));
    assertTrue(typo.getMessage().contains("bench.varaints"), typo.getMessage());
  }

  @Test
  void aBadPlanValueIsRefusedInOneLineNamingTheOption() {
    StringWriter err = new StringWriter();
    CommandLine cli = BenchDriver.withRefusalsAsMessages(BenchDriver.commandLine()).setErr(new PrintWriter(err));
    assertEquals(2, cli.execute("run", "--variants", "nosuch"));
    String said = err.toString();
    assertTrue(said.startsWith("bench: --variants (bench.variants): unknown variant 'nosuch'; valid: mlp, "), said);
    assertEquals(1, said.lines().count(), said);
    assertTrue(!said.contains("PicocliException") && !said.contains("java.lang."), said);
  }
}
