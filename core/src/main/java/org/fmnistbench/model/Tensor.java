package org.fmnistbench.model;

import java.util.Arrays;

/**
 * A float array with a shape, in C order: what crosses the engine contract ({@link Model}) as a
 * batch, a model's output and its weights. Engines keep their own arrays behind it: DL4J's engines
 * hand ND4J arrays through without copying, so the contract costs their timed steps nothing, and
 * an engine that needs host floats (the DJL engine) asks for {@link #toFloats()}.
 */
public interface Tensor {
  /** The dimensions, outermost first. */
  long[] shape();

  /** The values in C (row-major) order, as a new array. */
  float[] toFloats();

  /** The outermost dimension: the examples of a batch. */
  default long rows() {
    return shape()[0];
  }

  /** The number of values. */
  default long length() {
    return Arrays.stream(shape()).reduce(1, Math::multiplyExact);
  }

  /** Host floats in C order with their shape. */
  static Tensor of(float[] values, long... shape) {
    return new Floats(values, shape);
  }

  /**
   * Whether two tensors hold the same shape and values, whatever implements them (exact float
   * equality, NaN equal to NaN).
   */
  static boolean same(Tensor a, Tensor b) {
    return Arrays.equals(a.shape(), b.shape()) && Arrays.equals(a.toFloats(), b.toFloats());
  }

  /** The largest absolute difference between two tensors of the same shape. */
  static double maxAbsDifference(Tensor a, Tensor b) {
    if (!Arrays.equals(a.shape(), b.shape())) {
      throw new IllegalArgumentException("tensors of shapes " + Arrays.toString(a.shape()) + " and "
          + Arrays.toString(b.shape()) + " do not compare element by element");
    }
    float[] x = a.toFloats();
    float[] y = b.toFloats();
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs((double) x[i] - y[i]));
    }
    return max;
  }

  /** Host floats: the tensor of engines without arrays of their own, and of tests. */
  record Floats(float[] values, long[] shape) implements Tensor {
    public Floats {
      shape = shape.clone();
      long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
      if (n != values.length) {
        throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs " + n
            + " values, got " + values.length);
      }
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public float[] toFloats() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Floats f && Arrays.equals(shape, f.shape) && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Tensor" + Arrays.toString(shape);
    }
  }
}
