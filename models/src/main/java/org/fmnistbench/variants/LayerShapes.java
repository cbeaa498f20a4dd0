package org.fmnistbench.variants;

import java.util.ArrayList;
import java.util.List;

/** The shape each layer of a variant receives, per example, walking the registry entry. */
public final class LayerShapes {
  private LayerShapes() {}

  /**
   * A layer with its input.
   *
   * @param index position in the variant's layer list
   * @param spec the layer
   * @param input per-example input shape: {@code [c, h, w]} for images, {@code [n]} after Flatten
   */
  public record Step(int index, LayerSpec spec, long[] input) {
    public boolean image() {
      return input.length == 3;
    }
  }

  /** Every layer of {@code variant} with its input shape (28x28 single-channel images in). */
  public static List<Step> of(Variant variant) {
    long[] shape = variant.convolutional() ? new long[] {1, 28, 28} : new long[] {28 * 28};
    List<Step> steps = new ArrayList<>();
    int i = 0;
    for (LayerSpec spec : variant.layers()) {
      steps.add(new Step(i++, spec, shape.clone()));
      shape = output(spec, shape);
    }
    return steps;
  }

  /**
   * Sizes of the trainable arrays of {@code variant}, weights then bias of each layer that has
   * them, in layer order: what Keras's {@code model.summary()} counts, without building a model.
   */
  public static long[] parameterSizes(Variant variant) {
    List<Long> sizes = new ArrayList<>();
    for (Step step : of(variant)) {
      long[] in = step.input();
      if (step.spec() instanceof LayerSpec.Conv c) {
        sizes.add((long) c.filters() * in[0] * LayerSpec.Conv.KERNEL * LayerSpec.Conv.KERNEL);
        sizes.add((long) c.filters());
      } else if (step.spec() instanceof LayerSpec.Dense || step.spec() instanceof LayerSpec.Softmax) {
        long units = output(step.spec(), in)[0];
        sizes.add(in[0] * units);
        sizes.add(units);
      }
    }
    return sizes.stream().mapToLong(Long::longValue).toArray();
  }

  /** Trainable parameters of {@code variant}. */
  public static long parameterCount(Variant variant) {
    return java.util.Arrays.stream(parameterSizes(variant)).sum();
  }

  /**
   * Multiply-adds of one example's forward pass through the convolutions and dense layers (the
   * work that grows with the model; a training step costs about three times this).
   */
  public static long multiplyAdds(Variant variant) {
    long total = 0;
    for (Step step : of(variant)) {
      long[] in = step.input();
      long[] out = output(step.spec(), in);
      if (step.spec() instanceof LayerSpec.Conv) {
        total += out[0] * out[1] * out[2] * in[0] * LayerSpec.Conv.KERNEL * LayerSpec.Conv.KERNEL;
      } else if (step.spec() instanceof LayerSpec.Dense || step.spec() instanceof LayerSpec.Softmax) {
        total += in[0] * out[0];
      }
    }
    return total;
  }

  /** The per-example output shape of {@code spec} for input {@code in}. */
  public static long[] output(LayerSpec spec, long[] in) {
    if (spec instanceof LayerSpec.ZeroPadding p) {
      return new long[] {in[0], in[1] + 2L * p.pad(), in[2] + 2L * p.pad()};
    } else if (spec instanceof LayerSpec.Conv c) {
      return new long[] {c.filters(), in[1] - LayerSpec.Conv.KERNEL + 1, in[2] - LayerSpec.Conv.KERNEL + 1};
    } else if (spec instanceof LayerSpec.Pool) {
      return new long[] {in[0], in[1] / LayerSpec.Pool.SIZE, in[2] / LayerSpec.Pool.SIZE};
    } else if (spec instanceof LayerSpec.Flatten) {
      return in.length == 3 ? new long[] {in[0] * in[1] * in[2]} : in; // the MLP's input is flat already
    } else if (spec instanceof LayerSpec.Dense d) {
      return new long[] {d.units()};
    } else if (spec instanceof LayerSpec.Softmax s) {
      return new long[] {s.classes()};
    }
    return in; // Dropout
  }
}
