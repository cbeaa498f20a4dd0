package org.fmnistbench.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.fmnistbench.variants.Variant;

/**
 * The accuracy gate's tiers: which recipe each variant is trained with, how many seeds a
 * baseline needs, and how wide the accepted band is at the least.
 */
public enum Tier {
  /**
   * CI's tier: sized so that all variants train and evaluate in well under 15 minutes on 2
   * cores at the layer API's stock speed. The MLP runs the article's full recipe (it is cheap);
   * the CNNs train one epoch on a fixed class-balanced subset of SMOKE_TRAIN_PER_CLASS images
   * per class (doubled by the flip where the variant flips) and are evaluated on a fixed
   * class-balanced SMOKE_TEST_PER_CLASS per class of the test set.
   */
  SMOKE(5) {
    @Override
    public Recipe recipe(Variant variant) {
      Recipe article = Recipe.article(variant);
      if (!variant.convolutional()) {
        return article;
      }
      return article.withEpochs(1).withTrainPerClass(SMOKE_TRAIN_PER_CLASS).withTestPerClass(SMOKE_TEST_PER_CLASS);
    }
  },
  /** The article's exact recipe: hours per variant at stock speed. */
  FULL(3) {
    @Override
    public Recipe recipe(Variant variant) {
      return Recipe.article(variant);
    }
  };

  static final int SMOKE_TRAIN_PER_CLASS = 150;
  static final int SMOKE_TEST_PER_CLASS = 50;

  private final int minSeeds;

  Tier(int minSeeds) {
    this.minSeeds = minSeeds;
  }

  /** The recipe this tier trains {@code variant} with. */
  public abstract Recipe recipe(Variant variant);

  /** How many recorded seeds a baseline of this tier needs. */
  public int minSeeds() {
    return minSeeds;
  }

  /** Lower-case name, as in baselines and on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a tier name; the error lists the valid ones. */
  public static Tier byId(String id) {
    for (Tier t : values()) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown tier '" + id + "'; valid: "
        + Arrays.stream(values()).map(Tier::id).collect(Collectors.joining(", ")));
  }
}
