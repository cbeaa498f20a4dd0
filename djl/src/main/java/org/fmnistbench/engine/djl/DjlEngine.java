package org.fmnistbench.engine.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.fmnistbench.model.LayerApiParams;
import org.fmnistbench.model.Model;
import org.fmnistbench.model.Tensor;
import org.fmnistbench.model.TrainingLogits;
import org.fmnistbench.variants.LayerShapes;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;

/**
 * Builds a variant with the Deep Java Library on PyTorch, from the same registry entry and with
 * the same Keras semantics as the DL4J engines: valid 3x3 convolutions + ReLU, floor-mode 2x2
 * pooling, zero padding as its own op, Flatten, Dense + ReLU, softmax cross-entropy on the logits,
 * inverted dropout where Keras puts it. Trained through DJL's own API: a {@link Trainer} with
 * {@link DefaultTrainingConfig}, DJL's {@link Adam} (the recipe's rate, betas and epsilon) and
 * {@link GradientCollector}.
 *
 * <p>Initialisation is Keras's, drawn by PyTorch from the seed: glorot-uniform kernels
 * ({@code XavierInitializer(UNIFORM, AVG, 3)}: limit sqrt(6 / (fan_in + fan_out))) and zero
 * biases. So its initial weights are not the DL4J engines' (ND4J draws those); the equality test
 * loads DL4J's weights into it ({@link DjlModel#setWeights}) to compare the functions.
 *
 * <p>The process is set up once, before PyTorch loads: offline (DJL takes PyTorch from the
 * pytorch-native jar on the classpath and must never download it) and one inter-op thread (ND4J
 * runs one op at a time), unless the JVM was started with DJL's own properties for them. The
 * intra-op threads are PyTorch's default unless {@link #useThreads} named them first: the suite's
 * Engine enum names ND4J's OpenMP threads, so the two engines compute on as many threads.
 *
 * <p>Nothing here uses ND4J: the engine meets core's {@link Model} contract in {@link Tensor}s, so
 * it and the benchmarks over it load without DL4J.
 */
public final class DjlEngine {
  /** The engine's id on command lines and in baselines. */
  public static final String ID = "djl-pytorch";
  /** DJL's switch for its downloads, set to true unless given. */
  static final String OFFLINE_PROPERTY = "ai.djl.offline";
  /** PyTorch's intra-op threads as DJL reads them when PyTorch loads. */
  public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
  public static final String INTEROP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";
  /** The device the engine trains on: cpu (default) or gpu. */
  public static final String DEVICE_PROPERTY = "suite.djl.device";
  private static final String PYTORCH = "PyTorch";

  /**
   * Environment variable capping the instruction set of ATen's own vector kernels (PyTorch's
   * oneDNN reads ONEDNN_MAX_CPU_ISA, as ND4J's does): the gate sets avx2, as its bands were recorded.
   */
  public static final String CAPABILITY_VARIABLE = "ATEN_CPU_CAPABILITY";

  private DjlEngine() {}

