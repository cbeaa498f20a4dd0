package org.fmnistbench.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Fashion-MNIST data set in memory: 60,000 training and 10,000 test images of 28x28
 * unsigned-byte pixels with labels 0..9. Scaling to [0, 1] happens when batches are made.
 */
public final class FashionMnist {
  public static final int ROWS = 28;
  public static final int COLS = 28;
  public static final int PIXELS = ROWS * COLS;
  public static final int CLASSES = 10;

  private static volatile FashionMnist cached;

  private final Split train;
  private final Split test;

  public FashionMnist(Split train, Split test) {
    this.train = train;
    this.test = test;
  }

  public Split train() {
    return train;
  }

  public Split test() {
    return test;
  }

  /** Loads (once per JVM) from wherever {@link DataLocator#fromEnvironment()} finds the files. */
  public static FashionMnist load() {
    FashionMnist data = cached;
    if (data == null) {
      synchronized (FashionMnist.class) {
        if (cached == null) {
          cached = loadFrom(DataLocator.fromEnvironment().locate());
        }
        data = cached;
      }
    }
    return data;
  }

  /** Loads and verifies the four files in {@code dir}. */
  public static FashionMnist loadFrom(Path dir) {
    Split train = split(dir, DataFileSpec.TRAIN_IMAGES, DataFileSpec.TRAIN_LABELS);
    Split test = split(dir, DataFileSpec.TEST_IMAGES, DataFileSpec.TEST_LABELS);
    return new FashionMnist(train, test);
  }

  private static Split split(Path dir, DataFileSpec imageSpec, DataFileSpec labelSpec) {
    IdxFile images = IdxFile.read(dir.resolve(imageSpec.name()), imageSpec);
    IdxFile labels = IdxFile.read(dir.resolve(labelSpec.name()), labelSpec);
    byte[] y = labels.data();
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= CLASSES) {
        throw new DataFileException(dir.resolve(labelSpec.name()),
            "label " + (y[i] & 0xff) + " at index " + i + ", expected 0.." + (CLASSES - 1));
      }
    }
    return new Split(images.data(), y);
  }

  /**
   * Images and labels of one split.
   *
   * @param pixels {@code size * 784} unsigned bytes, row-major per image
   * @param labels {@code size} class indices 0..9
   */
  public record Split(byte[] pixels, byte[] labels) {
    public Split {
      if (pixels.length != labels.length * PIXELS) {
        throw new IllegalArgumentException(pixels.length + " pixels for " + labels.length + " labels");
      }
    }

    public int size() {
      return labels.length;
    }

    /**
     * A fixed, class-balanced subset: the first {@code perClass} examples of each class in
     * file order, kept in file order. {@code perClass <= 0} means the whole split.
     */
    public Split stratified(int perClass) {
      if (perClass <= 0) {
        return this;
      }
      int[] taken = new int[CLASSES];
      int[] keep = new int[perClass * CLASSES];
      int n = 0;
      for (int i = 0; i < size() && n < keep.length; i++) {
        int c = labels[i];
        if (taken[c] < perClass) {
          taken[c]++;
          keep[n++] = i;
        }
      }
      if (n < keep.length) {
        throw new IllegalArgumentException("split has fewer than " + perClass + " examples of some class: "
            + Arrays.toString(taken));
      }
      return select(keep);
    }

    /** The examples at the given indices, in that order. */
    public Split select(int[] indices) {
      byte[] x = new byte[indices.length * PIXELS];
      byte[] y = new byte[indices.length];
      for (int k = 0; k < indices.length; k++) {
        System.arraycopy(pixels, indices[k] * PIXELS, x, k * PIXELS, PIXELS);
        y[k] = labels[indices[k]];
      }
      return new Split(x, y);
    }

    /**
     * This split followed by its horizontal mirror, as the article's
     * {@code np.concatenate((x, x[:, :, ::-1]))}: the last axis of (N, rows, cols) is the
     * width, so each row is reversed; rows stay where they are.
     */
    public Split withHorizontalFlips() {
      int n = size();
      byte[] x = Arrays.copyOf(pixels, 2 * pixels.length);
      byte[] y = Arrays.copyOf(labels, 2 * n);
      for (int i = 0; i < n; i++) {
        int src = i * PIXELS;
        int dst = (n + i) * PIXELS;
        for (int r = 0; r < ROWS; r++) {
          for (int c = 0; c < COLS; c++) {
            x[dst + r * COLS + c] = pixels[src + r * COLS + (COLS - 1 - c)];
          }
        }
        y[n + i] = labels[i];
      }
      return new Split(x, y);
    }
  }
}
