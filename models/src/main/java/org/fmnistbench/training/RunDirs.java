package org.fmnistbench.training;

import java.nio.file.Path;
import java.util.Optional;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.io.SuiteDirs;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;

/** Where full-tier runs keep their checkpoints and results, and which shorter run a run continues. */
public final class RunDirs {
  private RunDirs() {}

  /**
   * A run's folder under a runs directory: the layer API's at {@code <tier>/<variant>/seed-N},
   * another engine's under {@code <tier>/<engine>/}.
   */
  public static Path of(Path runsDir, Tier tier, Variant variant, long seed, Engine engine) {
    Path tierDir = runsDir.resolve(tier.id());
    if (engine != Engine.LAYER_API) {
      tierDir = tierDir.resolve(engine.id());
    }
    return tierDir.resolve(variant.id()).resolve("seed-" + seed);
  }

  /**
   * The default runs directory: system property {@code suite.runs}, else
   * {@code $XDG_CACHE_HOME/dl4j-fmnist-suite/runs} or {@code ~/.cache/dl4j-fmnist-suite/runs}.
   */
  public static Path defaultRoot() {
    String configured = System.getProperty("suite.runs");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return SuiteDirs.cacheRoot().resolve("runs");
  }

  /**
   * The shorter run under {@code runsDir} that a run of {@code variant} may continue: its
   * {@link Variant#shorterTwin()} with the same seed and engine, when {@code tier} trains the two
   * with recipes that differ only in their epochs.
   */
  public static Optional<Continuation> continuation(Path runsDir, Tier tier, Variant variant, long seed, Engine engine) {
    return variant.shorterTwin()
        .filter(twin -> tier.recipe(twin).withEpochs(tier.recipe(variant).epochs()).equals(tier.recipe(variant)))
        .map(twin -> new Continuation(twin, tier.recipe(twin), of(runsDir, tier, twin, seed, engine)));
  }
}
