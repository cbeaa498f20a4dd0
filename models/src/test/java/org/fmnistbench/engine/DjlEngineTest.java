package org.fmnistbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The djl-pytorch engine computes the layer API's function and starts from Keras's
 * initialisation. Equality: DL4J's initial weights loaded into DJL, dropout off, one real
 * minibatch: the same loss (1e-5 relative), class probabilities (1e-4) and gradient for every
 * weight array: within 5e-3 relative in L2 norm, and no element off by more than 1e-2 of the
 * array's largest magnitude. Nearly all arrays agree to a few 1e-6 (float32 sums in other
 * orders, oneDNN vs PyTorch's kernels); the bounds are looser because where two inputs of a max
 * pool tie, the two libraries route the gradient to different ones, and the difference flows
 * back to the layers below (cnn4: its third convolution's kernel 2.5e-3 in one element and 4e-4
 * in L2, its first bias 1e-3 in L2). A transposed kernel, a Flatten in another order or a
 * missing ReLU misses by orders of magnitude.
 */
class DjlEngineTest {
  static final double LOSS_TOLERANCE = 1e-5;
  static final double GRADIENT_TOLERANCE = 5e-3;
  static final double ELEMENT_TOLERANCE = 1e-2;
  static final int BATCH = EngineEqualityTest.BATCH;

  @ParameterizedTest
  @EnumSource(Variant.class)
  void sameLossAndGradientsAsTheLayerApi(Variant v) {
    Recipe recipe = Recipe.article(v);
    INDArray[] batch = EngineEqualityTest.realBatch(v);
    MultiLayerNetwork net = LayerApiEngine.build(v, recipe, 3, NativeRuntime.active());
    for (int i = 0; i < net.getnLayers(); i++) {
      if (net.getLayer(i).conf().getLayer() instanceof BaseLayer b) {
        b.setIDropout(null);
      }
    }
    net.setInput(batch[0]);
    net.setLabels(batch[1]);
    net.computeGradientAndScore();
    Map<String, INDArray> layerApiGradients = net.gradient().gradientForVariable();

    DjlEngine.DjlModel djl = DjlEngine.build(v, recipe, 3, false);
    assertEquals(net.numParams(), djl.numParams(), v + ": parameter count");
    djl.setWeights(net.paramTable());
    for (Map.Entry<String, INDArray> e : djl.weights().entrySet()) {
      assertTrue(net.getParam(e.getKey()).reshape(e.getValue().shape()).equals(e.getValue()),
          v + ": weights " + e.getKey() + " after loading");
    }
    DjlEngine.DjlModel.Gradients djlGradients = djl.gradients(batch[0], batch[1]);
    assertEquals(net.score(), djlGradients.loss(), LOSS_TOLERANCE * Math.abs(net.score()), v + ": loss");
    assertEquals(layerApiGradients.keySet(), djlGradients.byName().keySet(), v + ": gradient names");
    for (String name : layerApiGradients.keySet()) {
      // DL4J's layers return the minibatch sum; DJL differentiates the mean loss.
      INDArray expected = layerApiGradients.get(name).div(BATCH);
      INDArray actual = djlGradients.byName().get(name).reshape(expected.shape());
      double scale = expected.amaxNumber().doubleValue();
      double diff = expected.sub(actual).amaxNumber().doubleValue();
      double l2 = expected.sub(actual).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
      assertTrue(l2 <= GRADIENT_TOLERANCE && diff <= ELEMENT_TOLERANCE * scale, String.format(
          "%s: gradient %s differs by %.3g relative (L2), more than %.0e, or by %.3g in one element, more than %.0e of "
              + "its largest magnitude %.3g", v, name, l2, GRADIENT_TOLERANCE, diff, ELEMENT_TOLERANCE, scale));
    }
    // and the inference path is the same function
    INDArray expected = net.output(batch[0], false);
    INDArray actual = djl.output(batch[0]);
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(diff < 1e-4, v + ": class probabilities differ by " + diff);
  }

