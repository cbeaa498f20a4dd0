package org.fmnistbench.training;

import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.runtime.NativeRuntime;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Turns examples of a split into ND4J minibatches: pixels / 255 as FLOAT, one-hot labels. */
public final class Batches {
  private Batches() {}

  /**
   * Features of the examples {@code order[from, to)}: {@code [n, 1, 28, 28]} (NCHW) for
   * convolutional variants, {@code [n, 784]} otherwise.
   */
  public static INDArray features(FashionMnist.Split split, int[] order, int from, int to, boolean images) {
    NativeRuntime.active(); // the native build must be chosen before the first array exists
    int n = to - from;
    float[] x = new float[n * FashionMnist.PIXELS];
    byte[] pixels = split.pixels();
    for (int k = 0; k < n; k++) {
      int src = order[from + k] * FashionMnist.PIXELS;
      int dst = k * FashionMnist.PIXELS;
      for (int p = 0; p < FashionMnist.PIXELS; p++) {
        x[dst + p] = (pixels[src + p] & 0xff) / 255.0f;
      }
    }
    long[] shape = images
        ? new long[] {n, 1, FashionMnist.ROWS, FashionMnist.COLS}
        : new long[] {n, FashionMnist.PIXELS};
    return Nd4j.create(x, shape, 'c');
  }

  /** One-hot labels {@code [n, 10]} of the examples {@code order[from, to)}. */
  public static INDArray labels(FashionMnist.Split split, int[] order, int from, int to) {
    NativeRuntime.active(); // as for the features: no array before the native build is chosen
    int n = to - from;
    float[] y = new float[n * FashionMnist.CLASSES];
    for (int k = 0; k < n; k++) {
      y[k * FashionMnist.CLASSES + split.labels()[order[from + k]]] = 1f;
    }
    return Nd4j.create(y, new long[] {n, FashionMnist.CLASSES}, 'c').castTo(DataType.FLOAT);
  }

  /** 0, 1, ..., n-1. */
  public static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
