package org.fmnistbench.model;

import java.util.ArrayList;
import java.util.List;
import org.fmnistbench.variants.LayerShapes;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Variant;

/**
 * The trainable arrays of a variant as DL4J's layer API names and lays them out, the common
 * names through which every engine's weights and gradients compare ({@link Model#weights}): a
 * pure function of the registry entry and the image layout.
 */
public final class LayerApiParams {
  private LayerApiParams() {}

  /**
   * One trainable array, named {@code <layer>_W} or {@code <layer>_b} as DL4J names it in the
   * layer API's gradient, with the layout change to SameDiff's (the DJL engine's differs from the
   * layer API's only by Linear's transposed kernel).
   *
   * @param name the variable's name in both engines
   * @param layerApiShape its shape in the layer API
   * @param permutation axes that take the layer-API array (reshaped to {@code viewShape}) to
   *     SameDiff's layout, or null for a plain reshape
   */
  public record Param(String name, long[] layerApiShape, long[] viewShape, int[] permutation, long[] sameDiffShape) {
    /** {@code viewShape} permuted: the shape of the SameDiff array viewed before it is permuted back. */
    public long[] permutedShape() {
      long[] permuted = new long[viewShape.length];
      for (int i = 0; i < permutation.length; i++) {
        permuted[i] = viewShape[permutation[i]];
      }
      return permuted;
    }

    /** The permutation that undoes {@code permutation}. */
    public int[] inversePermutation() {
      int[] inverse = new int[permutation.length];
      for (int i = 0; i < permutation.length; i++) {
        inverse[permutation[i]] = i;
      }
      return inverse;
    }
  }

  /**
   * The trainable arrays of {@code variant} in layer order, with their layouts: a pure function
   * of the registry entry and the image layout.
   */
  public static List<Param> of(Variant variant, boolean nhwc) {
    ParamLayout layout = new ParamLayout(nhwc);
    for (LayerShapes.Step step : LayerShapes.of(variant)) {
      layout.in = step.input();
      step.spec().match(layout);
    }
    return layout.params;
  }

  /** The trainable arrays each layer type adds, named by the layer API's index of the layer. */
  private static final class ParamLayout implements LayerSpec.Cases<Void> {
    private final boolean nhwc;
    private final List<Param> params = new ArrayList<>();
    private long[] in; // the current layer's per-example input
    private long[] flattened; // the image the last Flatten turned into a vector
    private int layer; // the layer API's layer index, which names the weights

    ParamLayout(boolean nhwc) {
      this.nhwc = nhwc;
    }

    @Override
    public Void flatten(LayerSpec.Flatten f) {
      flattened = in.length == 3 ? in : null;
      return null; // no layer of its own in the layer API
    }

    @Override
    public Void dropout(LayerSpec.Dropout d) {
      return null; // input dropout of the next layer in the layer API
    }

    @Override
    public Void zeroPadding(LayerSpec.ZeroPadding p) {
      layer++;
      return null;
    }

    @Override
    public Void pool(LayerSpec.Pool p) {
      layer++;
      return null;
    }

    @Override
    public Void conv(LayerSpec.Conv conv) {
      int k = LayerSpec.Conv.KERNEL;
      // layer API: [out, in, kH, kW]; SameDiff's default weights format: [kH, kW, in, out]
      long[] dl4j = {conv.filters(), in[0], k, k};
      params.add(new Param(layer + "_W", dl4j, dl4j, new int[] {2, 3, 1, 0}, new long[] {k, k, in[0], conv.filters()}));
      params.add(bias(layer, conv.filters()));
      layer++;
      return null;
    }

    @Override
    public Void dense(LayerSpec.Dense d) {
      return fullyConnected(d.units());
    }

    @Override
    public Void softmax(LayerSpec.Softmax s) {
      return fullyConnected(s.classes());
    }

    private Void fullyConnected(long units) {
      long[] dl4j = {in[0], units};
      // After Flatten in NHWC, the rows come in (H, W, C) order rather than the layer API's
      // (C, H, W), so they are permuted.
      boolean permuted = flattened != null && nhwc && flattened[0] > 1;
      params.add(permuted
          ? new Param(layer + "_W", dl4j, new long[] {flattened[0], flattened[1], flattened[2], units},
              new int[] {1, 2, 0, 3}, dl4j)
          : new Param(layer + "_W", dl4j, dl4j, null, dl4j));
      params.add(bias(layer, units));
      flattened = null;
      layer++;
      return null;
    }
  }

  private static Param bias(int layer, long units) {
    return new Param(layer + "_b", new long[] {1, units}, new long[] {units}, null, new long[] {units});
  }
}
