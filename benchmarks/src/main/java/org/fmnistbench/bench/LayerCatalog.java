package org.fmnistbench.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.fmnistbench.variants.LayerShapes;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Variant;

/**
 * The layers the per-layer benchmarks time, derived from the registry: every distinct (layer,
 * input shape) of the variants, plus each variant's Adam update. Ids are JMH parameter values
 * (no commas), e.g. {@code conv3x3_32-64_26x26}, {@code maxpool2_64_24x24},
 * {@code dropout0.25_64x12x12}, {@code dense_9216-128}, {@code softmax-loss_128-10},
 * {@code adam_1199882} (the update of a network of that many parameters).
 */
public final class LayerCatalog {
  private LayerCatalog() {}

  /**
   * One timed layer.
   *
   * @param id the JMH parameter value
   * @param spec the registry layer, or null for the Adam update
   * @param input per-example input shape ({@code [c, h, w]} or {@code [n]}); for Adam, the
   *     parameter array sizes of the network
   */
  public record Case(String id, LayerSpec spec, long[] input) {
    public boolean adam() {
      return spec == null;
    }
  }

  /** The cases a training step of {@code variant} is made of, in order (Flatten is a reshape: left out). */
  public static List<Case> of(Variant variant) {
    List<Case> cases = new ArrayList<>();
    for (LayerShapes.Step step : LayerShapes.of(variant)) {
      String id = step.spec().match(new CaseId(step.input()));
      if (id != null) {
        cases.add(new Case(id, step.spec(), step.input()));
      }
    }
    long[] sizes = LayerShapes.parameterSizes(variant);
    long total = Arrays.stream(sizes).sum();
    cases.add(new Case("adam_" + total, null, sizes));
    return cases;
  }

  /** Distinct cases of several variants, by id, in first-seen order. */
  public static Map<String, Case> union(List<Variant> variants) {
    Map<String, Case> out = new LinkedHashMap<>();
    variants.forEach(v -> of(v).forEach(c -> out.putIfAbsent(c.id(), c)));
    return out;
  }

  /** The case with this id among all variants' cases. */
  public static Case byId(String id) {
    Case c = union(List.of(Variant.values())).get(id);
    if (c == null) {
      throw new IllegalArgumentException("unknown layer case '" + id + "'; valid: "
          + String.join(", ", union(List.of(Variant.values())).keySet()));
    }
    return c;
  }

  /**
   * A shape as {@code 32x1x28x28}: in layer ids and metric names (JMH's JSON writer re-indents
   * brackets and commas even inside metric names).
   */
  public static String dims(long... shape) {
    return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
  }

  /** A layer's case id, from its type and input; null for Flatten (a reshape, no case). */
  private record CaseId(long[] in) implements LayerSpec.Cases<String> {
    private String image() {
      return in.length == 3 ? in[1] + "x" + in[2] : "";
    }

    @Override
    public String zeroPadding(LayerSpec.ZeroPadding p) {
      return "zeropad" + p.pad() + "_" + in[0] + "_" + image();
    }

    @Override
    public String conv(LayerSpec.Conv c) {
      return "conv3x3_" + in[0] + "-" + c.filters() + "_" + image();
    }

    @Override
    public String pool(LayerSpec.Pool p) {
      return p.type().name().toLowerCase(Locale.ROOT) + "pool2_" + in[0] + "_" + image();
    }

    @Override
    public String dropout(LayerSpec.Dropout d) {
      return "dropout" + d.rate() + "_" + dims(in);
    }

    @Override
    public String flatten(LayerSpec.Flatten f) {
      return null;
    }

    @Override
    public String dense(LayerSpec.Dense d) {
      return "dense_" + in[0] + "-" + d.units();
    }

    @Override
    public String softmax(LayerSpec.Softmax s) {
      return "softmax-loss_" + in[0] + "-" + s.classes();
    }
  }
}