  /**
   * PyTorch's intra-op threads, unless the JVM was started with {@value #THREADS_PROPERTY}: call
   * before PyTorch loads (the first model or description), after which it cannot change.
   */
  public static synchronized void useThreads(int intraOpThreads) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("PyTorch's intra-op threads must be at least 1, got " + intraOpThreads);
    }
    if (System.getProperty(THREADS_PROPERTY) == null) {
      System.setProperty(THREADS_PROPERTY, Integer.toString(intraOpThreads));
    }
  }

  /** PyTorch's engine, loaded on first use with this suite's settings. */
  static synchronized ai.djl.engine.Engine pytorch() {
    if (System.getProperty(OFFLINE_PROPERTY) == null) {
      System.setProperty(OFFLINE_PROPERTY, "true");
    }
    if (System.getProperty(INTEROP_THREADS_PROPERTY) == null) {
      System.setProperty(INTEROP_THREADS_PROPERTY, "1");
    }
    return ai.djl.engine.Engine.getEngine(PYTORCH);
  }

  /**
   * What ran: DJL's and PyTorch's versions, PyTorch's build flavour and threads, and the features
   * its build reports (MKL, MKLDNN, OPENMP...). Loads PyTorch.
   */
  public static Description describe() {
    ai.djl.engine.Engine engine = pytorch();
    return new Description(ai.djl.engine.Engine.getDjlVersion(), engine.getVersion(),
        ai.djl.util.Platform.detectPlatform("pytorch").getFlavor(), JniUtils.getNumThreads(),
        JniUtils.getNumInteropThreads(), List.copyOf(new TreeSet<>(JniUtils.getFeatures())), capability());
  }

  /**
   * The DJL engine as the metadata and the baselines record it.
   *
   * @param build the features PyTorch's build reports
   * @param cpuCapability ATen's vector kernels' cap ({@value #CAPABILITY_VARIABLE}), or
   *     "default" (the widest this CPU has)
   */
  public record Description(String djlVersion, String pytorchVersion, String flavor, int intraOpThreads,
      int interOpThreads, List<String> build, String cpuCapability) {
    /** One line for a baseline row's backend column. */
    public String summary() {
      return "PyTorch[" + pytorchVersion + " " + flavor + ",djl=" + djlVersion + ",threads=" + intraOpThreads + ",interop="
          + interOpThreads + ",capability=" + cpuCapability + "," + String.join("+", build).toLowerCase(Locale.ROOT)
          + "]";
    }
  }

  private static String capability() {
    String v = System.getenv(CAPABILITY_VARIABLE);
    return v == null || v.isBlank() ? "default" : v.trim().toLowerCase(Locale.ROOT);
  }

  /** {@code variant} as it trains: Keras's initialisation drawn from {@code seed}, with dropout. */
  public static DjlModel build(Variant variant, Recipe recipe, long seed) {
    return build(variant, recipe, seed, true);
  }

  /**
   * {@code variant} with Keras's initialisation drawn from {@code seed}.
   *
   * @param dropout false leaves the dropout blocks out (for the equality test, which needs a
   *     deterministic loss)
   */
  public static synchronized DjlModel build(Variant variant, Recipe recipe, long seed, boolean dropout) {
    ai.djl.engine.Engine engine = pytorch();
    Device device = device(engine);
    SequentialBlock block = new SequentialBlock();
    Layers layers = new Layers(block, dropout);
    for (LayerShapes.Step step : LayerShapes.of(variant)) {
      step.spec().match(layers);
    }
    ai.djl.Model model = ai.djl.Model.newInstance(variant.id(), device, PYTORCH);
    model.setBlock(block);
    // Keras's defaults: SoftmaxCrossEntropyLoss on logits with one-hot labels (sparseLabel false),
    // the mean over the batch as the loss.
    DefaultTrainingConfig config = new DefaultTrainingConfig(new SoftmaxCrossEntropyLoss("loss", 1, -1, false, true))
        .optDevices(new Device[] {device})
        .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
            XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT)
        .optInitializer(Initializer.ZEROS, Parameter.Type.BIAS)
        .optOptimizer(Adam.builder()
            .optLearningRateTracker(Tracker.fixed((float) recipe.learningRate()))
            .optBeta1((float) recipe.beta1())
            .optBeta2((float) recipe.beta2())
            .optEpsilon((float) recipe.epsilon())
            .build());
    Trainer trainer = model.newTrainer(config);
    JniUtils.setSeed(seed);
    trainer.initialize(inputShape(variant, recipe.batchSize()));
    // the layer API's names and shapes of the weight arrays, in the order DJL's block holds them
    return new DjlModel(variant, model, trainer, LayerApiParams.of(variant, false));
  }

  /**
   * The device named by {@value #DEVICE_PROPERTY} (cpu, the default, or gpu: the bench driver's
   * CUDA backend sets it); on gpu PyTorch must see one, so a missing GPU fails instead of
   * passing CPU figures off as GPU ones.
   */
  private static Device device(ai.djl.engine.Engine engine) {
    String asked = System.getProperty(DEVICE_PROPERTY, "cpu");
    switch (asked) {
      case "cpu":
        return Device.cpu();
      case "gpu":
        if (engine.getGpuCount() == 0) {
          throw new IllegalStateException("engine " + ID + ": " + DEVICE_PROPERTY + "=gpu but PyTorch "
              + engine.getVersion() + " (" + ai.djl.util.Platform.detectPlatform("pytorch").getFlavor()
              + " build) sees no GPU; the cuda profile adds its CUDA 12.4 build, which needs an NVIDIA driver for CUDA 12.4");
        }
        return Device.gpu();
      default:
        throw new IllegalArgumentException(DEVICE_PROPERTY + " must be cpu or gpu, got '" + asked + "'");
    }
  }

  private static Shape inputShape(Variant variant, int batch) {
    long[] example = LayerShapes.of(variant).get(0).input();
    long[] shape = new long[example.length + 1];
    shape[0] = batch;
    System.arraycopy(example, 0, shape, 1, example.length);
    return new Shape(shape);
  }

  /** The blocks of each layer type, appended in registry order. */
  private static final class Layers implements LayerSpec.Cases<Void> {
    private final SequentialBlock block;
    private final boolean dropout;

    Layers(SequentialBlock block, boolean dropout) {
      this.block = block;
      this.dropout = dropout;
    }

    @Override
    public Void zeroPadding(LayerSpec.ZeroPadding p) {
      int pad = p.pad();
      // pad() takes (before, after) pairs from the last axis back: W, then H
      block.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().pad(new Shape(pad, pad, pad, pad), 0)),
          "zeroPadding"));
      return null;
    }

    @Override
    public Void conv(LayerSpec.Conv c) {
      int k = LayerSpec.Conv.KERNEL;
      block.add(Conv2d.builder().setKernelShape(new Shape(k, k)).setFilters(c.filters()).build());
      block.add(Activation.reluBlock());
      return null;
    }

    @Override
    public Void pool(LayerSpec.Pool p) {
      Shape window = new Shape(LayerSpec.Pool.SIZE, LayerSpec.Pool.SIZE);
      block.add(p.type() == LayerSpec.PoolType.MAX ? Pool.maxPool2dBlock(window, window)
          : Pool.avgPool2dBlock(window, window));
      return null;
    }

    @Override
    public Void dropout(LayerSpec.Dropout d) {
      if (dropout) {
        block.add(Dropout.builder().optRate((float) d.rate()).build()); // PyTorch's: inverted, in training only
      }
      return null;
    }

    @Override
    public Void flatten(LayerSpec.Flatten f) {
      block.add(Blocks.batchFlattenBlock()); // (C, H, W) order, as the layer API's
      return null;
    }

    @Override
    public Void dense(LayerSpec.Dense d) {
      block.add(Linear.builder().setUnits(d.units()).build());
      block.add(Activation.reluBlock());
      return null;
    }

    @Override
    public Void softmax(LayerSpec.Softmax s) {
      block.add(Linear.builder().setUnits(s.classes()).build()); // logits; the loss applies log-softmax
      return null;
    }
  }


  /**
   * A DJL model and its trainer behind the {@link Model} interface. Batches arrive as
   * {@link Tensor}s and are copied into PyTorch tensors inside each step (32 x 784 floats, a small
   * part of a step).
   */
  public static final class DjlModel implements Model {
    private final Variant variant;
    private final ai.djl.Model model;
    private final Trainer trainer;
    private final List<LayerApiParams.Param> layerApiParams;

    DjlModel(Variant variant, ai.djl.Model model, Trainer trainer, List<LayerApiParams.Param> layerApiParams) {
      this.variant = variant;
      this.model = model;
      this.trainer = trainer;
      this.layerApiParams = List.copyOf(layerApiParams);
      int djlCount = model.getBlock().getParameters().size();
      if (djlCount != layerApiParams.size()) {
        throw new IllegalStateException(variant + ": DJL's block has " + djlCount + " parameter arrays, the layer API "
            + layerApiParams.size());
      }
    }

    @Override
    public Step fit(Tensor features, Tensor labels) {
      try (NDManager step = trainer.getManager().newSubManager()) {
        NDArray logits;
        float[] hostLabels = labels.toFloats();
        try (GradientCollector collector = trainer.newGradientCollector()) {
          logits = trainer.forward(new NDList(toDjl(step, features))).singletonOrThrow();
          NDArray loss = trainer.getLoss().evaluate(new NDList(step.create(hostLabels, new Shape(labels.shape()))),
              new NDList(logits));
          collector.backward(loss);
        }
        trainer.step();
        return TrainingLogits.score(matrix(logits.toFloatArray(), logits.getShape().getShape()),
            matrix(hostLabels, labels.shape()));
      }
    }

    @Override
    public Tensor output(Tensor features) {
      try (NDManager step = trainer.getManager().newSubManager()) {
        return host(trainer.evaluate(new NDList(toDjl(step, features))).singletonOrThrow().softmax(1));
      }
    }

    /** Draws dropout masks from PyTorch's generator, so it is the one reseeded. */
    @Override
    public void reseed(long seed) {
      JniUtils.setSeed(seed);
    }

    @Override
    public long numParams() {
      return model.getBlock().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    @Override
    public Map<String, Tensor> weights() {
      Map<String, Tensor> out = new LinkedHashMap<>();
      List<Parameter> params = model.getBlock().getParameters().values();
      for (int i = 0; i < params.size(); i++) {
        out.put(layerApiParams.get(i).name(), toLayerApi(i, params.get(i).getArray()));
      }
      return out;
    }

    /**
     * Replaces every weight by the layer-API array of the same name (the equality test's start:
     * DL4J's initial weights).
     */
    public void setWeights(Map<String, ? extends Tensor> layerApi) {
      List<Parameter> params = model.getBlock().getParameters().values();
      for (int i = 0; i < params.size(); i++) {
        LayerApiParams.Param p = layerApiParams.get(i);
        Tensor value = layerApi.get(p.name());
        if (value == null) {
          throw new IllegalArgumentException(variant + ": no layer-API array named " + p.name());
        }
        NDArray target = params.get(i).getArray();
        if (value.length() != target.size()) {
          throw new IllegalArgumentException(variant + ": layer-API array " + p.name() + " has " + value.length()
              + " values, DJL's " + target.size());
        }
        float[] v = value.toFloats();
        // Linear's kernel is [units, in] in DJL, [in, units] in the layer API
        target.set(FloatBuffer.wrap(target.getShape().dimension() == 2
            ? transpose(v, Math.toIntExact(target.getShape().get(1)), Math.toIntExact(target.getShape().get(0))) : v));
      }
    }

    /**
     * Loss and gradients (layer-API names and layouts) of one batch through the training path,
     * without updating anything.
     */
    public Gradients gradients(Tensor features, Tensor labels) {
      try (NDManager step = trainer.getManager().newSubManager()) {
        double loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray logits = trainer.forward(new NDList(toDjl(step, features))).singletonOrThrow();
          NDArray l = trainer.getLoss().evaluate(new NDList(toDjl(step, labels)), new NDList(logits));
          collector.backward(l);
          loss = l.getFloat();
          Map<String, Tensor> out = new LinkedHashMap<>();
          List<Parameter> params = model.getBlock().getParameters().values();
          for (int i = 0; i < params.size(); i++) {
            NDArray gradient = params.get(i).getArray().getGradient();
            out.put(layerApiParams.get(i).name(), toLayerApi(i, gradient));
            // Nothing left for a later step to apply. Only this model's: the collector's zeroGradients()
            // walks every live PyTorch array, and fails when the finalizer frees a dropped model's meanwhile.
            gradient.subi(gradient);
          }
          return new Gradients(loss, out);
        }
      }
    }

    /** A batch's loss and gradients. */
    public record Gradients(double loss, Map<String, Tensor> byName) {}

    /**
     * Not supported: DJL's Adam keeps its moment estimates private, so a checkpoint could not
     * resume training exactly. The suite's Engine enum says so before a run starts.
     */
    @Override
    public void save(Path file) {
      throw new UnsupportedOperationException(ID + " cannot write a checkpoint: "
          + "DJL's Adam keeps its moment estimates private, so training could not resume exactly from a file");
    }

    /** A DJL array as the layer API lays it out: Linear's [units, in] transposed, biases as [1, n]. */
    private Tensor toLayerApi(int index, NDArray a) {
      LayerApiParams.Param p = layerApiParams.get(index);
      float[] v = floats(a);
      long[] s = a.getShape().getShape();
      return Tensor.of(s.length == 2 ? transpose(v, Math.toIntExact(s[0]), Math.toIntExact(s[1])) : v, p.layerApiShape());
    }

    private static NDArray toDjl(NDManager manager, Tensor t) {
      return manager.create(t.toFloats(), new Shape(t.shape()));
    }

    private static Tensor host(NDArray a) {
      return Tensor.of(floats(a), a.getShape().getShape());
    }

    private static float[] floats(NDArray a) {
      return (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false)).toFloatArray();
    }

    /** {@code v}, a C-order [rows, cols] matrix, as its C-order transpose [cols, rows]. */
    static float[] transpose(float[] v, int rows, int cols) {
      float[] t = new float[v.length];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          t[c * rows + r] = v[r * cols + c];
        }
      }
      return t;
    }

    private static double[][] matrix(float[] v, long[] shape) {
      int rows = Math.toIntExact(shape[0]);
      int cols = Math.toIntExact(shape[1]);
      double[][] m = new double[rows][cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          m[r][c] = v[r * cols + c];
        }
      }
      return m;
    }
  }
}
