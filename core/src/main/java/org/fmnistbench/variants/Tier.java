package org.fmnistbench.variants;

import java.util.Locale;
import org.fmnistbench.util.EnumIds;

/**
 * The accuracy gate's tiers: which recipe each variant is trained with, how many seeds a
 * baseline needs, and how wide the accepted band is at the least.
 */
public enum Tier {
  /**
   * CI's tier: sized so that all variants train and evaluate in well under 15 minutes on 2
   * cores at the layer API's stock speed. The MLP runs the article's full recipe (it is cheap);
   * the CNNs train on a fixed class-balanced subset of the training file,
   * SMOKE_TRAIN_PER_CLASS images per class, for a fifth of the article's epochs (1, or 2 for
   * the 10-epoch variant). Where the variant adds horizontal flips, half as many originals are
   * taken so that, flipped, the epoch has the same size. All are evaluated on a fixed
   * class-balanced SMOKE_TEST_PER_CLASS per class of the test set.
   */
  SMOKE(5) {
    @Override
    public Recipe recipe(Variant variant) {
      Recipe article = Recipe.article(variant);
      if (!variant.convolutional()) {
        return article;
      }
      int perClass = article.flip() ? SMOKE_TRAIN_PER_CLASS / 2 : SMOKE_TRAIN_PER_CLASS;
      return article.withEpochs(Math.max(1, variant.epochs() / 5))
          .withTrainPerClass(perClass).withTestPerClass(SMOKE_TEST_PER_CLASS);
    }
  },
  /** The article's exact recipe: hours per variant at stock speed. */
  FULL(3) {
    @Override
    public Recipe recipe(Variant variant) {
      return Recipe.article(variant);
    }
  };

  static final int SMOKE_TRAIN_PER_CLASS = 100;
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
    return EnumIds.byId(Tier.class, "tier", id, Tier::id);
  }
}
