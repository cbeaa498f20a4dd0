package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fmnistbench.bench.Backend;
import org.fmnistbench.runtime.RuntimeConfig;
import org.junit.jupiter.api.Test;

class BenchDriverTest {
  @Test
  void configurationLabelsNameResultFiles() {
    assertEquals("cpu", BenchDriver.label(Backend.CPU, RuntimeConfig.parse("default")));
    assertEquals("cpu@stock", BenchDriver.label(Backend.CPU, RuntimeConfig.parse("stock")));
    assertEquals("cpu@default_format-nhwc_omp.wait-passive",
        BenchDriver.label(Backend.CPU, RuntimeConfig.parse("default,omp.wait=passive,format=nhwc")));
    assertEquals(2, BenchDriver.parseConfigs("default; stock ;default").size());
    assertThrows(IllegalArgumentException.class, () -> BenchDriver.parseConfigs(" ; "));
  }
}
