package org.fmnistbench.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.model.Model;
import org.fmnistbench.model.Tensor;
import org.fmnistbench.model.TrainingLogits;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Builds a variant as a DL4J {@link MultiLayerNetwork} (the "layer API"), with Keras 2's
 * semantics:
 * <ul>
 *   <li>glorot_uniform kernels = {@link WeightInit#XAVIER_UNIFORM} (DL4J's XAVIER is Gaussian);
 *       zero biases;
 *   <li>valid 3x3 convolutions and floor-mode 2x2 pooling = {@link ConvolutionMode#Truncate};
 *   <li>Keras {@code Dropout(rate)} after layer k zeroes layer k's output; DL4J's
 *       {@code dropOut(p)} takes the RETAIN probability and drops a layer's INPUT, so it
 *       becomes {@code dropOut(1 - rate)} on layer k+1;
 *   <li>softmax + sparse categorical cross-entropy = softmax output with MCXENT on one-hot
 *       labels.
 * </ul>
 * Images are NCHW ({@code [N, 1, 28, 28]}), DL4J's default, unless the runtime configuration
 * says NHWC; in NCHW the Dense weights after Flatten are in (C, H, W) order rather than Keras's
 * (H, W, C), which changes no result. Workspace and cache modes come from the runtime
 * configuration too ({@link RuntimeConfig}).
 */
public final class LayerApiEngine {
  private LayerApiEngine() {}

  /** The network for {@code variant}, initialised from {@code seed}, in this JVM's configuration. */
  public static MultiLayerNetwork build(Variant variant, Recipe recipe, long seed) {
    return build(variant, recipe, seed, NativeRuntime.active());
  }

  /** {@link #build} as a {@link Model}. */
  static Model model(Variant variant, Recipe recipe, long seed, RuntimeConfig config) {
    return new LayerApiModel(build(variant, recipe, seed, config), config.format());
  }

  /** A model saved by {@link Model#save}, with its updater state, in {@code config}'s per-network settings. */
  static Model load(Path file, RuntimeConfig config) throws IOException {
    NativeRuntime.require(config);
    MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
    PoolingWithoutHelpers.apply(net, config);
    return new LayerApiModel(net, config.format());
  }

  /**
   * The network for {@code variant} in a given configuration's layout and memory modes (the
   * native build and helpers are per JVM and must already be in place).
   */
  public static MultiLayerNetwork build(Variant variant, Recipe recipe, long seed, RuntimeConfig config) {
    NativeRuntime.require(config);
    CNN2DFormat format = format(config);
    NeuralNetConfiguration.ListBuilder list = base(recipe, seed, config).list();
    Translation layers = new Translation(format, variant.toString());
    variant.layers().forEach(spec -> spec.match(layers));
    List<Layer> dl4jLayers = layers.finish();
    for (int i = 0; i < dl4jLayers.size(); i++) {
      list.layer(i, dl4jLayers.get(i));
    }
    list.setInputType(variant.convolutional()
        ? InputType.convolutional(FashionMnist.ROWS, FashionMnist.COLS, 1, format)
        : InputType.feedForward(FashionMnist.PIXELS));
    MultiLayerNetwork net = new MultiLayerNetwork(list.build());
    net.init();
    PoolingWithoutHelpers.apply(net, config);
    return net;
  }

  private static CNN2DFormat format(RuntimeConfig config) {
    return config.format() == RuntimeConfig.Format.NHWC ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
  }

  /** The settings every network of the suite shares: seed, FLOAT, Keras's init, Adam, memory modes. */
  private static NeuralNetConfiguration.Builder base(Recipe recipe, long seed, RuntimeConfig config) {
    WorkspaceMode workspaces = config.workspaces() ? WorkspaceMode.ENABLED : WorkspaceMode.NONE;
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .trainingWorkspaceMode(workspaces)
        .inferenceWorkspaceMode(workspaces)
        .cacheMode(CacheMode.valueOf(config.cache()))
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER_UNIFORM)
        .biasInit(0.0)
        .updater(new Adam(recipe.learningRate(), recipe.beta1(), recipe.beta2(), recipe.epsilon()))
        .convolutionMode(ConvolutionMode.Truncate);
  }

  /**
   * A network of one registry layer (not Dropout or Flatten) taking per-example input
   * {@code input} ({@code [c, h, w]} or {@code [n]}), configured as in a full variant: for the
   * per-layer benchmarks.
   */
  public static MultiLayerNetwork singleLayer(LayerSpec spec, long[] input, RuntimeConfig config) {
    NativeRuntime.require(config);
    CNN2DFormat format = format(config);
    NeuralNetConfiguration.ListBuilder list = base(Recipe.article(Variant.CNN), 1, config).list();
    list.layer(0, toLayer(spec, format));
    list.setInputType(input.length == 3 ? InputType.convolutional(input[1], input[2], input[0], format)
        : InputType.feedForward(input[0]));
    MultiLayerNetwork net = new MultiLayerNetwork(list.build());
    net.init();
    PoolingWithoutHelpers.apply(net, config);
    return net;
  }

  /** The DL4J layer configuration of one registry layer (not Dropout or Flatten). */
  public static Layer toLayer(LayerSpec spec, CNN2DFormat format) {
    Translation one = new Translation(format, spec.toString());
    spec.match(one);
    List<Layer> layers = one.finish();
    if (layers.size() != 1) {
      throw new IllegalArgumentException(spec + " is no DL4J layer of its own (Dropout rides on the next layer, "
          + "DL4J inserts Flatten's preprocessor)");
    }
    return layers.get(0);
  }

  /**
   * The registry's layers in DL4J's terms, fed one at a time: Keras's Dropout becomes the next
   * layer's input dropout (DL4J's {@code dropOut} sits on the layer it feeds), Flatten nothing (DL4J
   * inserts the CNN-to-dense preprocessor from the input types), every other layer one DL4J layer.
   */
  private static final class Translation implements LayerSpec.Cases<Void> {
    private final CNN2DFormat format;
    private final String what;
    private final List<Layer> layers = new ArrayList<>();
    private Double pendingRetain;

    Translation(CNN2DFormat format, String what) {
      this.format = format;
      this.what = what;
    }

    List<Layer> finish() {
      if (pendingRetain != null) {
        throw new IllegalStateException(what + ": Dropout after the last layer");
      }
      return layers;
    }

    private Void add(LayerSpec spec, Layer layer) {
      if (pendingRetain != null) {
        if (!(layer instanceof BaseLayer base)) {
          throw new IllegalStateException(what + ": Dropout before " + spec
              + ", which has no weights to carry DL4J's input dropout");
        }
        base.setIDropout(new Dropout(pendingRetain));
        pendingRetain = null;
      }
      layers.add(layer);
      return null;
    }

    @Override
    public Void dropout(LayerSpec.Dropout d) {
      if (pendingRetain != null) {
        throw new IllegalStateException(what + ": two Dropout layers in a row");
      }
      pendingRetain = d.retain();
      return null;
    }

    @Override
    public Void flatten(LayerSpec.Flatten f) {
      return null;
    }

    @Override
    public Void zeroPadding(LayerSpec.ZeroPadding p) {
      return add(p, new ZeroPaddingLayer.Builder(p.pad(), p.pad()).dataFormat(format).build());
    }

    @Override
    public Void conv(LayerSpec.Conv c) {
      return add(c, new ConvolutionLayer.Builder(LayerSpec.Conv.KERNEL, LayerSpec.Conv.KERNEL)
          .dataFormat(format).stride(1, 1).nOut(c.filters()).activation(Activation.RELU).build());
    }

    @Override
    public Void pool(LayerSpec.Pool p) {
      SubsamplingLayer.PoolingType type = p.type() == LayerSpec.PoolType.MAX
          ? SubsamplingLayer.PoolingType.MAX : SubsamplingLayer.PoolingType.AVG;
      return add(p, new SubsamplingLayer.Builder(type).dataFormat(format)
          .kernelSize(LayerSpec.Pool.SIZE, LayerSpec.Pool.SIZE)
          .stride(LayerSpec.Pool.SIZE, LayerSpec.Pool.SIZE).build());
    }

    @Override
    public Void dense(LayerSpec.Dense d) {
      return add(d, new DenseLayer.Builder().nOut(d.units()).activation(Activation.RELU).build());
    }

    @Override
    public Void softmax(LayerSpec.Softmax s) {
      return add(s, new OutputLayer.Builder(LossFunction.MCXENT).nOut(s.classes())
          .activation(Activation.SOFTMAX).build());
    }
  }

  /** A MultiLayerNetwork behind the {@link Model} interface. */
  public static final class LayerApiModel implements Model {
    private final MultiLayerNetwork net;
    private final RuntimeConfig.Format format;
    private final LogitsListener logits = new LogitsListener();

    LayerApiModel(MultiLayerNetwork net, RuntimeConfig.Format format) {
      this.net = net;
      this.format = format;
      net.addListeners(logits);
    }

    /** The network this model trains (benchmarks instrument its layers). */
    public MultiLayerNetwork network() {
      return net;
    }

    @Override
    public Step fit(Tensor features, Tensor labels) {
      logits.last = null;
      net.fit(new DataSet(layout(Nd4jTensor.nd4j(features), format), Nd4jTensor.nd4j(labels)));
      if (logits.last == null) {
        throw new IllegalStateException(
            "DL4J did not call onBackwardPass during fit: cannot read the step's training logits");
      }
      return new Step(net.score(), logits.last.correct());
    }

    @Override
    public Tensor output(Tensor features) {
      return new Nd4jTensor(net.output(layout(Nd4jTensor.nd4j(features), format), false));
    }

    /** Draws dropout masks from ND4J's generator. */
    @Override
    public void reseed(long seed) {
      Nd4j.getRandom().setSeed(seed);
    }

    /** Loss and correct count computed from the last step's logits (for the listener's test). */
    Step lastLogitsStep() {
      return logits.last;
    }

    @Override
    public long numParams() {
      return net.numParams();
    }

    @Override
    public Map<String, Tensor> weights() {
      return Nd4jTensor.wrap(net.paramTable());
    }

    @Override
    public void save(Path file) throws IOException {
      ModelSerializer.writeModel(net, file.toFile(), true);
    }
  }

  /**
   * Reads the logits of the step's own training forward pass, for the step's accuracy. DL4J
   * (M2.1) calls onBackwardPass after backprop and the score, still inside the activations
   * workspace and before the updater touches the weights; the output layer's input then holds
   * the activations after that layer's own (input) dropout, so input x W + b are the logits
   * the step's loss was computed from. EngineEqualityTest checks their loss against DL4J's
   * score, so a DL4J that changes this order fails there instead of reporting wrong figures.
   */
  static final class LogitsListener extends BaseTrainingListener {
    Model.Step last;

    @Override
    public void onBackwardPass(org.deeplearning4j.nn.api.Model model) {
      MultiLayerNetwork net = (MultiLayerNetwork) model;
      org.deeplearning4j.nn.api.Layer out = net.getOutputLayer();
      INDArray logits = out.input().mmul(out.getParam("W")).addiRowVector(out.getParam("b"));
      INDArray labels = ((IOutputLayer) out).getLabels();
      last = TrainingLogits.score(logits.toDoubleMatrix(), labels.toDoubleMatrix());
    }
  }

  /**
   * The suite's batch in a model's layout: NCHW as it comes, or NHWC. With one channel the two
   * hold the same numbers in the same order, so NHWC is a reshape, not a copy.
   */
  static INDArray layout(INDArray features, RuntimeConfig.Format format) {
    if (format == RuntimeConfig.Format.NCHW || features.rank() != 4) {
      return features;
    }
    long[] s = features.shape();
    return features.reshape('c', s[0], s[2], s[3], s[1]);
  }
}
