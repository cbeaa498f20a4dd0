package org.fmnistbench.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.LayerApiEngine;
import org.fmnistbench.engine.PoolingWithoutHelpers;
import org.fmnistbench.model.Model;
import org.fmnistbench.training.Batches;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class NativeRuntimeTest {
  private static final CpuFeatures AVX512 = new CpuFeatures("zen4",
      Set.of("avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"));
  private static final CpuFeatures AVX2 = new CpuFeatures("zen2", Set.of("avx", "avx2", "fma"));
  private static final CpuFeatures OLD = new CpuFeatures("core2", Set.of("sse4_2"));

  @Test
  void anEngineGetsItsConfigurationAsAParameterAndTheJvmRefusesOneItDoesNotRun() {
    RuntimeConfig active = NativeRuntime.active();
    // per-network settings are the caller's: a network in NHWC without workspaces builds in this JVM
    RuntimeConfig nhwc = active.with(RuntimeConfig.FORMAT, RuntimeConfig.Format.NHWC).with(RuntimeConfig.WORKSPACES, false);
    assertEquals(nhwc, NativeRuntime.require(nhwc));
    Model m = Engine.LAYER_API.build(Variant.CNN, Recipe.article(Variant.CNN), 1, nhwc);
    assertTrue(m.weights().size() > 0, "built in NHWC in this JVM");
    // a JVM-wide setting is not: the helpers are chosen once per JVM
    RuntimeConfig otherHelpers = active.with(RuntimeConfig.HELPERS, !active.get(RuntimeConfig.HELPERS));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Engine.SAMEDIFF.build(Variant.CNN, Recipe.article(Variant.CNN), 1, otherHelpers));
    assertTrue(e.getMessage().contains("helpers="), e.getMessage());
    assertEquals(List.of("pool.helpers", "format", "workspaces", "cache"), RuntimeConfig.KEYS.stream()
        .filter(RuntimeConfig.Key::perNetwork).map(RuntimeConfig.Key::name).toList(), "the settings an engine applies per network");
  }

  @Test
  void theDefaultPicksTheFastestOneDnnBuildTheCpuRuns() {
    assertEquals(NativeBuild.ONEDNN_AVX512, RuntimeConfig.DEFAULT.resolveBuild(AVX512));
    assertEquals(NativeBuild.ONEDNN_AVX2, RuntimeConfig.DEFAULT.resolveBuild(AVX2));
    assertEquals(NativeBuild.ONEDNN, RuntimeConfig.DEFAULT.resolveBuild(OLD));
    assertEquals(NativeBuild.PLAIN, RuntimeConfig.STOCK.resolveBuild(AVX512));
  }

  @Test
  void cpuinfoIsParsed() {
    CpuFeatures cpu = CpuFeatures.parse(List.of("processor\t: 0", "model name\t: AMD EPYC 9B14",
        "flags\t\t: fpu sse avx avx2 fma", "processor\t: 1", "model name\t: other", "flags\t\t: fpu"));
    assertEquals("AMD EPYC 9B14", cpu.model());
    assertEquals(Set.of("fpu", "sse", "avx", "avx2", "fma"), cpu.flags());
    assertEquals("avx2", cpu.simdLevel());
  }

  @Test
  void everyKeyOfTheTableParsesWhatItPrints() {
    for (RuntimeConfig.Key<?> key : RuntimeConfig.KEYS) {
      for (RuntimeConfig from : List.of(RuntimeConfig.DEFAULT, RuntimeConfig.STOCK)) {
        // each base's value set on the other base: a change whenever the bases differ on it
        RuntimeConfig other = from == RuntimeConfig.DEFAULT ? RuntimeConfig.STOCK : RuntimeConfig.DEFAULT;
        Object value = other.get(key);
        String text = key.print(value);
        if (text.isEmpty()) {
          continue; // an environment variable neither base sets
        }
        RuntimeConfig c = RuntimeConfig.parse(from.base() + "," + key.name() + "=" + text);
        assertEquals(value, c.get(key), key.name());
        assertEquals(c, RuntimeConfig.parse(c.id()), "the id reads back: " + c.id());
        assertEquals(value.equals(from.get(key)), c.id().equals(from.base()), "only a change is spelled: " + c.id());
      }
      assertFalse(key.description().isBlank(), key.name());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("default,omp.wiat=active"));
    assertTrue(e.getMessage().contains("unknown key; keys: build, helpers, pool.helpers"), e.getMessage());
  }

  @Test
  void configurationsParseAndPrintCanonically() {
    assertEquals("default", RuntimeConfig.parse("default").id());
    assertEquals("stock", RuntimeConfig.parse(" stock ").id());
    RuntimeConfig c = RuntimeConfig.parse(
        "default,format=NHWC,omp.wait=passive,build=onednn,helpers=off,workspaces=off,cache=host,omp.threads=1");
    assertEquals("default,build=onednn,helpers=off,format=nhwc,workspaces=off,cache=host,omp.threads=1,omp.wait=passive", c.id());
    assertEquals(c, RuntimeConfig.parse(c.id()));
    assertEquals(Map.of("OMP_WAIT_POLICY", "PASSIVE", "OMP_NUM_THREADS", "1"), c.environment());
    assertEquals("build=plain,helpers=off,format=nchw,workspaces=on,cache=none", RuntimeConfig.STOCK.describe(AVX2));
    RuntimeConfig pool = RuntimeConfig.parse("default,pool.helpers=on");
    assertEquals("default,pool.helpers=on", pool.id());
    assertEquals(pool, RuntimeConfig.parse(pool.id()));
    assertFalse(pool.poolingWithoutHelpers());
    assertTrue(RuntimeConfig.DEFAULT.poolingWithoutHelpers());
    assertEquals("build=onednn-avx2,helpers=on,pool.helpers=off,format=nchw,workspaces=on,cache=none,blas.threads=1",
        RuntimeConfig.DEFAULT.describe(AVX2));
    assertEquals("build=onednn-avx2,helpers=on,format=nchw,workspaces=on,cache=none,blas.threads=1", pool.describe(AVX2));
    assertEquals(List.of("-Xmn64m"), RuntimeConfig.DEFAULT.jvmArgs(), "the default's young generation");
    assertEquals(List.of(), RuntimeConfig.STOCK.jvmArgs(), "stock: the JVM's own sizing");
    RuntimeConfig young = RuntimeConfig.parse("default,young.gen=jvm");
    assertEquals("default,young.gen=jvm", young.id());
    assertEquals(young, RuntimeConfig.parse(young.id()));
    assertEquals(List.of(), young.jvmArgs());
    assertEquals(List.of("-Xmn128m"), RuntimeConfig.parse("stock,young.gen=128m").jvmArgs());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> RuntimeConfig.parse("default,young.gen=lots"));
    assertTrue(bad.getMessage().contains("young.gen=lots: a size such as 64m"), bad.getMessage());
    RuntimeConfig blas = RuntimeConfig.parse("default,blas.threads=auto");
    assertEquals("default,blas.threads=auto", blas.id());
    assertEquals(blas, RuntimeConfig.parse(blas.id()));
    assertEquals(0, blas.blasThreads());
    assertEquals(Map.of(), blas.environment(), "OpenBLAS's threads are set through ND4J, not the environment");
    assertEquals("stock,blas.threads=1", RuntimeConfig.parse("stock,blas.threads=1").id());
    assertEquals(RuntimeConfig.DEFAULT, RuntimeConfig.parse("default,blas.threads=1"));
    assertFalse(RuntimeConfig.parse("default,helpers=off,pool.helpers=off").poolingWithoutHelpers(),
        "with every helper off there is nothing to turn off around pooling");
  }

  @Test
  void badConfigurationsAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("fast"))
        .getMessage().contains("must start with a base, 'default' or 'stock'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("default,colour=red"))
        .getMessage().contains("colour=red: unknown key; keys: build, helpers"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("default,build=avx1024"))
        .getMessage().contains("unknown native build 'avx1024'; valid: plain, avx2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("stock,omp.threads=0"))
        .getMessage().contains("omp.threads=0: a positive whole number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("default,blas.threads=many"))
        .getMessage().contains("blas.threads=many: a positive whole number or auto"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("default,format=nwhc"))
        .getMessage().contains("format=nwhc: nchw or nhwc"), "the valid layouts, not Java's enum lookup");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("stock,format"))
        .getMessage().contains("'format' is not key=value"));
  }

  @Test
  void aBuildThatCannotRunHereIsRefusedWithTheReason() {
    IllegalStateException flags = assertThrows(IllegalStateException.class,
        () -> NativeBuild.ONEDNN_AVX512.check(AVX2, getClass().getClassLoader()));
    assertTrue(flags.getMessage().contains("lacks [avx512bw, avx512dq, avx512f, avx512vl]"), flags.getMessage());
    assertTrue(flags.getMessage().contains("choose build=onednn-avx2"), flags.getMessage());
    ClassLoader empty = new ClassLoader(null) {};
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> NativeBuild.ONEDNN_AVX2.check(AVX2, empty));
    assertTrue(missing.getMessage().contains("add org.nd4j:nd4j-native:<version>:linux-x86_64-onednn-avx2"),
        missing.getMessage());
  }

  @Test
  void anEnvironmentTheConfigurationNeedsMustBeThere() {
    RuntimeConfig passive = RuntimeConfig.parse("default,omp.wait=passive");
    NativeRuntime.checkEnvironment(passive, Map.of("OMP_WAIT_POLICY", "PASSIVE"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> NativeRuntime.checkEnvironment(passive, Map.of()));
    assertTrue(e.getMessage().contains("needs OMP_WAIT_POLICY=PASSIVE in the JVM's environment but it is unset"));
  }

  /** The default's OpenBLAS thread count is in effect, though ND4J sets one per core as it loads. */
  @Test
  void theDefaultRunsOpenBlasOnOneThread() {
    NativeRuntime.configure(RuntimeConfig.DEFAULT);
    assertEquals(1, Nd4j.factory().blas().getMaxThreads(), "OpenBLAS's thread count under the default");
  }

  /**
   * The default configuration really runs DL4J's convolutions through oneDNN: the loaded libnd4j
   * has oneDNN, DL4J's check sees it (through the M2.1 compatibility class), and every
   * convolution layer of every variant holds a oneDNN helper (a silent fallback to the im2col
   * path fails here). Pooling layers hold theirs too, and with {@code pool.helpers=off} (the
   * default) sit inside the wrapper that runs them on libnd4j's own kernels.
   */
  @Test
  void theDefaultRunsTheLayerApiOnOneDnn() {
    RuntimeConfig config = NativeRuntime.configure(RuntimeConfig.DEFAULT);
    assertTrue(NativeRuntime.nativeBuildInfo().contains("HAVE_ONEDNN"), NativeRuntime.nativeBuildInfo());
    assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J's oneDNN check");
    for (Variant v : Variant.values()) {
      MultiLayerNetwork net = LayerApiEngine.build(v, Recipe.article(v), 1, config);
      int helped = 0;
      for (Layer layer : net.getLayers()) {
        if (layer instanceof ConvolutionLayer conv) {
          assertInstanceOf(MKLDNNConvHelper.class, conv.getHelper(), v + " layer " + layer.getIndex());
          helped++;
        } else if (layer instanceof SubsamplingLayer || layer instanceof PoolingWithoutHelpers.Pooling) {
          Layer inner = layer instanceof PoolingWithoutHelpers.Pooling w ? w.getUnderlying() : layer;
          assertEquals(config.poolingWithoutHelpers(), layer instanceof PoolingWithoutHelpers.Pooling,
              v + " layer " + layer.getIndex() + ": pooling wrapped as pool.helpers says");
          assertInstanceOf(MKLDNNSubsamplingHelper.class, ((SubsamplingLayer) inner).getHelper(),
              v + " layer " + layer.getIndex());
          helped++;
        }
      }
      assertEquals(v.convolutional(), helped > 0, v + ": layers with a oneDNN helper");
    }
  }

  /**
   * A JVM whose entry point configured nothing is refused with what to call, not run on whatever
   * a property said: a fresh JVM (this one is configured by the tests' extension) asks for the
   * active configuration and for a batch of the suite's arrays.
   */
  @Test
  void aJvmNothingConfiguredIsRefusedNamingWhatToCall() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), UnconfiguredProbe.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "probe did not finish");
    assertEquals(0, p.exitValue(), out);
    assertEquals(2, out.lines().filter(l -> l.startsWith("refused: no runtime configuration is active")
        && l.contains("NativeRuntime.configure()")).count(), out);
  }

  /** The probe's JVM: asks before anything configured it, twice; exits 0 only when both are refused. */
  static final class UnconfiguredProbe {
    public static void main(String[] args) {
      int refused = 0;
      for (Runnable ask : List.<Runnable>of(NativeRuntime::active,
          () -> Batches.labels(new FashionMnist.Split(new byte[784],
              new byte[1]), new int[] {0}, 0, 1))) {
        try {
          ask.run();
        } catch (IllegalStateException e) {
          System.out.println("refused: " + e.getMessage());
          refused++;
        }
      }
      System.exit(refused == 2 ? 0 : 1);
    }
  }
}
