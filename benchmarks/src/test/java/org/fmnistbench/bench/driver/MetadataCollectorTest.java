package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.results.RunMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataCollectorTest {
  @TempDir Path tmp;

  @Test
  void collectsWithoutAGpuAndWritesJson() throws Exception {
    RunMetadata m = MetadataCollector.collect();
    Path file = tmp.resolve("metadata.json");
    m.write(file);
    try (var files = Files.list(tmp)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left");
    }
    JsonNode j = new ObjectMapper().readTree(file.toFile());
    assertEquals("1.0.0-M2.1", j.path("suite").path("dl4j_version").asText());
    assertEquals("CpuBackend", j.path("backend").path("loaded").asText());
    assertEquals("cpu", j.path("backend").path("requested").asText());
    assertFalse(j.path("backend").path("blas_vendor").asText().isEmpty());
    assertTrue(j.path("backend").path("onednn_in_build").isBoolean());
    assertTrue(j.path("cpu").path("logical_cores").asInt() >= 1);
    assertFalse(j.path("cpu").path("model").asText().isEmpty());
    assertTrue(j.path("memory_total_mib").asLong() > 0);
    assertTrue(j.path("gpus").isArray());
    assertTrue(j.path("jvm").path("flags").isArray());
    assertFalse(j.path("os").path("name").asText().isEmpty());
    assertTrue(j.path("backend").path("device_name").isMissingNode(), "no CUDA fields on CPU");
    assertEquals(m, RunMetadata.read(file), "read back as written");
  }

  @Test
  void theMachinesActivityIsAddedInPlace() throws Exception {
    Path file = tmp.resolve("metadata.json");
    MetadataCollector.collect().write(file);
    MetadataCollector.addMachineActivity(file, new RunMetadata.MachineActivity(12.5, 0.3, 0.0, 0.51, 0.01));
    JsonNode a = new ObjectMapper().readTree(file.toFile()).path("machine_activity");
    assertEquals(12.5, a.path("wall_seconds").asDouble());
    assertEquals(0.3, a.path("load_average_1m_at_start").asDouble());
    assertEquals(0.01, a.path("others_busy_fraction").asDouble());
    assertEquals(0.51, RunMetadata.read(file).activity().busyFraction());
  }

  @Test
  void namesTheVectorFlagsWidestFirst() {
    assertEquals(List.of("avx512f", "avx2", "fma", "avx", "sse4_2"),
        MetadataCollector.vectorFlags(List.of("sse4_2", "avx", "avx2", "avx512f", "fma", "pni")));
    assertEquals(List.of(), MetadataCollector.vectorFlags(List.of()));
  }
}
