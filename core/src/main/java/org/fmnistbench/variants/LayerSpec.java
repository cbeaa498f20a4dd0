package org.fmnistbench.variants;

/**
 * One Keras layer of a variant, with Keras's meaning. Engines translate these; nothing here
 * knows about DL4J. Defaults follow Keras 2: glorot_uniform kernels, zero biases.
 */
public sealed interface LayerSpec {

  /**
   * What to do with each layer type: the one dispatch over this sealed type. Every place that
   * treats layers by type (the engines, shapes, benchmark catalogue and reports) implements it,
   * so a new layer type is a compile error at each of them until it is handled there
   * ({@code docs/extending.md}).
   */
  interface Cases<R> {
    R zeroPadding(ZeroPadding p);

    R conv(Conv c);

    R pool(Pool p);

    R dropout(Dropout d);

    R flatten(Flatten f);

    R dense(Dense d);

    R softmax(Softmax s);
  }

  /** Applies the case of this layer's type. */
  <R> R match(Cases<R> cases);

  /** Whether the layer works on images ([c, h, w] in and out). */
  default boolean spatial() {
    return match(new Cases<Boolean>() {
      public Boolean zeroPadding(ZeroPadding p) {
        return true;
      }

      public Boolean conv(Conv c) {
        return true;
      }

      public Boolean pool(Pool p) {
        return true;
      }

      public Boolean dropout(Dropout d) {
        return false;
      }

      public Boolean flatten(Flatten f) {
        return false;
      }

      public Boolean dense(Dense d) {
        return false;
      }

      public Boolean softmax(Softmax s) {
        return false;
      }
    });
  }

  /** {@code ZeroPadding2D(padding=(p, p))}: p zero rows/columns on every side. */
  record ZeroPadding(int pad) implements LayerSpec {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.zeroPadding(this);
    }

    public ZeroPadding {
      positive("padding", pad);
    }
  }

  /** {@code Conv2D(filters, (3, 3), activation='relu')}: valid padding, stride 1. */
  record Conv(int filters) implements LayerSpec {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.conv(this);
    }

    public static final int KERNEL = 3;

    public Conv {
      positive("filters", filters);
    }
  }

  /** {@code MaxPooling2D((2, 2))} or {@code AveragePooling2D((2, 2))}: stride 2, floor. */
  record Pool(PoolType type) implements LayerSpec {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.pool(this);
    }

    public static final int SIZE = 2;
  }

  /** Pooling function. */
  enum PoolType { MAX, AVG }

  /** {@code Dropout(rate)}: in training, zeroes each input with probability {@code rate}. */
  record Dropout(double rate) implements LayerSpec {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.dropout(this);
    }

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
  record Flatten() implements LayerSpec {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.flatten(this);
    }
  }

  /** {@code Dense(units, activation='relu')}. */
  record Dense(int units) implements LayerSpec {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.dense(this);
    }

    public Dense {
      positive("units", units);
    }
  }

  /** {@code Dense(classes, activation='softmax')}, trained with sparse categorical cross-entropy. */
  record Softmax(int classes) implements LayerSpec {
    @Override
    public <R> R match(Cases<R> cases) {
      return cases.softmax(this);
    }

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
