package org.fmnistbench.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.LayerApiEngine;
import org.fmnistbench.engine.PoolingWithoutHelpers;
import org.fmnistbench.engine.SameDiffEngine;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One layer of a variant at the variant's shapes, alone: {@code forward} (training mode) and
 * {@code forwardBackward} (forward, then the gradients for the layer's weights and its input,
 * given an upstream gradient), per engine, in this JVM's runtime configuration (run with
 * {@code default} and {@code default,helpers=off} for oneDNN on and off). {@code layer} takes
 * the ids of {@link LayerCatalog}; {@code adam_<n>} times the Adam update and parameter step of
 * a whole network of n parameters (both methods do the same for it).
 *
 * <p>Layer API: a one-layer MultiLayerNetwork built like the full variant's, driven through
 * {@code activate} and {@code backpropGradient} without workspaces; dropout is DL4J's
 * {@code Dropout} applied and back-propagated; Adam is the network updater. SameDiff: a graph
 * of the op alone on a fixed input, {@code output} and {@code calculateGradients} (for the
 * weights and the input) on sum(out * upstream); Adam
 * is one ND4J Adam updater per parameter array, as SameDiff's training runs it.
 *
 * <p>The per-variant breakdown ({@code BenchDriver breakdown}) adds these up and sets the sum
 * beside the measured training step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class LayerBenchmarks {

  /** The layer under test, its inputs and its two operations. */
  @State(Scope.Benchmark)
  public static class LayerState {
    @Param({"conv3x3_1-32_28x28"})
    public String layer;

    @Param({"32"})
    public int batchSize;

    @Param({"layer-api"})
    public String engine;

    LayerOp op;

    @Setup(Level.Trial)
    public void setUp() {
      Backend.verifyLoaded();
      LayerCatalog.Case c = LayerCatalog.byId(layer);
      RuntimeConfig config = NativeRuntime.active();
      op = switch (Engine.byId(engine)) {
        case LAYER_API -> layerApi(c, batchSize, config);
        case SAMEDIFF -> sameDiff(c, batchSize, config);
        case DJL_PYTORCH -> throw new IllegalArgumentException(
            "engine " + engine + " has no per-layer benchmarks (the breakdown is DL4J's): use layer-api or samediff");
      };
    }
  }

  /** What a benchmark calls. */
  interface LayerOp {
    Object forward();

    Object forwardBackward();
  }

  @Benchmark
  public Object forward(LayerState s, SampleCounter counter) {
    Object out = s.op.forward();
    Nd4j.getExecutioner().commit();
    counter.samples += s.batchSize;
    return out;
  }

  @Benchmark
  public Object forwardBackward(LayerState s, SampleCounter counter) {
    Object out = s.op.forwardBackward();
    Nd4j.getExecutioner().commit();
    counter.samples += s.batchSize;
    return out;
  }

  /** Input batch of per-example shape {@code shape} in the configuration's layout, values in [0, 1). */
  static INDArray batch(long[] shape, int n, RuntimeConfig config) {
    long[] full = new long[shape.length + 1];
    full[0] = n;
    if (shape.length == 3 && config.format() == RuntimeConfig.Format.NHWC) {
      full[1] = shape[1];
      full[2] = shape[2];
      full[3] = shape[0];
    } else {
      System.arraycopy(shape, 0, full, 1, shape.length);
    }
    return Nd4j.rand(DataType.FLOAT, full);
  }

  public static INDArray oneHot(int n, int classes) {
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % classes, 1f);
    }
    return y;
  }

  static LayerOp layerApi(LayerCatalog.Case c, int n, RuntimeConfig config) {
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    if (c.adam()) {
      Variant v = sourceOf(c);
      MultiLayerNetwork net = LayerApiEngine.build(v, Recipe.article(v), 1, config);
      net.setInput(batch(v.convolutional() ? new long[] {1, 28, 28} : new long[] {784}, n, config));
      net.setLabels(oneHot(n, 10));
      net.computeGradientAndScore();
      int[] iteration = {0};
      Runnable step = () -> {
        net.getUpdater().update(net, net.gradient(), iteration[0]++, 0, n, mgr);
        net.params().subi(net.getGradientsViewArray().reshape(net.params().shape()));
      };
      return new LayerOp() {
        public Object forward() {
          step.run();
          return net.params();
        }

        public Object forwardBackward() {
          return forward();
        }
      };
    }
    INDArray x = batch(c.input(), n, config);
    return c.spec().match(new LayerSpec.Cases<LayerOp>() {
      @Override
      public LayerOp dropout(LayerSpec.Dropout d) {
        // Keras's Dropout is DL4J's input dropout of the next layer: measured as DL4J applies it.
        Dropout dropout = new Dropout(d.retain());
        INDArray out = x.ulike();
        INDArray gradIn = x.ulike();
        INDArray eps = Nd4j.rand(DataType.FLOAT, x.shape());
        return new LayerOp() {
          public Object forward() {
            return dropout.applyDropout(x, out, 0, 0, mgr);
          }

          public Object forwardBackward() {
            dropout.applyDropout(x, out, 0, 0, mgr);
            return dropout.backprop(eps, gradIn, 0, 0);
          }
        };
      }

      @Override
      public LayerOp flatten(LayerSpec.Flatten f) {
        throw new IllegalArgumentException("Flatten is a reshape in DL4J: no layer case");
      }

      @Override
      public LayerOp zeroPadding(LayerSpec.ZeroPadding p) {
        return network(c, x, n, config, null);
      }

      @Override
      public LayerOp conv(LayerSpec.Conv conv) {
        return network(c, x, n, config, null);
      }

      @Override
      public LayerOp pool(LayerSpec.Pool p) {
        return network(c, x, n, config, null);
      }

      @Override
      public LayerOp dense(LayerSpec.Dense d) {
        return network(c, x, n, config, null);
      }

      @Override
      public LayerOp softmax(LayerSpec.Softmax s) {
        return network(c, x, n, config, oneHot(n, s.classes()));
      }
    });
  }

  /** One registry layer as a one-layer network; {@code labels} for the output layer, else null. */
  private static LayerOp network(LayerCatalog.Case c, INDArray x, int n, RuntimeConfig config, INDArray labels) {
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    MultiLayerNetwork net = LayerApiEngine.singleLayer(c.spec(), c.input(), config);
    net.initGradientsView(); // what fit() does first: the layer's gradient arrays
    Layer layer = net.getLayer(0);
    if (labels != null) {
      ((IOutputLayer) layer).setLabels(labels);
    }
    INDArray eps = labels != null ? null : Nd4j.rand(DataType.FLOAT, layer.activate(x, true, mgr).shape());
    return new LayerOp() {
      public Object forward() {
        return layer.activate(x, true, mgr);
      }

      public Object forwardBackward() {
        layer.activate(x, true, mgr);
        return layer.backpropGradient(eps, mgr).getSecond();
      }
    };
  }

  static LayerOp sameDiff(LayerCatalog.Case c, int n, RuntimeConfig config) {
    if (c.adam()) {
      Recipe r = Recipe.article(sourceOf(c));
      Adam adam = new Adam(r.learningRate(), r.beta1(), r.beta2(), r.epsilon());
      List<INDArray> params = new ArrayList<>();
      List<INDArray> grads = new ArrayList<>();
      List<GradientUpdater> updaters = new ArrayList<>();
      for (long size : c.input()) {
        params.add(Nd4j.rand(DataType.FLOAT, 1, size));
        grads.add(Nd4j.rand(DataType.FLOAT, 1, size).muli(1e-3));
        updaters.add(adam.instantiate(Nd4j.zeros(DataType.FLOAT, 1, adam.stateSize(size)), true));
      }
      int[] iteration = {0};
      return new LayerOp() {
        public Object forward() {
          int it = iteration[0]++;
          for (int i = 0; i < params.size(); i++) {
            INDArray g = grads.get(i).dup();
            updaters.get(i).applyUpdater(g, it, 0);
            params.get(i).subi(g);
          }
          return params;
        }

        public Object forwardBackward() {
          return forward();
        }
      };
    }
    boolean nhwc = config.format() == RuntimeConfig.Format.NHWC;
    INDArray x = batch(c.input(), n, config);
    SameDiff sd = SameDiff.create();
    PoolingWithoutHelpers.apply(sd, config);
    // The input is a variable, not a placeholder: SameDiff then differentiates with respect to
    // it (the gradient passed to the previous layer) even for layers without weights.
    SDVariable in = sd.var("in", x);
    Map<String, INDArray> feed = new HashMap<>();
    List<String> wrt = new ArrayList<>(List.of("in"));
    long[] i = c.input();
    boolean[] isLoss = {false};
    SDVariable out = c.spec().match(new LayerSpec.Cases<SDVariable>() {
      @Override
      public SDVariable conv(LayerSpec.Conv conv) {
        int k = LayerSpec.Conv.KERNEL;
        SDVariable w = sd.var("W", Nd4j.rand(DataType.FLOAT, k, k, i[0], conv.filters()).subi(0.5).muli(0.1));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, conv.filters()));
        wrt.addAll(List.of("W", "b"));
        return SameDiffEngine.convRelu(sd, in, w, b, nhwc);
      }

      @Override
      public SDVariable pool(LayerSpec.Pool pool) {
        return SameDiffEngine.pool(sd, in, pool.type(), nhwc);
      }

      @Override
      public SDVariable zeroPadding(LayerSpec.ZeroPadding pad) {
        return SameDiffEngine.zeroPad(sd, in, pad.pad(), nhwc);
      }

      @Override
      public SDVariable dropout(LayerSpec.Dropout d) {
        long[] example = Arrays.copyOfRange(x.shape(), 1, x.rank());
        return SameDiffEngine.dropout(sd, in, d.retain(), n, example);
      }

      @Override
      public SDVariable flatten(LayerSpec.Flatten f) {
        throw new IllegalArgumentException("Flatten is a reshape: no layer case");
      }

      @Override
      public SDVariable dense(LayerSpec.Dense dense) {
        SDVariable w = sd.var("W", Nd4j.rand(DataType.FLOAT, i[0], dense.units()).subi(0.5).muli(0.01));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, dense.units()));
        wrt.addAll(List.of("W", "b"));
        return sd.nn.relu(in.mmul(w).add(b), 0);
      }

      @Override
      public SDVariable softmax(LayerSpec.Softmax softmax) {
        SDVariable w = sd.var("W", Nd4j.rand(DataType.FLOAT, i[0], softmax.classes()).subi(0.5).muli(0.01));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, softmax.classes()));
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, softmax.classes());
        feed.put("label", oneHot(n, softmax.classes()));
        wrt.addAll(List.of("W", "b"));
        isLoss[0] = true;
        return sd.loss.softmaxCrossEntropy("loss", label, in.mmul(w).add(b), null,
            LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
      }
    });
    String outName = out.name();
    if (!isLoss[0]) {
      // a scalar to differentiate: sum(out * upstream), the upstream gradient being fixed
      INDArray upstream = Nd4j.rand(DataType.FLOAT, sd.output(feed, outName).get(outName).shape());
      out.mul(sd.constant(upstream)).sum().markAsLoss();
    } else {
      out.markAsLoss();
    }
    SameDiffEngine.createGradientsQuietly(sd);
    return new LayerOp() {
      public Object forward() {
        return sd.output(feed, outName);
      }

      public Object forwardBackward() {
        return sd.calculateGradients(feed, wrt);
      }
    };
  }

  /** The first variant whose Adam case this is (cases are shared by equal parameter counts). */
  static Variant sourceOf(LayerCatalog.Case c) {
    for (Variant v : Variant.values()) {
      if (LayerCatalog.of(v).stream().anyMatch(x -> x.id().equals(c.id()))) {
        return v;
      }
    }
    throw new IllegalArgumentException(c.id());
  }
}
