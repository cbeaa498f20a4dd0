package org.fmnistbench.engine;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.training.Recipe;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Variant;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
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
 * Images are NCHW ({@code [N, 1, 28, 28]}), DL4J's default; the Dense weights after Flatten are
 * therefore in (C, H, W) order rather than Keras's (H, W, C), which changes no result.
 */
public final class LayerApiEngine {
  private LayerApiEngine() {}

  /** The network for {@code variant}, initialised from {@code seed}. */
  public static MultiLayerNetwork build(Variant variant, Recipe recipe, long seed) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER_UNIFORM)
        .biasInit(0.0)
        .updater(new Adam(recipe.learningRate(), recipe.beta1(), recipe.beta2(), recipe.epsilon()))
        .convolutionMode(ConvolutionMode.Truncate)
        .list();
    Double pendingRetain = null;
    int index = 0;
    for (LayerSpec spec : variant.layers()) {
      if (spec instanceof LayerSpec.Dropout d) {
        if (pendingRetain != null) {
          throw new IllegalStateException(variant + ": two Dropout layers in a row");
        }
        pendingRetain = d.retain();
        continue;
      }
      if (spec instanceof LayerSpec.Flatten) {
        continue; // DL4J inserts the CNN-to-dense preprocessor from the input types
      }
      Layer layer = toLayer(spec);
      if (pendingRetain != null) {
        if (!(layer instanceof BaseLayer base)) {
          throw new IllegalStateException(variant + ": Dropout before " + spec
              + ", which has no weights to carry DL4J's input dropout");
        }
        base.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(pendingRetain));
        pendingRetain = null;
      }
      list.layer(index++, layer);
    }
    if (pendingRetain != null) {
      throw new IllegalStateException(variant + ": Dropout after the last layer");
    }
    list.setInputType(variant.convolutional()
        ? InputType.convolutional(FashionMnist.ROWS, FashionMnist.COLS, 1)
        : InputType.feedForward(FashionMnist.PIXELS));
    MultiLayerNetwork net = new MultiLayerNetwork(list.build());
    net.init();
    return net;
  }

  private static Layer toLayer(LayerSpec spec) {
    if (spec instanceof LayerSpec.ZeroPadding p) {
      return new ZeroPaddingLayer.Builder(p.pad(), p.pad()).build();
    } else if (spec instanceof LayerSpec.Conv c) {
      return new ConvolutionLayer.Builder(LayerSpec.Conv.KERNEL, LayerSpec.Conv.KERNEL)
          .stride(1, 1).nOut(c.filters()).activation(Activation.RELU).build();
    } else if (spec instanceof LayerSpec.Pool p) {
      SubsamplingLayer.PoolingType type = p.type() == LayerSpec.PoolType.MAX
          ? SubsamplingLayer.PoolingType.MAX : SubsamplingLayer.PoolingType.AVG;
      return new SubsamplingLayer.Builder(type)
          .kernelSize(LayerSpec.Pool.SIZE, LayerSpec.Pool.SIZE)
          .stride(LayerSpec.Pool.SIZE, LayerSpec.Pool.SIZE).build();
    } else if (spec instanceof LayerSpec.Dense d) {
      return new DenseLayer.Builder().nOut(d.units()).activation(Activation.RELU).build();
    } else if (spec instanceof LayerSpec.Softmax s) {
      return new OutputLayer.Builder(LossFunction.MCXENT).nOut(s.classes())
          .activation(Activation.SOFTMAX).build();
    }
    throw new IllegalArgumentException("no DL4J layer for " + spec);
  }
}
