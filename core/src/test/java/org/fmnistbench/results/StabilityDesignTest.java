package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stability experiment's design file: the recorded format reads, and writes back with the same keys. */
class StabilityDesignTest {
  /** benchmarks/reports/20261201T003800Z-9194cbc5ae77/experiment.json, as the untyped code wrote it. */
  private static final String RECORDED = "{\n  \"variants\" : \"mlp,cnn,cnn3,cnn4\",\n  \"engines\" : \"layer-api,samediff\",\n"
      + "  \"batch_sizes\" : \"32\",\n  \"runs\" : 4,\n  \"forks\" : 3,\n  \"iterations\" : 3,\n  \"iteration_seconds\" : 2,\n"
      + "  \"warmup_iterations\" : 10,\n  \"warmup_seconds\" : 2,\n  \"quick_run\" : \"20261201T021920Z-594f9cdb4b45\"\n}";

  @Test
  void theRecordedFormatReadsAndWritesBackWithTheSameKeys(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(StabilityDesign.FILE), RECORDED);
    StabilityDesign d = StabilityDesign.read(dir);
    assertEquals(4, d.runs());
    assertEquals(2, d.iterationSeconds());
    assertEquals(10, d.warmupIterations());
    assertEquals("20261201T021920Z-594f9cdb4b45", d.quickRun());
    Path again = Files.createDirectories(dir.resolve("again"));
    d.withRuns(6).write(again);
    List<String> keys = new ArrayList<>();
    new ObjectMapper().readTree(again.resolve(StabilityDesign.FILE).toFile()).fieldNames().forEachRemaining(keys::add);
    List<String> recorded = new ArrayList<>();
    new ObjectMapper().readTree(RECORDED).fieldNames().forEachRemaining(recorded::add);
    assertEquals(recorded, keys);
    assertEquals(d.withRuns(6), StabilityDesign.read(again));
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> StabilityDesign.read(Files.createDirectories(dir.resolve("empty"))));
    assertTrue(none.getMessage().contains("not a stability experiment's result folder"), none.getMessage());
  }
}
