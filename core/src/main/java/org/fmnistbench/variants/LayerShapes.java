package org.fmnistbench.variants;

import java.util.ArrayList;
import java.util.Arrays;
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
      sizes.addAll(step.spec().match(new Work(step.input())).parameters());
    }
    return sizes.stream().mapToLong(Long::longValue).toArray();
  }

  /** Trainable parameters of {@code variant}. */
  public static long parameterCount(Variant variant) {
    return Arrays.stream(parameterSizes(variant)).sum();
  }

  /**
   * Multiply-adds of one example's forward pass through the convolutions and dense layers (the
   * work that grows with the model; a training step costs about three times this).
   */
  public static long multiplyAdds(Variant variant) {
    long total = 0;
    for (Step step : of(variant)) {
      total += step.spec().match(new Work(step.input())).multiplyAdds();
    }
    return total;
  }

  /** The per-example output shape of {@code spec} for input {@code in}. */
  public static long[] output(LayerSpec spec, long[] in) {
    return spec.match(new Work(in)).output();
  }

  /**
   * What one layer does to one example of shape {@code in}.
   *
   * @param output its per-example output shape
   * @param parameters sizes of its weights and bias (none for layers without)
   * @param multiplyAdds multiply-adds of its forward pass
   */
  private record Shape(long[] output, List<Long> parameters, long multiplyAdds) {
    static Shape unchanged(long[] in) {
      return new Shape(in, List.of(), 0);
    }
  }

  /** The shape arithmetic of each layer type. */
  private record Work(long[] in) implements LayerSpec.Cases<Shape> {
    @Override
    public Shape zeroPadding(LayerSpec.ZeroPadding p) {
      return new Shape(new long[] {in[0], in[1] + 2L * p.pad(), in[2] + 2L * p.pad()}, List.of(), 0);
    }

    @Override
    public Shape conv(LayerSpec.Conv c) {
      long k = LayerSpec.Conv.KERNEL;
      long[] out = {c.filters(), in[1] - k + 1, in[2] - k + 1};
      return new Shape(out, List.of(c.filters() * in[0] * k * k, (long) c.filters()), out[0] * out[1] * out[2] * in[0] * k * k);
    }

    @Override
    public Shape pool(LayerSpec.Pool p) {
      return new Shape(new long[] {in[0], in[1] / LayerSpec.Pool.SIZE, in[2] / LayerSpec.Pool.SIZE}, List.of(), 0);
    }

    @Override
    public Shape dropout(LayerSpec.Dropout d) {
      return Shape.unchanged(in);
    }

    @Override
    public Shape flatten(LayerSpec.Flatten f) {
      // the MLP's input is flat already
      return in.length == 3 ? new Shape(new long[] {in[0] * in[1] * in[2]}, List.of(), 0) : Shape.unchanged(in);
    }

    @Override
    public Shape dense(LayerSpec.Dense d) {
      return fullyConnected(d.units());
    }

    @Override
    public Shape softmax(LayerSpec.Softmax s) {
      return fullyConnected(s.classes());
    }

    private Shape fullyConnected(long units) {
      return new Shape(new long[] {units}, List.of(in[0] * units, units), in[0] * units);
    }
  }
}
