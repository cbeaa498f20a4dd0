package org.fmnistbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendTest {
  @Test
  void parsesNamesAndListsTheValidOnes() {
    assertEquals(List.of(Backend.CPU, Backend.CUDA), Backend.parseList("cpu, CUDA,cpu"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backend.byId("rocm"));
    assertEquals("unknown backend 'rocm'; valid: cpu, cuda", e.getMessage());
  }

  @Test
  void environmentPrefersTheChosenBackend() {
    Map<String, String> cpu = Backend.CPU.environment();
    Map<String, String> cuda = Backend.CUDA.environment();
    assertTrue(Integer.parseInt(cpu.get("BACKEND_PRIORITY_CPU")) > Integer.parseInt(cpu.get("BACKEND_PRIORITY_GPU")));
    assertTrue(Integer.parseInt(cuda.get("BACKEND_PRIORITY_GPU")) > Integer.parseInt(cuda.get("BACKEND_PRIORITY_CPU")));
  }

  @Test
  void forksAreToldTheirBackendAndCudaLoadsTheCudnnBuild() {
    assertEquals(List.of("-Dsuite.backend=cpu"), Backend.CPU.jvmArgs());
    assertEquals(List.of("-Dsuite.backend=cuda", "-Dorg.bytedeco.javacpp.platform.extension=-cudnn", "-Dsuite.djl.device=gpu"),
        Backend.CUDA.jvmArgs(), "on CUDA, the DJL engine trains on the GPU too");
  }

  @Test
  void aSilentFallbackToCpuIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backend.verify(Backend.CUDA, "CpuBackend"));
    assertTrue(e.getMessage().contains("backend cuda was requested") && e.getMessage().contains("ND4J loaded CpuBackend"),
        e.getMessage());
    assertEquals(Backend.CPU, Backend.verify(Backend.CPU, "CpuBackend"));
  }

  @Test
  void thisJvmLoadedTheCpuBackend() {
    assertEquals(Backend.CPU, Backend.verifyLoaded());
  }
}
