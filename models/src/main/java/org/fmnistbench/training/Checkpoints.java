package org.fmnistbench.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;
import org.fmnistbench.model.Model;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;

/**
 * Per-epoch checkpoints of one run (variant, recipe, seed, engine) in a directory: the network
 * with its Adam state in {@code model-epoch-K.zip} (layer API) or {@code .sdz} (SameDiff), and
 * {@code state.json} naming it with the finished epochs' statistics; once evaluated,
 * {@code result.json}. Each file is written to a temporary name and renamed, and the state is
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
  private final RuntimeConfig config;
  private final String runtime;

  Checkpoints(Path dir, Variant variant, Recipe recipe, long seed, Engine engine, RuntimeConfig config) {
    if (!engine.savesTrainingState()) {
      throw new IllegalArgumentException("engine " + engine.id() + " cannot checkpoint a run (its optimiser's state "
          + "is not saved with the weights): train it without checkpoints (no --checkpoints, not the full gate)");
    }
    this.dir = dir;
    this.variant = variant;
    this.recipe = recipe;
    this.seed = seed;
    this.engine = engine;
    this.config = config;
    this.runtime = config.id();
  }

  /**
   * The saved state of a run.
   *
   * @param engine engine id ({@code null} in checkpoints written before it was recorded)
   * @param runtime runtime configuration id (likewise)
   * @param startedFrom the finished shorter run this one continued, or {@code null}
   */
  record State(@JsonProperty(required = true) String variant, @JsonProperty(required = true) String recipe,
      @JsonProperty(required = true) long seed, @JsonProperty(required = true) int epochsDone,
      @JsonProperty(required = true) String model, @JsonProperty(required = true) List<Trainer.EpochStats> epochs,
      String engine, String runtime, String startedFrom) {}

  /** A network restored from a checkpoint, with the finished epochs and what the run started from. */
  record Restored(Model net, List<Trainer.EpochStats> epochs, String startedFrom) {}

  Optional<Restored> restore() {
    Path statePath = dir.resolve(STATE);
    if (!Files.isRegularFile(statePath)) {
      return Optional.empty();
    }
    try {
      State state = readState(statePath);
      if (!state.variant().equals(variant.id()) || !state.recipe().equals(recipe.describe())
          || state.seed() != seed || !matches(state.runtime(), runtime)) {
        throw new IllegalStateException("checkpoint " + statePath + " is for " + state.variant()
            + " seed " + state.seed() + " recipe '" + state.recipe() + "' runtime " + state.runtime() + ", not "
            + variant + " seed " + seed + " recipe '" + recipe.describe() + "' runtime " + runtime
            + "; delete it to start over");
      }
      Model net = engine.load(variant, dir.resolve(state.model()), config);
      return Optional.of(new Restored(net, state.epochs(), state.startedFrom()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Older checkpoints did not record the runtime: they match any. */
  private static boolean matches(String recorded, String current) {
    return recorded == null || recorded.equals(current);
  }

  private static State readState(Path file) throws IOException {
    return JsonFiles.read(JSON, file, State.class, "a run's checkpoint state");
  }

  /** The saved state in a run's directory (for tests and tools that inspect runs). */
  static State stateIn(Path dir) throws IOException {
    return readState(dir.resolve(STATE));
  }

  /**
   * This directory's finished run, restored so that a run of {@code longer} under
   * {@code longerRecipe} continues it: refused, with every reason, unless this run has the same
   * layers, augmentation, data, batch, optimiser, seed, engine and runtime and only stopped
   * earlier. The network is loaded as {@code longer}; nothing here is written.
   *
   * @return empty when this run has not finished (nothing to continue from yet)
   */
  Optional<Restored> restoreToContinue(Variant longer, Recipe longerRecipe) {
    Path statePath = dir.resolve(STATE);
    if (!Files.isRegularFile(statePath) || !Files.isRegularFile(dir.resolve(RESULT))) {
      return Optional.empty();
    }
    try {
      State state = readState(statePath);
      List<String> reasons = new ArrayList<>();
      if (!variant.layers().equals(longer.layers())) {
        reasons.add("its layers differ");
      }
      if (variant.augmentation() != longer.augmentation()) {
        reasons.add("its augmentation is " + variant.augmentation() + ", not " + longer.augmentation());
      }
      if (!recipe.withEpochs(longerRecipe.epochs()).equals(longerRecipe)) {
        reasons.add("its recipe '" + recipe.describe() + "' differs from '" + longerRecipe.describe()
            + "' in more than the epochs");
      }
      if (recipe.epochs() >= longerRecipe.epochs()) {
        reasons.add("it trains " + recipe.epochs() + " epochs, not fewer than " + longerRecipe.epochs());
      }
      if (!state.variant().equals(variant.id()) || !state.recipe().equals(recipe.describe())) {
        reasons.add("its checkpoint is of " + state.variant() + " recipe '" + state.recipe() + "'");
      }
      if (state.seed() != seed) {
        reasons.add("its seed is " + state.seed() + ", not " + seed);
      }
      if (!engine.id().equals(state.engine())) {
        reasons.add("its engine is " + state.engine() + ", not " + engine.id());
      }
      if (!runtime.equals(state.runtime())) {
        reasons.add("its runtime configuration is " + state.runtime() + ", not " + runtime);
      }
      if (state.epochsDone() != recipe.epochs()) {
        reasons.add("it stopped after " + state.epochsDone() + " of " + recipe.epochs() + " epochs");
      }
      if (!reasons.isEmpty()) {
        throw new IllegalStateException(longer + " seed " + seed + " cannot continue the run in " + dir + ": "
            + String.join("; ", reasons) + " (train it from scratch instead: --no-continue)");
      }
      Model net = engine.load(longer, dir.resolve(state.model()), config);
      String startedFrom = String.format(Locale.ROOT, "%s seed %d after %d epochs (commit %s)",
          variant.id(), seed, state.epochsDone(), state.epochs().get(state.epochs().size() - 1).commit());
      return Optional.of(new Restored(net, state.epochs(), startedFrom));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The stored result of a run that finished, if it did, and if the code that is running now
   * trained it: a result whose last epoch another commit trained is stale (a cache of an earlier
   * campaign, say) and is not reused, or its row would carry this commit for another's work.
   */
  Optional<Trainer.RunResult> finishedResult(String commit) {
    Path file = dir.resolve(RESULT);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Trainer.RunResult r = JsonFiles.read(JSON, file, Trainer.RunResult.class, "a finished run's result");
      if (r.epochs().isEmpty()) {
        throw new IOException(file + " is not a finished run's result: it holds no epochs");
      }
      if (!r.variant().equals(variant.id()) || !r.recipe().equals(recipe.describe()) || r.seed() != seed) {
        throw new IllegalStateException("result " + file + " is for " + r.variant() + " seed " + r.seed()
            + " recipe '" + r.recipe() + "', not " + variant + " seed " + seed + "; delete it to start over");
      }
      String trainedBy = r.epochs().get(r.epochs().size() - 1).commit();
      if (!commit.equals(trainedBy)) {
        return Optional.empty();
      }
      return Optional.of(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the result in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Whether a finished result is here that another commit trained (see {@link #finishedResult}). */
  boolean finishedByAnotherCommit(String commit) {
    return Files.isRegularFile(dir.resolve(RESULT)) && finishedResult(commit).isEmpty();
  }

  /** Removes this run's checkpoint and result, so that it trains from scratch. */
  void clear() {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the run folder " + dir, e);
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

  void save(Model net, List<Trainer.EpochStats> epochs, int epochsDone, String startedFrom) {
    try {
      String model = modelFile(epochsDone);
      AtomicFiles.write(dir.resolve(model), net::save);
      writeAtomically(STATE, new State(variant.id(), recipe.describe(), seed, epochsDone, model, List.copyOf(epochs),
          engine.id(), runtime, startedFrom));
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
