package org.fmnistbench.training;

import java.io.IOException;
import java.nio.file.Files;
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
   * {@code dir}, created if need be, refused before any training when it cannot hold checkpoints
   * (a file, a folder this user cannot write): otherwise the first checkpoint, written after the
   * first epoch, would fail, and the epoch be lost.
   *
   * @param option the option that named it, for the refusal: "--checkpoints"
   */
  public static Path requireWritable(Path dir, String option) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(option + " " + dir + " is not a folder");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + dir + ": cannot create the folder (" + e + ")", e);
    }
    if (!Files.isWritable(dir)) {
      throw new IllegalArgumentException(option + " " + dir + " is not writable");
    }
    return dir;
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
