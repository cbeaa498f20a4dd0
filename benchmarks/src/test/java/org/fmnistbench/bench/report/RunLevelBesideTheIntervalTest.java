package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fmnistbench.results.RunSpread;
import org.fmnistbench.stats.MeanInterval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's table says what its interval covers: within this run, over its forks; beside it,
 * the run level the A/A experiment measured for the same point, where it measured it.
 */
class RunLevelBesideTheIntervalTest {
  @TempDir
  Path tmp;

  private static ResultTable.Row row(String engine, String backend) {
    return new ResultTable.Row("cnn", "trainStep", engine, backend, 32, new MeanInterval(2668.1, 2660, 2626.9, 2709.3, 0.95, 3),
        85379, 181.0, "K80", 900.0, backend.equals("cpu"));
  }

  @Test
  void eachFigureHasTheRunLevelOfItsPointWhereTheExperimentMeasuredIt() throws Exception {
    RunSpread spread = new RunSpread("20261201T003800Z-9194cbc5ae77", "9194cbc", "AMD EPYC",
        List.of(new RunSpread.Point("trainStep", "cnn", "layer-api", 32, 0.174, 0.25, 4)));
    spread.write(tmp);
    Optional<RunSpread> read = RunSpread.read(tmp);
    assertEquals(Optional.of(spread), read, "written and read back through its one reader");
    String md = ResultTable.markdown(List.of(row("layer-api", "cpu"), row("samediff", "cpu"), row("layer-api", "cpu@stock")), read);
    assertTrue(md.contains("mean ± 95 % CI within this run, over its forks"), md);
    assertTrue(md.contains("| 2,668.1 ± 41.2 (1.5 %) | ±17.4 % (4 runs) |"), md);
    assertTrue(md.contains("| n/a (not in the A/A experiment) |"), "samediff was not in it: " + md);
    assertTrue(md.contains("| n/a (the A/A experiment ran the CPU's default configuration) |"), "stock: " + md);
    assertTrue(ResultTable.markdown(List.of(row("layer-api", "cpu")), RunSpread.read(tmp.resolve("none")))
        .contains("n/a (no A/A experiment kept)"));
  }
}