  /**
   * Keras's glorot-uniform kernels (uniform in +-sqrt(6 / (fan_in + fan_out)), so a variance of
   * limit^2 / 3) and zero biases, drawn anew for another seed and identically for the same one.
   */
  @Test
  void kerasInitialisationFromTheSeed() {
    Variant v = Variant.CNN;
    Map<String, INDArray> w = DjlEngine.build(v, Recipe.article(v), 5, true).weights();
    for (Map.Entry<String, INDArray> e : w.entrySet()) {
      INDArray a = e.getValue();
      if (e.getKey().endsWith("_b")) {
        assertEquals(0, a.amaxNumber().doubleValue(), e.getKey() + " must start at zero");
        continue;
      }
      long[] s = a.shape(); // layer API: conv [out, in, k, k], dense [in, out]
      double fanIn = s.length == 4 ? s[1] * s[2] * s[3] : s[0];
      double fanOut = s.length == 4 ? s[0] * s[2] * s[3] : s[1];
      double limit = Math.sqrt(6 / (fanIn + fanOut));
      assertTrue(a.amaxNumber().doubleValue() <= limit, e.getKey() + " exceeds the glorot limit " + limit);
      if (a.length() > 10_000) {
        double variance = a.mul(a).meanNumber().doubleValue();
        assertEquals(limit * limit / 3, variance, 0.05 * limit * limit / 3, e.getKey() + ": variance of glorot-uniform");
      }
    }
    assertTrue(w.get("0_W").equals(DjlEngine.build(v, Recipe.article(v), 5, true).weights().get("0_W")),
        "the same seed draws the same weights");
    assertNotEquals(w.get("0_W"), DjlEngine.build(v, Recipe.article(v), 6, true).weights().get("0_W"),
        "another seed draws other weights");
  }

  /** Training drops (new masks each step); inference does not; a step changes the weights. */
  @Test
  void dropoutInTrainingOnlyAndStepsUpdate() {
    Variant v = Variant.CNN;
    DjlEngine.DjlModel m = DjlEngine.build(v, Recipe.article(v), 5, true);
    INDArray[] batch = EngineEqualityTest.realBatch(v);
    assertTrue(m.output(batch[0]).equals(m.output(batch[0])), "inference must be deterministic");
    assertNotEquals(m.gradients(batch[0], batch[1]).loss(), m.gradients(batch[0], batch[1]).loss(),
        "training must draw new dropout masks");
    INDArray before = m.weights().get("0_W");
    Model.Step step = m.fit(batch[0], batch[1]);
    assertTrue(step.loss() > 0 && step.correct() >= 0 && step.correct() <= BATCH);
    assertNotEquals(before, m.weights().get("0_W"), "Adam must move the weights");
  }

  @Test
  void refusesCheckpointsBeforeTraining() {
    Variant v = Variant.MLP;
    Trainer t = new Trainer(v, Recipe.article(v).withTrainPerClass(1).withTestPerClass(1), 1, Engine.DJL_PYTORCH);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.run(FashionMnist.load(), java.util.Optional.of(Path.of("target/never-written"))));
    assertTrue(e.getMessage().contains("djl-pytorch cannot checkpoint"), e.getMessage());
  }

  /**
   * PyTorch comes from the jar on the classpath, never from the network: a fresh JVM with an
   * empty DJL cache and every socket routed to a dead proxy loads it, trains a step and reports
   * the pinned version.
   */
  @Test
  void loadsPyTorchFromTheClasspathWithNoNetwork(@TempDir Path cache) throws Exception {
    Path out = cache.resolve("probe.txt");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-DENGINE_CACHE_DIR=" + cache.resolve("engines"), "-DDJL_CACHE_DIR=" + cache.resolve("djl"),
        "-DsocksProxyHost=127.0.0.1", "-DsocksProxyPort=9", "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9",
        "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=9",
        DjlOfflineProbe.class.getName(), out.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
    assertEquals(0, p.exitValue(), "probe failed:\n" + log);
    String reported = Files.readString(out);
    assertTrue(reported.startsWith("2.5.1"), "PyTorch version " + reported);
    try (Stream<Path> files = Files.walk(cache.resolve("engines"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("libtorch_cpu.so")),
          "PyTorch was not unpacked from the classpath into the empty cache");
    }
  }

  /** The probe's JVM: loads PyTorch offline, trains one step, writes PyTorch's version. */
  static final class DjlOfflineProbe {
    public static void main(String[] args) throws IOException {
      Variant v = Variant.MLP;
      DjlEngine.DjlModel m = DjlEngine.build(v, Recipe.article(v), 1, true);
      INDArray[] batch = EngineEqualityTest.realBatch(v);
      m.fit(batch[0], batch[1]);
      Files.writeString(Path.of(args[0]), DjlEngine.describe().pytorchVersion());
      System.exit(0);
    }
  }
}
