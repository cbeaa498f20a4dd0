package org.fmnistbench.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan's one table: its -D properties and command-line options read and printed through it. */
class ExperimentPlanTest {
  @Test
  void propertiesAreParsedTypedAndPrintedBack() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("bench.forks", "3");
    props.put("bench.variants", "mlp,cnn");
    props.put("bench.batchSizes", "16,32");
    props.put("bench.configs", "default;stock");
    props.put("bench.iterations", ""); // the pom's way of saying "not given"
    props.put("maven.home", "/usr/share/maven"); // not ours: ignored
    ExperimentPlan plan = ExperimentPlan.fromProperties(props);
    assertEquals(3, plan.get(ExperimentPlan.FORKS));
    assertNull(plan.get(ExperimentPlan.ITERATIONS), "empty is the level's count");
    assertEquals(List.of(Variant.MLP, Variant.CNN), plan.get(ExperimentPlan.VARIANTS));
    assertEquals(List.of(16, 32), plan.get(ExperimentPlan.BATCH_SIZES));
    assertEquals(List.of("default", "stock"), plan.get(ExperimentPlan.CONFIGS));
    assertEquals(List.of("train", "inference"), plan.get(ExperimentPlan.BENCHMARKS), "the default where not given");
    assertEquals("-Dbench.variants=mlp,cnn -Dbench.batchSizes=16,32 -Dbench.configs=default;stock -Dbench.forks=3",
        plan.toProperties());
    Map<String, String> again = new LinkedHashMap<>();
    for (String word : plan.toProperties().split(" ")) {
      String[] kv = word.substring(2).split("=", 2);
      again.put(kv[0], kv[1]);
    }
    assertEquals(plan, ExperimentPlan.fromProperties(again), "what it prints reads back as the same plan");
    assertEquals(" --variants mlp,cnn --batch-sizes 16,32 --configs 'default;stock' --forks 3", plan.toArgs());
  }

  @Test
  void eachSettingIsNamedOnceForEveryForm() {
    PlanSetting<?> s = ExperimentPlan.setting("warmup-iterations");
    assertEquals("--warmup-iterations", s.flag());
    assertEquals("bench.warmupIterations", s.property());
    assertEquals(ExperimentPlan.SETTINGS.size(), ExperimentPlan.SETTINGS.stream().map(PlanSetting::property).distinct().count());
    // the pom's former property names, which users' scripts and the workflows spell
    for (String p : List.of("bench.variants", "bench.backends", "bench.benchmarks", "bench.batchSizes", "bench.engines",
        "bench.configs", "bench.precision", "bench.warmupIterations", "bench.warmupTime", "bench.iterations", "bench.time",
        "bench.forks", "bench.jmhArgs", "bench.injectSlowdown", "bench.out")) {
      assertTrue(ExperimentPlan.SETTINGS.stream().anyMatch(x -> x.property().equals(p)), p);
    }
  }

  @Test
  void badInputNamesTheSettingAndWhatItExpects() {
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> ExperimentPlan.fromProperties(Map.of("bench.varaints", "mlp")));
    assertTrue(typo.getMessage().contains("-Dbench.varaints") && typo.getMessage().contains("bench.variants"), typo.getMessage());
    IllegalArgumentException forks = assertThrows(IllegalArgumentException.class,
        () -> ExperimentPlan.defaults().with(ExperimentPlan.FORKS, "three"));
    assertTrue(forks.getMessage().startsWith("--forks (bench.forks): expected a whole number"), forks.getMessage());
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> ExperimentPlan.defaults().with(ExperimentPlan.BATCH_SIZES, "32,0"));
    assertTrue(batch.getMessage().contains("positive whole numbers, got '0'"), batch.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ExperimentPlan.defaults().with(ExperimentPlan.VARIANTS, "cnn9"));
    assertThrows(IllegalArgumentException.class, () -> ExperimentPlan.defaults().with(ExperimentPlan.INJECT_SLOWDOWN, "-1"));
    assertThrows(IllegalStateException.class,
        () -> ExperimentPlan.defaults().with(ExperimentPlan.JMH_ARGS, "-prof gc").toProperties());
  }

  @Test
  void aPropertiesFileAsTheBenchProfileWritesIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bench-plan.properties");
    // what Ant's echoproperties writes: a comment, then escaped properties
    Files.writeString(file, "#Ant properties\nbench.variants=mlp\nbench.configs=default;default,format\\=nhwc\n");
    ExperimentPlan plan = ExperimentPlan.readProperties(file);
    assertEquals(List.of("default", "default,format=nhwc"), plan.get(ExperimentPlan.CONFIGS));
    assertTrue(plan.isGiven(ExperimentPlan.VARIANTS));
    assertFalse(plan.isGiven(ExperimentPlan.FORKS));
    Exception missing = assertThrows(IOException.class, () -> ExperimentPlan.readProperties(dir.resolve("none")));
    assertTrue(missing.getMessage().contains("bench.* properties"), missing.getMessage());
  }

  @Test
  void withReturnsANewPlanAndLeavesThisOne() {
    ExperimentPlan a = ExperimentPlan.defaults().with(ExperimentPlan.ENGINES, "layer-api");
    ExperimentPlan b = a.with(ExperimentPlan.ENGINES, "samediff").withCount(ExperimentPlan.FORKS, 2);
    assertEquals(List.of("layer-api"), a.get(ExperimentPlan.ENGINES));
    assertEquals(List.of("samediff"), b.get(ExperimentPlan.ENGINES));
    assertEquals(2, b.get(ExperimentPlan.FORKS));
    assertFalse(b.withCount(ExperimentPlan.FORKS, null).isGiven(ExperimentPlan.FORKS));
    assertEquals(Arrays.asList("all", "32"), List.of(a.text(ExperimentPlan.VARIANTS), a.text(ExperimentPlan.BATCH_SIZES)));
  }
}
