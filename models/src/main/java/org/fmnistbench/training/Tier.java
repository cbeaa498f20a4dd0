package org.fmnistbench.training;

import java.nio.file.Path;
import java.util.Locale;
import org.fmnistbench.variants.Variant;

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

  /**
   * Where a run of this tier keeps its checkpoints and result under a runs directory: the layer
   * API's at {@code <tier>/<variant>/seed-N}, another engine's under {@code <tier>/<engine>/}.
   */
  public Path runDir(Path runsDir, Variant variant, long seed, org.fmnistbench.engine.Engine engine) {
    Path tierDir = runsDir.resolve(id());
    if (engine != org.fmnistbench.engine.Engine.LAYER_API) {
      tierDir = tierDir.resolve(engine.id());
    }
    return tierDir.resolve(variant.id()).resolve("seed-" + seed);
  }

  /**
   * The shorter run under {@code runsDir} that a run of {@code variant} may continue: its
   * {@link Variant#shorterTwin()} with the same seed and engine, when this tier trains the two
   * with recipes that differ only in their epochs.
   */
  public java.util.Optional<Continuation> continuation(Path runsDir, Variant variant, long seed,
      org.fmnistbench.engine.Engine engine) {
    return variant.shorterTwin()
        .filter(twin -> recipe(twin).withEpochs(recipe(variant).epochs()).equals(recipe(variant)))
        .map(twin -> new Continuation(twin, recipe(twin), runDir(runsDir, twin, seed, engine)));
  }

  /**
   * The default runs directory: system property {@code suite.runs}, else
   * {@code $XDG_CACHE_HOME/dl4j-fmnist-suite/runs} or {@code ~/.cache/dl4j-fmnist-suite/runs}.
   */
  public static Path defaultRunsDir() {
    String configured = System.getProperty("suite.runs");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return org.fmnistbench.io.SuiteDirs.cacheRoot().resolve("runs");
  }

  /** Lower-case name, as in baselines and on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a tier name; the error lists the valid ones. */
  public static Tier byId(String id) {
    return org.fmnistbench.util.EnumIds.byId(Tier.class, "tier", id, Tier::id);
  }
}
