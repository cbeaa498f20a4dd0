package org.fmnistbench.fleet;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.fmnistbench.baselines.EpochRecord;
import org.fmnistbench.data.DataFileSpec;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.LayerShapes;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;

/**
 * What a training run is expected to cost, in seconds of the machine that recorded the
 * baselines: the median recorded time per training sample of the variant's full-recipe epochs
 * (layer API) when there are any, else its forward multiply-adds times the median time per
 * multiply-add of the recorded variants; times the samples the tier's recipe trains on. Only
 * the ratios between runs matter (they balance shards), and every machine of one CI run reads
 * the same committed baselines, so all of them compute the same split.
 */
public final class RunCost {
  /** Time per multiply-add when nothing is recorded (so the split still follows model size). */
  private static final double FALLBACK_US_PER_MULTIPLY_ADD = 1e-4;

  private final Map<Variant, Double> usPerSample = new EnumMap<>(Variant.class);

  private RunCost(List<EpochRecord> epochs) {
    Median median = new Median();
    Map<Variant, double[]> recorded = new EnumMap<>(Variant.class);
    for (Variant v : Variant.values()) {
      double[] us = epochs.stream()
          .filter(e -> e.variant().equals(v.id()) && e.tier().equals(Tier.FULL.id())
              && e.engine().equals(Engine.LAYER_API.id()) && e.trainUsPerSample() > 0)
          .mapToDouble(EpochRecord::trainUsPerSample).toArray();
      if (us.length > 0) {
        recorded.put(v, us);
      }
    }
    double usPerMultiplyAdd = recorded.isEmpty() ? FALLBACK_US_PER_MULTIPLY_ADD
        : median.evaluate(recorded.entrySet().stream()
            .mapToDouble(e -> median.evaluate(e.getValue()) / LayerShapes.multiplyAdds(e.getKey())).toArray());
    for (Variant v : Variant.values()) {
      double[] us = recorded.get(v);
      usPerSample.put(v, us != null ? median.evaluate(us) : usPerMultiplyAdd * LayerShapes.multiplyAdds(v));
    }
  }

  /** The cost model of these recorded epochs ({@code baselines/epochs.csv}'s rows). */
  public static RunCost of(List<EpochRecord> epochs) {
    return new RunCost(epochs);
  }

  /** Expected seconds of training one run of {@code variant} under {@code recipe}. */
  public double seconds(Variant variant, Recipe recipe) {
    return usPerSample.get(variant) * trainSamples(recipe) * recipe.epochs() / 1e6;
  }

  /** Training samples per epoch: the class-balanced subset (or all 60,000), doubled by the flip. */
  static long trainSamples(Recipe recipe) {
    long originals = recipe.trainPerClass() == 0 ? DataFileSpec.TRAIN_IMAGES.dims()[0]
        : (long) FashionMnist.CLASSES * recipe.trainPerClass();
    return recipe.flip() ? 2 * originals : originals;
  }
}
