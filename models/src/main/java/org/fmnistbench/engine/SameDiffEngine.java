package org.fmnistbench.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.model.LayerApiParams;
import org.fmnistbench.model.Model;
import org.fmnistbench.model.Tensor;
import org.fmnistbench.model.TrainingLogits;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.LayerShapes;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Builds a variant as an ND4J SameDiff graph from the same registry entry, with the same Keras
 * semantics as {@link LayerApiEngine}: valid 3x3 convolutions + ReLU, floor-mode 2x2 pooling,
 * constant zero padding, Flatten, Dense + ReLU, softmax with mean cross-entropy, Adam through
 * {@link TrainingConfig}, inverted dropout at the place Keras puts it.
 *
 * <p>Initial weights are the layer API's for the same seed (the graph is filled from a
 * {@link MultiLayerNetwork} built with it), so the two engines start from identical weights and
 * the equality test can compare their losses and gradients directly.
 *
 * <p>The graph has two heads sharing the weights: {@value #LOSS} is computed through the dropout
 * masks (training), {@value #PROBS} bypasses them (inference), since SameDiff has no
 * train/inference switch for a dropout op. Dropout is written out as a mask from a uniform draw
 * because M2.1's dropout ops have no gradient.
 */
public final class SameDiffEngine {
  static final String INPUT = "input";
  static final String LABEL = "label";
  static final String LOSS = "loss";
  static final String PROBS = "probs";
  static final String TRAIN_LOGITS = "train_logits";

  private SameDiffEngine() {}

  /**
   * The graph for {@code variant} with the layer API's initial weights for {@code seed}.
   *
   * @param dropout false leaves the dropout masks out of the training head (for the equality
   *     test, which needs a deterministic loss)
   */
  public static SameDiffModel build(Variant variant, Recipe recipe, long seed, RuntimeConfig config, boolean dropout) {
    NativeRuntime.require(config);
    boolean nhwc = config.format() == RuntimeConfig.Format.NHWC;
    // The initial weights are drawn in NCHW layout; the graph converts them to its own.
    MultiLayerNetwork init = LayerApiEngine.build(variant, recipe, seed,
        config.with(RuntimeConfig.FORMAT, RuntimeConfig.Format.NCHW));
    List<LayerApiParams.Param> params = LayerApiParams.of(variant, nhwc);
    SameDiff sd = graph(variant, nhwc, dropout, recipe.batchSize(), params, init);
    sd.setTrainingConfig(new TrainingConfig.Builder()
        .updater(new Adam(recipe.learningRate(), recipe.beta1(), recipe.beta2(), recipe.epsilon()))
        .dataSetFeatureMapping(INPUT)
        .dataSetLabelMapping(LABEL)
        .minimize(LOSS)
        .build());
    createGradientsQuietly(sd);
    return new SameDiffModel(sd, config, params);
  }

  /**
   * Builds the backward graph now rather than on the first step, without the line per op that
   * M2.1 prints to standard output while doing it.
   */
  public static void createGradientsQuietly(SameDiff sd) {
    PrintStream out = System.out;
    synchronized (System.class) {
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      try {
        sd.createGradFunction();
      } finally {
        System.setOut(out);
      }
    }
  }

  /** A model saved by {@link Model#save}: the graph, its weights and Adam's state from the file. */
  static SameDiffModel load(Variant variant, Path file, RuntimeConfig config) throws IOException {
    NativeRuntime.require(config);
    SameDiff sd = SameDiff.load(file.toFile(), true);
    createGradientsQuietly(sd);
    return new SameDiffModel(sd, config, LayerApiParams.of(variant, config.format() == RuntimeConfig.Format.NHWC));
  }

  /** {@code p}'s layer-API array in SameDiff's layout. */
  static INDArray toSameDiff(LayerApiParams.Param p, INDArray layerApi) {
    INDArray v = layerApi.dup('c').reshape('c', p.viewShape());
    return (p.permutation() == null ? v : v.permute(p.permutation())).dup('c').reshape('c', p.sameDiffShape());
  }

  /** {@code p}'s SameDiff array in the layer API's layout. */
  static INDArray toLayerApi(LayerApiParams.Param p, INDArray sameDiff) {
    if (p.permutation() == null) {
      return sameDiff.dup('c').reshape('c', p.layerApiShape());
    }
    return sameDiff.dup('c').reshape('c', p.permutedShape()).permute(p.inversePermutation()).dup('c')
        .reshape('c', p.layerApiShape());
  }

  /**
   * The graph of {@code variant}, its weights from {@code init} (the layer API's network of the
   * same seed), with two heads: {@value #LOSS} through the dropout masks, {@value #PROBS}
   * without them.
   *
   * @param dropout false leaves the dropout masks out of the training head
   */
  private static SameDiff graph(Variant variant, boolean nhwc, boolean dropout, long maxBatch, List<LayerApiParams.Param> params,
      MultiLayerNetwork init) {
    SameDiff sd = SameDiff.create();
    Map<String, SDVariable> vars = new LinkedHashMap<>();
    for (LayerApiParams.Param p : params) {
      vars.put(p.name(), sd.var(p.name(), toSameDiff(p, init.getParam(p.name())).castTo(DataType.FLOAT)));
    }
    long[] shape = !variant.convolutional() ? new long[] {-1, FashionMnist.PIXELS}
        : nhwc ? new long[] {-1, FashionMnist.ROWS, FashionMnist.COLS, 1}
        : new long[] {-1, 1, FashionMnist.ROWS, FashionMnist.COLS};
    SDVariable input = sd.placeHolder(INPUT, DataType.FLOAT, shape);
    SDVariable label = sd.placeHolder(LABEL, DataType.FLOAT, -1, FashionMnist.CLASSES);
    Ops ops = new Ops(sd, vars, label, input, nhwc, dropout, maxBatch);
    for (LayerShapes.Step step : LayerShapes.of(variant)) {
      ops.in = step.input();
      step.spec().match(ops);
    }
    return sd;
  }

  /**
   * The ops of each layer type, appended to both heads: the training head ({@code train}, through
   * the dropout masks when asked) and the inference head ({@code eval}); Softmax closes both.
   */
  private static final class Ops implements LayerSpec.Cases<Void> {
    private final SameDiff sd;
    private final Map<String, SDVariable> vars;
    private final SDVariable label;
    private final boolean nhwc;
    private final boolean dropout;
    private final long maxBatch;
    private SDVariable train;
    private SDVariable eval;
    private long[] in; // the current layer's per-example input
    private int layer; // the layer API's layer index, which names the weights

    Ops(SameDiff sd, Map<String, SDVariable> vars, SDVariable label, SDVariable input, boolean nhwc, boolean dropout,
        long maxBatch) {
      this.sd = sd;
      this.vars = vars;
      this.label = label;
      this.nhwc = nhwc;
      this.dropout = dropout;
      this.maxBatch = maxBatch;
      this.train = input;
      this.eval = input;
    }

    private SDVariable weights() {
      return vars.get(layer + "_W");
    }

    private SDVariable bias() {
      return vars.get(layer + "_b");
    }

    @Override
    public Void dropout(LayerSpec.Dropout d) {
      if (dropout) {
        long[] example = in.length != 3 ? in : nhwc ? new long[] {in[1], in[2], in[0]} : in;
        train = SameDiffEngine.dropout(sd, train, d.retain(), maxBatch, example);
      }
      return null;
    }

    @Override
    public Void flatten(LayerSpec.Flatten f) {
      long flat = LayerShapes.output(f, in)[0];
      train = sd.reshape(train, -1, flat);
      eval = sd.reshape(eval, -1, flat);
      return null;
    }

    @Override
    public Void zeroPadding(LayerSpec.ZeroPadding p) {
      train = zeroPad(sd, train, p.pad(), nhwc);
      eval = zeroPad(sd, eval, p.pad(), nhwc);
      layer++;
      return null;
    }

    @Override
    public Void conv(LayerSpec.Conv c) {
      train = convRelu(sd, train, weights(), bias(), nhwc);
      eval = convRelu(sd, eval, weights(), bias(), nhwc);
      layer++;
      return null;
    }

    @Override
    public Void pool(LayerSpec.Pool p) {
      train = SameDiffEngine.pool(sd, train, p.type(), nhwc);
      eval = SameDiffEngine.pool(sd, eval, p.type(), nhwc);
      layer++;
      return null;
    }

    @Override
    public Void dense(LayerSpec.Dense d) {
      train = sd.nn.relu(train.mmul(weights()).add(bias()), 0);
      eval = sd.nn.relu(eval.mmul(weights()).add(bias()), 0);
      layer++;
      return null;
    }

    @Override
    public Void softmax(LayerSpec.Softmax s) {
      SDVariable trainLogits = train.mmul(weights()).add(TRAIN_LOGITS, bias());
      sd.loss.softmaxCrossEntropy(LOSS, label, trainLogits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
      sd.nn.softmax(PROBS, eval.mmul(weights()).add(bias()), 1);
      layer++;
      return null;
    }
  }

  /** Constant zero padding of {@code pad} on every side of the image. */
  public static SDVariable zeroPad(SameDiff sd, SDVariable x, int pad, boolean nhwc) {
    int[][] pads = nhwc ? new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, 0}}
        : new int[][] {{0, 0}, {0, 0}, {pad, pad}, {pad, pad}};
    return sd.nn.pad(x, sd.constant(Nd4j.createFromArray(pads)), PadMode.CONSTANT, 0.0);
  }

  /** Keras's Conv2D(3x3, valid, stride 1) + ReLU; weights {@code [kH, kW, in, out]}, bias {@code [out]}. */
  public static SDVariable convRelu(SameDiff sd, SDVariable x, SDVariable weights, SDVariable bias, boolean nhwc) {
    int k = LayerSpec.Conv.KERNEL;
    Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1)
        .paddingMode(PaddingMode.VALID).dataFormat(nhwc ? "NHWC" : "NCHW").build();
    return sd.nn.relu(sd.cnn.conv2d(x, weights, bias, cfg), 0);
  }

  /** Keras's 2x2, stride-2, floor-mode max or average pooling. */
  public static SDVariable pool(SameDiff sd, SDVariable x, LayerSpec.PoolType type, boolean nhwc) {
    int s = LayerSpec.Pool.SIZE;
    Pooling2DConfig cfg = Pooling2DConfig.builder().kH(s).kW(s).sH(s).sW(s)
        .paddingMode(PaddingMode.VALID).isNHWC(nhwc)
        .type(type == LayerSpec.PoolType.MAX ? Pooling2D.Pooling2DType.MAX : Pooling2D.Pooling2DType.AVG)
        .build();
    return type == LayerSpec.PoolType.MAX ? sd.cnn.maxPooling2d(x, cfg) : sd.cnn.avgPooling2d(x, cfg);
  }

  /**
   * Keras's inverted dropout: keep with probability {@code retain}, scale kept values by
   * 1/retain. The uniform draw has a fixed shape, {@code maxBatch} examples of
   * {@code exampleShape}, cut to the batch at hand: M2.1's random ops that take a runtime shape
   * (DistributionUniform, RandomBernoulli) return the same numbers on every call, which would
   * freeze the masks, while this one draws anew from ND4J's generator each step.
   */
  public static SDVariable dropout(SameDiff sd, SDVariable x, double retain, long maxBatch, long... exampleShape) {
    long[] full = new long[exampleShape.length + 1];
    full[0] = maxBatch;
    System.arraycopy(exampleShape, 0, full, 1, exampleShape.length);
    SDVariable shape = sd.shape(x);
    SDVariable uniform = sd.slice(sd.random.uniform(0.0, 1.0, DataType.FLOAT, full), sd.zerosLike(shape), shape);
    SDVariable mask = uniform.lt(retain).castTo(DataType.FLOAT);
    return x.mul(mask).div(retain);
  }

  /** A SameDiff graph behind the {@link Model} interface. */
  public static final class SameDiffModel implements Model {
    private final SameDiff sd;
    private final RuntimeConfig.Format format;
    private final List<LayerApiParams.Param> params;
    private final LastLoss lastLoss = new LastLoss();
    private final HeldOpenFit training;

    SameDiffModel(SameDiff sd, RuntimeConfig config, List<LayerApiParams.Param> params) {
      this.sd = sd;
      this.format = config.format();
      this.params = List.copyOf(params);
      PoolingWithoutHelpers.apply(sd, config);
      this.training = new HeldOpenFit(sd, lastLoss);
    }

    @Override
    public Step fit(Tensor features, Tensor labels) {
      lastLoss.value = null;
      training.step(new org.nd4j.linalg.dataset.MultiDataSet(LayerApiEngine.layout(Nd4jTensor.nd4j(features), format),
          Nd4jTensor.nd4j(labels)));
      if (lastLoss.value == null) {
        throw new IllegalStateException("SameDiff did not report " + TRAIN_LOGITS + " during fit");
      }
      return lastLoss.value;
    }

    /** The graph itself (tests compare it with DL4J's own per-batch fit). */
    SameDiff graph() {
      training.end();
      return sd;
    }

    /** Adds a listener to every later training step (benchmarks use it to time the step's ops). */
    public void addListener(Listener listener) {
      training.end(); // a fit takes its listeners when it starts
      sd.addListeners(listener);
    }

    @Override
    public Tensor output(Tensor features) {
      training.end();
      return new Nd4jTensor(sd.output(Map.of(INPUT, LayerApiEngine.layout(Nd4jTensor.nd4j(features), format)), PROBS)
          .get(PROBS));
    }

    /** Draws dropout masks from ND4J's generator. */
    @Override
    public void reseed(long seed) {
      Nd4j.getRandom().setSeed(seed);
    }

    @Override
    public long numParams() {
      training.end();
      return params.stream().mapToLong(p -> sd.getVariable(p.name()).getArr().length()).sum();
    }

    @Override
    public void save(Path file) throws IOException {
      training.end();
      sd.save(file.toFile(), true);
    }

    /** Loss and gradients of the training head for one batch, without updating anything. */
    public Map<String, INDArray> gradients(INDArray features, INDArray labels) {
      training.end();
      return sd.calculateGradients(Map.of(INPUT, LayerApiEngine.layout(features, format), LABEL, labels),
          params.stream().map(LayerApiParams.Param::name).toList());
    }

    /** The training head's loss for one batch. */
    public double loss(INDArray features, INDArray labels) {
      training.end();
      return sd.output(Map.of(INPUT, LayerApiEngine.layout(features, format), LABEL, labels), LOSS)
          .get(LOSS).getDouble(0);
    }

    /** Arrays of this graph (weights or gradients, by variable name) in the layer API's layouts. */
    public Map<String, INDArray> inLayerApiLayout(Map<String, INDArray> byName) {
      Map<String, INDArray> out = new LinkedHashMap<>();
      for (LayerApiParams.Param p : params) {
        INDArray a = byName.get(p.name());
        if (a != null) {
          out.put(p.name(), toLayerApi(p, a));
        }
      }
      return out;
    }

    @Override
    public Map<String, Tensor> weights() {
      training.end();
      Map<String, INDArray> byName = new LinkedHashMap<>();
      params.forEach(p -> byName.put(p.name(), sd.getVariable(p.name()).getArr()));
      return Nd4jTensor.wrap(inLayerApiLayout(byName));
    }
  }

  /**
   * The loss of the last training step. SameDiff never evaluates the loss variable while
   * training (the loss op's gradient needs only the logits and labels; M2.1 reports 0 to
   * listeners), so the loss is computed here from the training head's logits, which the step
   * computes anyway: mean over the batch of logsumexp(z) - z[label], in double precision.
   */
  private static final class LastLoss extends BaseListener {
    Model.Step value;

    @Override
    public boolean isActive(Operation operation) {
      return operation == Operation.TRAINING;
    }

    @Override
    public ListenerVariables requiredVariables(SameDiff sd) {
      return ListenerVariables.builder().trainingVariables(TRAIN_LOGITS).build();
    }

    @Override
    public void activationAvailable(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, String varName,
        INDArray activation) {
      if (TRAIN_LOGITS.equals(varName)) {
        value = TrainingLogits.score(activation.toDoubleMatrix(), batch.getLabels(0).toDoubleMatrix());
      }
    }
  }
}
