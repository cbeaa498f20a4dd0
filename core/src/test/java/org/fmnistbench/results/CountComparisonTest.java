package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountComparisonTest {
  static CountResults.Point point(String variant, double total, List<CountResults.FunctionCount> functions) {
    return new CountResults.Point("trainStep", variant, "layer-api", 32, "ok", 1, null,
        List.of(Map.of("Ir", total)), Map.of(), functions, 1);
  }

  @Test
  void theFunctionThatGrewIsNamedFirstWithItsChange() {
    CountResults.Point before = point("cnn", 10_000_000, List.of(
        new CountResults.FunctionCount("libnd4jcpu.so", "im2col", 4_000_000),
        new CountResults.FunctionCount("libnd4jcpu.so", "gemm", 5_000_000),
        new CountResults.FunctionCount("libc.so.6", "memcpy", 1_000_000)));
    CountResults.Point after = point("cnn", 13_050_000, List.of(
        new CountResults.FunctionCount("libnd4jcpu.so", "im2col", 7_100_000),
        new CountResults.FunctionCount("libnd4jcpu.so", "gemm", 5_000_000),
        new CountResults.FunctionCount("libc.so.6", "memcpy", 950_000)));
    CountComparison c = CountComparison.of(before, after);
    assertEquals(0.305, c.relativeChange(), 1e-12);
    assertEquals("+3.1 M instructions/op in libnd4jcpu.so: im2col", c.topFunctions(3).get(0));
    assertEquals("-50,000 instructions/op in libc.so.6: memcpy", c.topFunctions(3).get(1));
    assertEquals(2, c.topFunctions(3).size()); // gemm did not change
  }

  @Test
  void aFunctionOnlyOneSideHasCountsAsZeroOnTheOther() {
    CountComparison c = CountComparison.of(point("mlp", 100, List.of()),
        point("mlp", 150, List.of(new CountResults.FunctionCount("libjvm.so", "OptoRuntime::new_array_C", 50))));
    assertEquals(50, c.functions().get(0).change(), 0);
  }

  @Test
  void twoDifferentPointsAreNotCompared() {
    assertThrows(IllegalArgumentException.class, () -> CountComparison.of(point("mlp", 1, List.of()), point("cnn", 1, List.of())));
  }
}
