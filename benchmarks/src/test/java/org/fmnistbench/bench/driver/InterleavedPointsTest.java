package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.bench.InferenceBenchmarks;
import org.fmnistbench.bench.TrainStepBenchmarks;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code interleave --points}: exactly the named points, one JMH run per group that shares a
 * benchmark, engine, batch size and configuration, where the product of their variants, engines
 * and benchmarks would measure points nobody flagged (and widen the Holm family).
 */
class InterleavedPointsTest {
  private static Interleaved parsed(String points) {
    Interleaved i = new Interleaved();
    BenchDriver.commandLine(i).parseArgs("--baseline-jar", "baseline.jar", "--points", points);
    i.applyDefaults();
    return i;
  }

  @Test
  void flaggedPointsAreMeasuredExactlyNotTheirProduct() {
    Interleaved i = parsed("trainStep/cnn/layer-api/default/b32;inference/mlp/samediff/default/b32;"
        + "trainStep/cnn3/layer-api/default/b32;trainStep/mlp/layer-api/stock/b32");
    List<Interleaved.Group> groups = i.groups(RuntimeConfig.parse("default"));
    assertEquals(2, groups.size(), "inference on samediff, and training on the layer API");
    assertEquals(List.of(InferenceBenchmarks.class.getName()), groups.get(0).classes());
    assertEquals("mlp", groups.get(0).options().text(ExperimentPlan.VARIANTS));
    assertEquals("samediff", groups.get(0).options().text(ExperimentPlan.ENGINES));
    assertEquals(List.of(TrainStepBenchmarks.class.getName()), groups.get(1).classes());
    assertEquals("cnn,cnn3", groups.get(1).options().text(ExperimentPlan.VARIANTS));
    assertEquals("layer-api", groups.get(1).options().text(ExperimentPlan.ENGINES));
    List<Interleaved.Group> stock = i.groups(RuntimeConfig.parse("stock"));
    assertEquals(1, stock.size());
    assertEquals("mlp", stock.get(0).options().text(ExperimentPlan.VARIANTS));
    // a product over the same selection would have measured 3 variants x 2 engines x 2 benchmarks x 2 configurations
    int measured = 0;
    for (String config : List.of("default", "stock")) {
      for (Interleaved.Group g : i.groups(RuntimeConfig.parse(config))) {
        measured += g.options().text(ExperimentPlan.VARIANTS).split(",").length * g.classes().size();
      }
    }
    assertEquals(4, measured);
  }

  @Test
  void aPointThatIsNotOneIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parsed("trainStep/cnn/layer-api/b32"));
    assertTrue(e.getMessage().contains("'trainStep/cnn/layer-api/b32' is not a point"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parsed("epoch/cnn/layer-api/default/b32"));
    assertThrows(IllegalArgumentException.class, () -> parsed("trainStep/no-such-variant/layer-api/default/b32"));
  }

  @Test
  void theGroupsOfARoundAreMergedIntoOneResultFile(@TempDir Path dir) throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (int g = 0; g < 2; g++) {
      Path group = Files.createDirectories(dir.resolve("group" + g));
      Files.writeString(group.resolve("jmh-cpu.json"), "[{\"benchmark\":\"b" + g + "\",\"primaryMetric\":{\"score\":1}}]");
      Files.writeString(group.resolve("metadata-cpu.json"), "{\"group\":" + g + "}");
    }
    Interleaved.mergeGroups(dir, 2, "cpu");
    assertEquals(List.of("b0", "b1"), json.readTree(dir.resolve("jmh-cpu.json").toFile()).findValuesAsText("benchmark"));
    assertEquals(0, json.readTree(dir.resolve("metadata-cpu.json").toFile()).path("group").asInt());
    assertTrue(!Files.exists(dir.resolve("group0")) && !Files.exists(dir.resolve("group1")));
  }

  @Test
  void aGroupsCutOffResultIsRefusedByName(@TempDir Path dir) throws Exception {
    for (int g = 0; g < 2; g++) {
      Path group = Files.createDirectories(dir.resolve("group" + g));
      Files.writeString(group.resolve("jmh-cpu.json"), g == 0 ? "[{\"benchmark\":\"b0\",\"primaryMetric\":{\"score\":1}}]"
          : "[{\"benchmark\":\"b1\",\"primaryM"); // a fork killed while JMH wrote it
    }
    IOException e = assertThrows(IOException.class, () -> Interleaved.mergeGroups(dir, 2, "cpu"));
    assertTrue(e.getMessage().contains(dir.resolve("group1").resolve("jmh-cpu.json").toString())
        && e.getMessage().contains("JMH's JSON result"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("jmh-cpu.json")), "no merged file from a partial round");
  }
}
