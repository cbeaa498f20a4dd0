package org.fmnistbench.training;

import java.nio.file.Path;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;

/**
 * A shorter run that a longer one may start from instead of from scratch: {@code cnn3-pad-flip-10ep}
 * is {@code cnn3-pad-flip} trained 5 epochs more (same layers, data, seed, shuffles and dropout
 * masks per epoch, constant Adam rate), so its first 5 epochs are that run's.
 * {@link RunDirs#continuation} finds it; {@link Trainer} checks it and refuses anything else.
 *
 * @param variant the shorter run's variant ({@link Variant#shorterTwin()})
 * @param recipe its recipe
 * @param dir its checkpoint directory
 */
public record Continuation(Variant variant, Recipe recipe, Path dir) {}
