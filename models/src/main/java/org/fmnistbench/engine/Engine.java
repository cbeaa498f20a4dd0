package org.fmnistbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.fmnistbench.baselines.Provenance;
import org.fmnistbench.engine.djl.DjlEngine;
import org.fmnistbench.model.Model;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.util.EnumIds;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ways the suite can build a variant: DL4J's layer API, an ND4J SameDiff graph, or, as the
 * Java peer DL4J is measured against, the Deep Java Library on PyTorch.
 */
public enum Engine {
  /** DL4J's MultiLayerNetwork: what most DL4J users write. */
  LAYER_API(Engine.LAYER_API_ID) {
    @Override
    public Model build(Variant variant, Recipe recipe, long seed, RuntimeConfig config) {
      return LayerApiEngine.model(variant, recipe, seed, config);
    }

    @Override
    public Model load(Variant variant, Path file, RuntimeConfig config) throws IOException {
      return LayerApiEngine.load(file, config);
    }
  },
  /** The same variant as a SameDiff graph, trained through TrainingConfig. */
  SAMEDIFF(Engine.SAMEDIFF_ID) {
    @Override
    public Model build(Variant variant, Recipe recipe, long seed, RuntimeConfig config) {
      return SameDiffEngine.build(variant, recipe, seed, config, true);
    }

    @Override
    public Model load(Variant variant, Path file, RuntimeConfig config) throws IOException {
      return SameDiffEngine.load(variant, file, config);
    }
  },
  /** The same variant in DJL on PyTorch, trained through DJL's Trainer: the peer, not DL4J. */
  DJL_PYTORCH(Engine.DJL_PYTORCH_ID) {
    @Override
    public Model build(Variant variant, Recipe recipe, long seed, RuntimeConfig config) {
      NativeRuntime.require(config); // its threads follow ND4J's, which the JVM's configuration set
      configureDjl();
      return DjlEngine.build(variant, recipe, seed);
    }

    @Override
    public Model load(Variant variant, Path file, RuntimeConfig config) throws IOException {
      throw new IOException(file + ": " + id() + " writes no checkpoints to load");
    }

    @Override
    public boolean savesTrainingState() {
      return false;
    }

    @Override
    public boolean dl4j() {
      return false;
    }

    @Override
    public Provenance provenance() {
      return NativeRuntime.provenance().withBackend(djlDescription().summary());
    }
  };

  /** Ids as compile-time constants, for annotations (JMH's {@code @Param}). */
  public static final String LAYER_API_ID = JmhJson.ENGINE_WHEN_UNNAMED;
  public static final String SAMEDIFF_ID = "samediff";
  public static final String DJL_PYTORCH_ID = DjlEngine.ID;

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

  /**
   * {@code variant}, initialised from {@code seed} (both engines draw the same initial weights),
   * in {@code config}: its per-network settings (layout, memory modes) are applied to this
   * network; its JVM-wide ones must be this JVM's ({@link NativeRuntime#require}).
   */
  public abstract Model build(Variant variant, Recipe recipe, long seed, RuntimeConfig config);

  /** A model written by {@link Model#save}, in {@code config} as for {@link #build}. */
  public abstract Model load(Variant variant, Path file, RuntimeConfig config) throws IOException;

  /**
   * Whether {@link Model#save} writes the optimiser's state with the weights, so that a run can
   * checkpoint and resume exactly. Asked before a checkpointed run starts, not after its first epoch.
   */
  public boolean savesTrainingState() {
    return true;
  }

  /** Where a run on this engine comes from: the code, and the backend that computes (ND4J's here). */
  public Provenance provenance() {
    return NativeRuntime.provenance();
  }

  /** Whether this engine is DL4J's: the default set of the benchmarks is DL4J's engines. */
  public boolean dl4j() {
    return true;
  }

  /** The engine named by {@value #PROPERTY}, default layer-api. */
  public static Engine configured() {
    return byId(System.getProperty(PROPERTY, LAYER_API.id));
  }

  /**
   * DL4J's engines' ids, comma-separated: the benchmarks' default set (the suite measures DL4J;
   * the peer runs when asked by name, e.g. {@code -Dbench.engines=layer-api,samediff,djl-pytorch}).
   */
  public static String dl4jIds() {
    return Arrays.stream(values()).filter(Engine::dl4j).map(Engine::id)
        .collect(Collectors.joining(","));
  }

  /**
   * The djl-pytorch engine as this suite runs it (loads PyTorch): on as many intra-op threads as
   * ND4J's OpenMP threads, with ND4J configured and loaded first, as everywhere in the suite.
   */
  public static DjlEngine.Description djlDescription() {
    configureDjl();
    return DjlEngine.describe();
  }

  private static void configureDjl() {
    NativeRuntime.active();
    DjlEngine.useThreads(Nd4j.getEnvironment().maxThreads());
  }

  /** Parses an engine id; the error lists the valid ones. */
  public static Engine byId(String id) {
    return EnumIds.byId(Engine.class, "engine", id, Engine::id);
  }
}
