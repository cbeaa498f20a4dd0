package org.fmnistbench.engine;

import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.fmnistbench.runtime.RuntimeConfig;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the pooling layers without libnd4j's oneDNN platform helper while every other layer keeps
 * it ({@code pool.helpers=off}, see {@link org.fmnistbench.runtime.RuntimeConfig}).
 *
 * <p>Why: for NCHW input oneDNN 2.x picks its reference {@code nchw_pooling} kernels, which on
 * this machine cost more than libnd4j's own pooling: {@code nchw_pooling_fwd_t} alone was 8-10 %
 * of all CPU samples of a cnn training step under perf (benchmarks/reports/
 * profile-cnn-layer-api-default.md), and switching helpers off around pooling alone took the
 * training step to 0.72-0.95x of its time, both engines, losses within 1e-5 (benchmarks/reports/
 * SWEEP-pooling.md, PoolingWithoutHelpersTest).
 * libnd4j reads the switch ({@code Environment.allowHelpers}) per op call, so it is turned off
 * just around each pooling op and back on after. The switch is process-wide: models in other
 * threads would see it flip, which the suite (one model per JVM at a time) never does.
 */
public final class PoolingWithoutHelpers {
  /** SameDiff's pooling ops, forward and backward. */
  static final Set<String> POOLING_OPS = Set.of("maxpool2d", "maxpool2d_bp", "avgpool2d", "avgpool2d_bp");

  private PoolingWithoutHelpers() {}

  /** Wraps each pooling layer of {@code net} when {@code config} runs pooling without helpers. */
  public static void apply(MultiLayerNetwork net, RuntimeConfig config) {
    if (!config.poolingWithoutHelpers()) {
      return;
    }
    Layer[] layers = net.getLayers().clone();
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] instanceof SubsamplingLayer) {
        layers[i] = new Pooling(layers[i]);
      }
    }
    net.setLayers(layers);
  }

  /** Adds the op switch to {@code sd} when {@code config} runs pooling without helpers. */
  public static void apply(SameDiff sd, RuntimeConfig config) {
    if (config.poolingWithoutHelpers()) {
      sd.addListeners(new OpSwitch());
    }
  }

  /**
   * A SameDiff listener that turns helpers off for each pooling op and back on after it (or,
   * should a pooling op fail, before the next op).
   */
  static final class OpSwitch extends BaseListener {
    private boolean off;

    @Override
    public boolean isActive(Operation operation) {
      return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
      boolean pooling = POOLING_OPS.contains(op.getOp().opName());
      if (pooling != off) {
        Nd4j.getEnvironment().allowHelpers(!pooling);
        off = pooling;
      }
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
        INDArray[] outputs) {
      if (off) {
        Nd4j.getEnvironment().allowHelpers(true);
        off = false;
      }
    }
  }

  /** A pooling layer whose forward and backward passes run with libnd4j's helpers off. */
  public static final class Pooling extends BaseWrapperLayer {
    Pooling(Layer pooling) {
      super(pooling);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
      Nd4j.getEnvironment().allowHelpers(false);
      try {
        return underlying.activate(training, mgr);
      } finally {
        Nd4j.getEnvironment().allowHelpers(true);
      }
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr mgr) {
      Nd4j.getEnvironment().allowHelpers(false);
      try {
        return underlying.activate(input, training, mgr);
      } finally {
        Nd4j.getEnvironment().allowHelpers(true);
      }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
      Nd4j.getEnvironment().allowHelpers(false);
      try {
        return underlying.backpropGradient(epsilon, mgr);
      } finally {
        Nd4j.getEnvironment().allowHelpers(true);
      }
    }
  }
}
