package org.fmnistbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {
  @Test
  void aShapeThatDoesNotFitTheValuesIsRefusedNamingBoth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("6") && e.getMessage().contains("5"),
        e.getMessage());
  }

  @Test
  void holdsItsValuesWhateverTheCallerDoesToItsArrays() {
    float[] v = {1, 2, 3, 4, 5, 6};
    long[] shape = {2, 3};
    Tensor t = Tensor.of(v, shape);
    v[0] = 9;
    shape[0] = 3;
    t.toFloats()[1] = 9;
    assertArrayEquals(new long[] {2, 3}, t.shape());
    assertEquals(2, t.rows());
    assertEquals(6, t.length());
    assertEquals(2f, t.toFloats()[1]);
  }

  @Test
  void comparesByShapeAndValues() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    assertTrue(Tensor.same(a, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)));
    assertFalse(Tensor.same(a, Tensor.of(new float[] {1, 2, 3, 4}, 4, 1)), "another shape");
    assertFalse(Tensor.same(a, Tensor.of(new float[] {1, 2, 3, 5}, 2, 2)), "another value");
    assertEquals(1.5, Tensor.maxAbsDifference(a, Tensor.of(new float[] {1, 0.5f, 3, 4}, 2, 2)), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> Tensor.maxAbsDifference(a, Tensor.of(new float[4], 4)));
  }
}
