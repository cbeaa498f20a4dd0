package org.fmnistbench.bench.count;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.CountSpread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counting mode end to end at the smallest scope: mlp's inference on the layer API, counted
 * under Callgrind in two processes at once. CI installs Valgrind (.ci/run) and runs this; a
 * machine without Valgrind skips it, unless it says it is CI.
 */
class CountModeTest {
  static boolean valgrindHere() {
    boolean installed = Files.isExecutable(Path.of("/usr/bin/valgrind"));
    if (!installed && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI must run the counting test: apt-get install valgrind");
    }
    return installed;
  }

  @Test
  void twoProcessesCountTheSameInstructionsAndTheDigestNamesNd4j(@TempDir Path dir) throws Exception {
    assumeTrue(valgrindHere(), "Valgrind is not installed");
    PointCounter counter = new PointCounter(CountSetting.C1, System.getProperty("java.class.path"), CountSetting.C1.warmupOps(), 1, 2, false, 3,
        1200);
    PointCounter.Spec spec = new PointCounter.Spec("inference", "mlp", "layer-api", 32);
    CompletableFuture<CountResults.Point> a = CompletableFuture.supplyAsync(() -> count(counter, spec, dir.resolve("a")));
    CountResults.Point b = count(counter, spec, dir.resolve("b"));
    List<CountResults.Point> both = List.of(a.get(), b);
    for (CountResults.Point p : both) {
      assertTrue(p.ok(), "counted: " + p.failure());
      assertEquals(2, p.segments().size());
      // an mlp inference batch of 32 is a few hundred thousand instructions at least
      assertTrue(p.perOp("Ir") > 200_000, "instructions per batch " + p.perOp("Ir"));
      assertTrue(CountSpread.segmentRangePercent(p) < 0.5, "segments of one process: " + p.segments());
      assertTrue(p.objects().getOrDefault("libnd4jcpu.so", 0.0) > 0, "ND4J's library in the digest: " + p.objects());
      assertTrue(p.functions().size() > 5);
    }
    double apart = 100 * Math.abs(both.get(0).perOp("Ir") - both.get(1).perOp("Ir")) / both.get(1).perOp("Ir");
    assertTrue(apart < 0.5, "two processes " + apart + " % apart");
    // the native side repeats exactly
    assertEquals(CountSpread.nativeInstructions(both.get(0)), CountSpread.nativeInstructions(both.get(1)),
        1e-3 * CountSpread.nativeInstructions(both.get(1)));
  }

  private static CountResults.Point count(PointCounter counter, PointCounter.Spec spec, Path dir) {
    try {
      return counter.count(spec, dir);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
