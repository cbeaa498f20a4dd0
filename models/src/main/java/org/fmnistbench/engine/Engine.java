package org.fmnistbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;

/** The ways the suite can build a variant: DL4J's layer API or an ND4J SameDiff graph. */
public enum Engine {
  /** DL4J's MultiLayerNetwork: what most DL4J users write. */
  LAYER_API(Engine.LAYER_API_ID) {
    @Override
    public Model build(Variant variant, Recipe recipe, long seed) {
      return LayerApiEngine.model(variant, recipe, seed);
    }

    @Override
    public Model load(Variant variant, Path file) throws IOException {
      return LayerApiEngine.load(file);
    }
  },
  /** The same variant as a SameDiff graph, trained through TrainingConfig. */
  SAMEDIFF(Engine.SAMEDIFF_ID) {
    @Override
    public Model build(Variant variant, Recipe recipe, long seed) {
      return SameDiffEngine.build(variant, recipe, seed);
    }

    @Override
    public Model load(Variant variant, Path file) throws IOException {
      return SameDiffEngine.load(variant, file);
    }
  };

  /** Ids as compile-time constants, for annotations (JMH's {@code @Param}). */
  public static final String LAYER_API_ID = JmhJson.ENGINE_WHEN_UNNAMED;
  public static final String SAMEDIFF_ID = "samediff";

  /** System property naming the engine of the gate and the CLI (default layer-api). */
  public static final String PROPERTY = "suite.engine";

  private final String id;

  Engine(String id) {
    this.id = id;
  }

  /** The id used on command lines and in baselines. */
  public String id() {
    return id;
  }

  /** {@code variant}, initialised from {@code seed} (both engines draw the same initial weights). */
  public abstract Model build(Variant variant, Recipe recipe, long seed);

  /** A model written by {@link Model#save}. */
  public abstract Model load(Variant variant, Path file) throws IOException;

  /** The engine named by {@value #PROPERTY}, default layer-api. */
  public static Engine configured() {
    return byId(System.getProperty(PROPERTY, LAYER_API.id));
  }

  /** Every engine's id, comma-separated: the default set of the benchmarks and the gate. */
  public static String allIds() {
    return java.util.Arrays.stream(values()).map(Engine::id).collect(java.util.stream.Collectors.joining(","));
  }

  /** Parses an engine id; the error lists the valid ones. */
  public static Engine byId(String id) {
    return org.fmnistbench.util.EnumIds.byId(Engine.class, "engine", id, Engine::id);
  }
}
