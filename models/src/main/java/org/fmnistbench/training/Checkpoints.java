package org.fmnistbench.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.Model;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.variants.Variant;

/**
 * Per-epoch checkpoints of one run (variant, recipe, seed, engine) in a directory: the network
 * with its Adam state in {@code model-epoch-K.zip} (layer API) or {@code .sdz} (SameDiff), and {@code state.json} naming it with the finished
 * epochs' statistics; once evaluated, {@code result.json}. Each file is written to a temporary name and renamed, and the state is
 * renamed last, so an interruption at any point leaves the previous consistent checkpoint.
 */
final class Checkpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STATE = "state.json";
  private static final String RESULT = "result.json";
  private final Path dir;
  private final Variant variant;
  private final Recipe recipe;
  private final long seed;
  private final Engine engine;

  Checkpoints(Path dir, Variant variant, Recipe recipe, long seed, Engine engine) {
    this.dir = dir;
    this.variant = variant;
    this.recipe = recipe;
    this.seed = seed;
    this.engine = engine;
  }

  /** The saved state of a run. */
  record State(String variant, String recipe, long seed, int epochsDone, String model,
      List<Trainer.EpochStats> epochs) {}

  /** A network restored from a checkpoint, with the finished epochs. */
  record Restored(Model net, List<Trainer.EpochStats> epochs) {}

  Optional<Restored> restore() {
    Path statePath = dir.resolve(STATE);
    if (!Files.isRegularFile(statePath)) {
      return Optional.empty();
    }
    try {
      State state = JSON.readValue(statePath.toFile(), State.class);
      if (!state.variant().equals(variant.id()) || !state.recipe().equals(recipe.describe())
          || state.seed() != seed) {
        throw new IllegalStateException("checkpoint " + statePath + " is for " + state.variant()
            + " seed " + state.seed() + " recipe '" + state.recipe() + "', not " + variant + " seed "
            + seed + " recipe '" + recipe.describe() + "'; delete it to start over");
      }
      Model net = engine.load(variant, dir.resolve(state.model()));
      return Optional.of(new Restored(net, state.epochs()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint in " + dir, e);
    }
  }

  /** The stored result of a run that finished, if it did. */
  Optional<Trainer.RunResult> finishedResult() {
    Path file = dir.resolve(RESULT);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Trainer.RunResult r = JSON.readValue(file.toFile(), Trainer.RunResult.class);
      if (!r.variant().equals(variant.id()) || !r.recipe().equals(recipe.describe()) || r.seed() != seed) {
        throw new IllegalStateException("result " + file + " is for " + r.variant() + " seed " + r.seed()
            + " recipe '" + r.recipe() + "', not " + variant + " seed " + seed + "; delete it to start over");
      }
      return Optional.of(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  void saveResult(Trainer.RunResult result) {
    writeAtomically(RESULT, result);
  }

  private void writeAtomically(String name, Object value) {
    try {
      AtomicFiles.writeJson(dir.resolve(name), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  void save(Model net, List<Trainer.EpochStats> epochs, int epochsDone) {
    try {
      String model = modelFile(epochsDone);
      AtomicFiles.write(dir.resolve(model), net::save);
      writeAtomically(STATE, new State(variant.id(), recipe.describe(), seed, epochsDone, model, List.copyOf(epochs)));
      if (epochsDone > 1) {
        Files.deleteIfExists(dir.resolve(modelFile(epochsDone - 1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint in " + dir, e);
    }
  }

  private String modelFile(int epochsDone) {
    return "model-epoch-" + epochsDone + (engine == Engine.LAYER_API ? ".zip" : ".sdz");
  }
}
