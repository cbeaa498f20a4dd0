package org.fmnistbench.variants;

/**
 * One Keras layer of a variant, with Keras's meaning. Engines translate these; nothing here
 * knows about DL4J. Defaults follow Keras 2: glorot_uniform kernels, zero biases.
 */
public sealed interface LayerSpec {

  /** {@code ZeroPadding2D(padding=(p, p))}: p zero rows/columns on every side. */
  record ZeroPadding(int pad) implements LayerSpec {
    public ZeroPadding {
      positive("padding", pad);
    }
  }

  /** {@code Conv2D(filters, (3, 3), activation='relu')}: valid padding, stride 1. */
  record Conv(int filters) implements LayerSpec {
    public static final int KERNEL = 3;

    public Conv {
      positive("filters", filters);
    }
  }

  /** {@code MaxPooling2D((2, 2))} or {@code AveragePooling2D((2, 2))}: stride 2, floor. */
  record Pool(PoolType type) implements LayerSpec {
    public static final int SIZE = 2;
  }

  /** Pooling function. */
  enum PoolType { MAX, AVG }

  /** {@code Dropout(rate)}: in training, zeroes each input with probability {@code rate}. */
  record Dropout(double rate) implements LayerSpec {
    public Dropout {
      if (!(rate > 0 && rate < 1)) {
        throw new IllegalArgumentException("dropout rate must be in (0, 1), got " + rate);
      }
    }

    /** The probability of keeping a unit: what DL4J's {@code dropOut(p)} takes. */
    public double retain() {
      return 1 - rate;
    }
  }

  /** {@code Flatten()}, in Keras's (H, W, C) order. */
  record Flatten() implements LayerSpec {}

  /** {@code Dense(units, activation='relu')}. */
  record Dense(int units) implements LayerSpec {
    public Dense {
      positive("units", units);
    }
  }

  /** {@code Dense(classes, activation='softmax')}, trained with sparse categorical cross-entropy. */
  record Softmax(int classes) implements LayerSpec {
    public Softmax {
      positive("classes", classes);
    }
  }

  private static void positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }
}
