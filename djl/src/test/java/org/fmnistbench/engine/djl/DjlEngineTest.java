package org.fmnistbench.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fmnistbench.model.LayerApiParams;
import org.fmnistbench.model.Model;
import org.fmnistbench.model.Tensor;
import org.fmnistbench.variants.LayerShapes;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The djl-pytorch engine on its own: no DL4J, no ND4J on this module's classpath (the first test
 * proves it), so what passes here passes in a bundle without them. Its agreement with DL4J's
 * layer API (same loss, gradients and probabilities from the same weights) is
 * {@code DjlAgainstLayerApiTest} in the models module, which has both.
 */
class DjlEngineTest {
  static final int BATCH = 32;

  @Test
  void loadsWithoutNd4jOrDl4j() {
    for (String name : List.of("org.nd4j.linalg.factory.Nd4j", "org.nd4j.linalg.api.ndarray.INDArray",
        "org.deeplearning4j.nn.multilayer.MultiLayerNetwork")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(name),
          name + " is on the djl module's test classpath: the engine must load without DL4J and ND4J");
    }
    Variant v = Variant.MLP;
    Model m = DjlEngine.build(v, Recipe.article(v), 1);
    Tensor[] batch = batch(v, 1);
    assertTrue(Double.isFinite(m.fit(batch[0], batch[1]).loss()));
  }

  /**
   * Keras's glorot-uniform kernels (uniform in +-sqrt(6 / (fan_in + fan_out)), so a variance of
   * limit^2 / 3) and zero biases, in the layer API's names and shapes, drawn anew for another seed
   * and identically for the same one.
   */
  @Test
  void kerasInitialisationFromTheSeed() {
    Variant v = Variant.CNN;
    Map<String, Tensor> w = DjlEngine.build(v, Recipe.article(v), 5, true).weights();
    List<LayerApiParams.Param> expected = LayerApiParams.of(v, false);
    assertEquals(expected.stream().map(LayerApiParams.Param::name).toList(), List.copyOf(w.keySet()), "weight names");
    for (LayerApiParams.Param p : expected) {
      Tensor a = w.get(p.name());
      assertArrayEquals(p.layerApiShape(), a.shape(), p.name() + ": the layer API's shape");
      float[] x = a.toFloats();
      double amax = 0;
      double squares = 0;
      for (float f : x) {
        amax = Math.max(amax, Math.abs(f));
        squares += (double) f * f;
      }
      if (p.name().endsWith("_b")) {
        assertEquals(0, amax, p.name() + " must start at zero");
        continue;
      }
      long[] s = a.shape(); // layer API: conv [out, in, k, k], dense [in, out]
      double fanIn = s.length == 4 ? s[1] * s[2] * s[3] : s[0];
      double fanOut = s.length == 4 ? s[0] * s[2] * s[3] : s[1];
      double limit = Math.sqrt(6 / (fanIn + fanOut));
      assertTrue(amax <= limit, p.name() + " exceeds the glorot limit " + limit);
      if (x.length > 10_000) {
        assertEquals(limit * limit / 3, squares / x.length, 0.05 * limit * limit / 3, p.name() + ": variance of glorot-uniform");
      }
    }
    assertTrue(Tensor.same(w.get("0_W"), DjlEngine.build(v, Recipe.article(v), 5, true).weights().get("0_W")),
        "the same seed draws the same weights");
    assertFalse(Tensor.same(w.get("0_W"), DjlEngine.build(v, Recipe.article(v), 6, true).weights().get("0_W")),
        "another seed draws other weights");
  }

  /**
   * Weights go in and come out in the layer API's layouts: Linear's kernel is transposed on the
   * way in and back, so a non-symmetric pattern read back unchanged shows both directions agree,
   * and the forward pass sees it: a model given another's weights computes the same outputs.
   */
  @Test
  void weightsRoundTripInTheLayerApiLayout() {
    Variant v = Variant.CNN;
    Map<String, Tensor> pattern = new LinkedHashMap<>();
    SplittableRandom r = new SplittableRandom(7);
    for (LayerApiParams.Param p : LayerApiParams.of(v, false)) {
      float[] f = new float[Math.toIntExact(Arrays.stream(p.layerApiShape()).reduce(1, Math::multiplyExact))];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) (r.nextDouble() - 0.5) * 0.1f;
      }
      pattern.put(p.name(), Tensor.of(f, p.layerApiShape()));
    }
    DjlEngine.DjlModel a = DjlEngine.build(v, Recipe.article(v), 1, false);
    a.setWeights(pattern);
    a.weights().forEach((name, t) -> assertTrue(Tensor.same(pattern.get(name), t), name + " read back changed"));
    DjlEngine.DjlModel b = DjlEngine.build(v, Recipe.article(v), 2, false);
    Tensor x = batch(v, 3)[0];
    assertTrue(Tensor.maxAbsDifference(a.output(x), b.output(x)) > 1e-3, "two seeds must compute differently");
    b.setWeights(a.weights());
    assertEquals(0, Tensor.maxAbsDifference(a.output(x), b.output(x)), 1e-7, "the same weights, the same outputs");
    Map<String, Tensor> missing = new LinkedHashMap<>(pattern);
    missing.remove("0_W");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.setWeights(missing));
    assertTrue(e.getMessage().contains("0_W"), e.getMessage());
  }

  /** PyTorch adds each backward pass to what a gradient holds: gradients() must leave nothing behind. */
  @Test
  void gradientsLeavesNoGradientForTheNextBatch() {
    Variant v = Variant.MLP;
    DjlEngine.DjlModel m = DjlEngine.build(v, Recipe.article(v), 5, false);
    Tensor[] batch = batch(v, 2);
    Tensor first = m.gradients(batch[0], batch[1]).byName().get("0_W");
    Tensor second = m.gradients(batch[0], batch[1]).byName().get("0_W");
    assertTrue(Tensor.same(first, second), "the second batch's gradient must not include the first's");
  }

  /** Training drops (new masks each step); inference does not; a step changes the weights. */
  @Test
  void dropoutInTrainingOnlyAndStepsUpdate() {
    Variant v = Variant.CNN;
    DjlEngine.DjlModel m = DjlEngine.build(v, Recipe.article(v), 5, true);
    Tensor[] batch = batch(v, 2);
    assertTrue(Tensor.same(m.output(batch[0]), m.output(batch[0])), "inference must be deterministic");
    assertTrue(m.gradients(batch[0], batch[1]).loss() != m.gradients(batch[0], batch[1]).loss(),
        "training must draw new dropout masks");
    Tensor before = m.weights().get("0_W");
    Model.Step step = m.fit(batch[0], batch[1]);
    assertTrue(step.loss() > 0 && step.correct() >= 0 && step.correct() <= BATCH, step.toString());
    assertFalse(Tensor.same(before, m.weights().get("0_W")), "Adam must move the weights");
    Tensor probs = m.output(batch[0]);
    assertArrayEquals(new long[] {BATCH, 10}, probs.shape());
    float[] p = probs.toFloats();
    for (int i = 0; i < BATCH; i++) {
      double sum = 0;
      for (int c = 0; c < 10; c++) {
        sum += p[i * 10 + c];
      }
      assertEquals(1, sum, 1e-5, "row " + i + " of the class probabilities");
    }
  }

  @Test
  void refusesToSaveAndNamesWhy() {
    Variant v = Variant.MLP;
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> DjlEngine.build(v, Recipe.article(v), 1).save(Path.of("target/never-written")));
    assertTrue(e.getMessage().contains("moment estimates"), e.getMessage());
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
      Tensor[] batch = batch(v, 1);
      m.fit(batch[0], batch[1]);
      Files.writeString(Path.of(args[0]), DjlEngine.describe().pytorchVersion());
      System.exit(0);
    }
  }

  /**
   * A batch of {@value #BATCH} pixel-like images (uniform in [0, 1)) with one-hot labels, drawn
   * from {@code seed}: the engine's own behaviour needs no real images (the agreement test with
   * DL4J uses real ones).
   */
  static Tensor[] batch(Variant v, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] example = LayerShapes.of(v).get(0).input();
    long[] shape = new long[example.length + 1];
    shape[0] = BATCH;
    System.arraycopy(example, 0, shape, 1, example.length);
    float[] x = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    float[] y = new float[BATCH * 10];
    for (int i = 0; i < BATCH; i++) {
      y[i * 10 + r.nextInt(10)] = 1;
    }
    return new Tensor[] {Tensor.of(x, shape), Tensor.of(y, BATCH, 10)};
  }
}
