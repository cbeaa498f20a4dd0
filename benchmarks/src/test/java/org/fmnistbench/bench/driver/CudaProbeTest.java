package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.fmnistbench.results.RunMetadata;
import org.junit.jupiter.api.Test;

class CudaProbeTest {
  private static Optional<List<RunMetadata.Gpu>> gpus(String name, String cc) {
    return Optional.of(List.of(new RunMetadata.Gpu(name, cc, "550.54", "16384")));
  }

  @Test
  void saysWhyCudaCannotRun() {
    assertTrue(CudaProbe.assess(false, gpus("Tesla T4", "7.5")).orElseThrow().contains("no CUDA backend"));
    assertTrue(CudaProbe.assess(true, Optional.empty()).orElseThrow().contains("no NVIDIA driver"));
    assertTrue(CudaProbe.assess(true, Optional.of(List.of())).orElseThrow().contains("reports no device"));
    assertEquals("CUDA: not run: NVIDIA H100 has compute capability 9.0, which nd4j-cuda-11.6 1.0.0-M2.1 "
        + "has no code for (built for 3.7-8.6, no PTX)", CudaProbe.assess(true, gpus("NVIDIA H100", "9.0")).orElseThrow());
  }

  @Test
  void runsOnTheBuildsTargetsAndAda() {
    assertEquals(Optional.empty(), CudaProbe.assess(true, gpus("Tesla K80", "3.7")));
    assertEquals(Optional.empty(), CudaProbe.assess(true, gpus("A100", "8.0")));
    assertTrue(CudaProbe.runnable("8.9"), "Ada runs the 8.6 code");
    assertFalse(CudaProbe.runnable("3.5"));
    assertFalse(CudaProbe.runnable("12.0"));
    assertFalse(CudaProbe.runnable("9.0"), "Hopper cannot run nd4j-cuda 1.0.0-M2.1");
  }

  /** PyTorch 2.5.1 for CUDA 12.4 reaches Hopper but not the article's Kepler K80. */
  @Test
  void djlRunsFromMaxwellToHopper() {
    assertEquals(Optional.empty(), CudaProbe.assessDjl(true, gpus("NVIDIA H100 80GB HBM3", "9.0")));
    assertEquals(Optional.empty(), CudaProbe.assessDjl(true, gpus("NVIDIA L4", "8.9")));
    assertTrue(CudaProbe.assessDjl(true, gpus("Tesla K80", "3.7")).orElseThrow().contains("Tesla K80 has compute capability 3.7"));
    assertTrue(CudaProbe.assessDjl(true, gpus("B200", "10.0")).isPresent());
    assertTrue(CudaProbe.assessDjl(false, gpus("NVIDIA H100 80GB HBM3", "9.0")).orElseThrow().contains("-Pbench,cuda"));
    assertTrue(CudaProbe.assessDjl(true, Optional.empty()).orElseThrow().contains("no NVIDIA device"));
  }

  @Test
  void parsesNvidiaSmiCsv() {
    List<RunMetadata.Gpu> gpus = CudaProbe.parse("Tesla T4, 7.5, 535.104.05, 15360\nNVIDIA A10G, 8.6, 535.104.05, 23028\n");
    assertEquals(List.of(new RunMetadata.Gpu("Tesla T4", "7.5", "535.104.05", "15360"),
        new RunMetadata.Gpu("NVIDIA A10G", "8.6", "535.104.05", "23028")), gpus);
  }

  @Test
  void thisCpuOnlyBuildSaysSo() {
    // The default build has no nd4j-cuda; with -Pcuda on a machine without a GPU it names the driver.
    String why = CudaProbe.whyNot().orElse("");
    assertTrue(why.startsWith("CUDA: not run: ") || CudaProbe.backendOnClasspath(), why);
  }
}
