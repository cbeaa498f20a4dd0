package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.fmnistbench.results.CallgrindProfile;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly's count detector on made-up counts: the limit follows the A/A spread, a count that
 * moved beyond it is called with the function that moved, the previous build counted tonight is
 * preferred to the history, and a point that failed is reported, not dropped.
 */
class CountDetectorTest {
  static CountResults.Point point(String variant, double total, double im2col, String status) {
    return new CountResults.Point("trainStep", variant, "layer-api", 32, status, 1, status.equals("ok") ? null : "exit 134",
        status.equals("ok") ? List.of(Map.of("Ir", total)) : List.of(), Map.of("libnd4jcpu.so", total),
        List.of(new CountResults.FunctionCount("libnd4jcpu.so", "im2col", im2col),
            new CountResults.FunctionCount("libnd4jcpu.so", "gemm", total - im2col)), 10);
  }

  static CountResults run(String commit, String started, List<CountResults.Point> points) {
    return new CountResults(new CountResults.Setting(commit, "c1", List.of(), "valgrind-3.19.0", "default", "AMD EPYC", 30,
        1, 2, false, started), points);
  }

  /** Five A/A processes of cnn spread by about 0.5 %, of mlp by about 0.05 %. */
  static List<CountResults> aa() {
    List<CountResults.Point> points = new ArrayList<>();
    double[] cnn = {1000e6, 1005e6, 995e6, 1004e6, 996e6};
    double[] mlp = {10e6, 10.005e6, 9.995e6, 10.004e6, 9.996e6};
    for (int i = 0; i < 5; i++) {
      points.add(point("cnn", cnn[i], 100e6, "ok"));
      points.add(point("mlp", mlp[i], 1e6, "ok"));
    }
    return List.of(run("aa", "2026-12-01T00:00:00Z", points));
  }

  @Test
  void theLimitIsSixAaSpreadsAndAtLeastOnePercent() {
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, aa(), "c1");
    assertTrue(d.threshold("trainStep/cnn/layer-api/32") > 0.025, "cnn: 6 x ~0.47 %");
    assertEquals(0.01, d.threshold("trainStep/mlp/layer-api/32"), 1e-12, "mlp: 6 x 0.047 % is below the 1 % floor");
    // a point without A/A processes gets the largest spread measured
    assertEquals(d.threshold("trainStep/cnn/layer-api/32"), d.threshold("trainStep/cnn4/layer-api/32"), 1e-12);
  }

  @Test
  void aTwoPercentSlowerMlpIsCalledWithItsFunctionAndAnUnchangedCnnIsNot(@TempDir Path dir) throws Exception {
    CountHistory h = new CountHistory(dir);
    h.append(run("aaaa", "2026-12-02T00:00:00Z", List.of(point("mlp", 10e6, 1e6, "ok"), point("cnn", 1000e6, 100e6, "ok"))),
        List.of());
    CountResults tonight = run("bbbb", "2026-12-03T00:00:00Z",
        List.of(point("mlp", 10.2e6, 1.2e6, "ok"), point("cnn", 1010e6, 110e6, "ok"), point("cnn3", 0, 0, "failed")));
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, aa(), "c1");
    List<CountDetector.Finding> f = d.judge(tonight, h.before(h.placeOf(tonight)), Optional.empty());
    assertEquals(CountDetector.Verdict.REGRESSION, f.get(0).verdict());
    assertTrue(f.get(0).message().contains("+0.2 M instructions/op in libnd4jcpu.so: im2col"), f.get(0).message());
    assertTrue(f.get(0).basis().startsWith("history 20261202T000000Z-aaaa"), f.get(0).basis());
    assertEquals(CountDetector.Verdict.UNCHANGED, f.get(1).verdict(), "cnn +1 % is inside 6 A/A spreads");
    assertEquals(CountDetector.Verdict.FAILED, f.get(2).verdict());
  }

  @Test
  void thePreviousBuildCountedTonightIsPreferredToTheHistory(@TempDir Path dir) throws Exception {
    CountHistory h = new CountHistory(dir);
    h.append(run("aaaa", "2026-12-02T00:00:00Z", List.of(point("mlp", 9e6, 1e6, "ok"))), List.of());
    CountResults previous = run("bbbb", "2026-12-03T00:00:00Z", List.of(point("mlp", 10e6, 1e6, "ok")));
    CountResults tonight = run("cccc", "2026-12-03T01:00:00Z", List.of(point("mlp", 10e6, 1e6, "ok")));
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, aa(), "c1");
    CountDetector.Finding f = d.judge(tonight, h.before(h.placeOf(tonight)), Optional.of(previous)).get(0);
    assertEquals(CountDetector.Verdict.UNCHANGED, f.verdict(), f.message());
    assertEquals("previous build bbbb", f.basis());
    // against the history alone it is 11 % more
    CountDetector.Finding alone = d.judge(tonight, h.before(h.placeOf(tonight)), Optional.empty()).get(0);
    assertEquals(CountDetector.Verdict.REGRESSION, alone.verdict());
  }

  @Test
  void aPointCountedForTheFirstTimeIsNew(@TempDir Path dir) throws Exception {
    CountHistory h = new CountHistory(dir);
    CountResults tonight = run("cccc", "2026-12-03T01:00:00Z", List.of(point("mlp", 10e6, 1e6, "ok")));
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, List.of(), "c1");
    assertEquals(CountDetector.Verdict.NEW, d.judge(tonight, h.before(h.placeOf(tonight)), Optional.empty()).get(0).verdict());
  }

  static CountResults on(String platform, CountResults r) {
    return new CountResults(r.setting().withPlatform(platform), r.points());
  }

  private static final String JDK13 = "JDK Eclipse Adoptium 17.0.13+11; glibc 2.39";
  private static final String JDK14 = "JDK Eclipse Adoptium 17.0.14+7; glibc 2.39";

  /** A runner image's JDK update moved mlp's count 5 %: no build is blamed for it. */
  @Test
  void aCountOnAnotherJdkOrCLibraryIsNoBaseline(@TempDir Path dir) throws Exception {
    CountHistory h = new CountHistory(dir);
    h.append(on(JDK13, run("aaaa", "2026-12-01T00:00:00Z", List.of(point("mlp", 10e6, 1e6, "ok")))), List.of());
    CountResults firstOnJdk14 = on(JDK14, run("bbbb", "2026-12-02T00:00:00Z", List.of(point("mlp", 10.5e6, 1e6, "ok"))));
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, aa(), "c1");
    CountDetector.Finding first = d.judge(firstOnJdk14, h.before(h.placeOf(firstOnJdk14)), Optional.empty()).get(0);
    assertEquals(CountDetector.Verdict.NEW, first.verdict(), first.message());
    assertTrue(first.message().contains("first count on this platform (" + JDK14 + "); the history's are on " + JDK13),
        first.message());
    // the same counts on one platform are a regression
    CountResults sameJdk = on(JDK13, run("bbbb", "2026-12-02T00:00:00Z", List.of(point("mlp", 10.5e6, 1e6, "ok"))));
    assertEquals(CountDetector.Verdict.REGRESSION, d.judge(sameJdk, h.before(h.placeOf(sameJdk)), Optional.empty()).get(0).verdict());
    h.append(firstOnJdk14, List.of(first));
    // a night back on the older JDK (runners of two images) is judged against that JDK's newest night
    CountResults back = on(JDK13, run("cccc", "2026-12-03T00:00:00Z", List.of(point("mlp", 10e6, 1e6, "ok"))));
    CountDetector.Finding f = d.judge(back, h.before(h.placeOf(back)), Optional.empty()).get(0);
    assertEquals(CountDetector.Verdict.UNCHANGED, f.verdict(), f.message());
    assertTrue(f.basis().startsWith("history 20261201T000000Z-aaaa"), f.basis());
  }

  /** Ten nights on one JDK, four 5 % higher on the next: a change point of the platform, not the build. */
  @Test
  void aLevelThatMovedWithThePlatformIsNoChangePoint(@TempDir Path dir) throws Exception {
    for (boolean update : List.of(false, true)) {
      CountHistory h = new CountHistory(dir.resolve(String.valueOf(update)));
      Random r = new Random(5);
      CountResults tonight = null;
      for (int n = 1; n <= 14; n++) {
        double total = (n <= 10 ? 10e6 : 10.5e6) * (1 + 1e-5 * r.nextGaussian());
        tonight = on(update && n > 10 ? JDK14 : JDK13, run("c" + n, String.format("2026-11-%02dT00:00:00Z", n),
            List.of(point("mlp", total, 1e6, "ok"))));
        if (n < 14) {
          h.append(tonight, List.of());
        }
      }
      CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, aa(), "c1");
      List<CountDetector.Finding> found = d.changePoints(tonight, h.placeOf(tonight).id(), h.before(h.placeOf(tonight)),
          List.of(), new ChangePointDetector(ChangePointDetector.Thresholds.DEFAULT));
      assertEquals(update ? 0 : 1, found.size(), (update ? "the JDK update: " : "one JDK: ") + found);
    }
  }

  /** A point whose Java side comes in two states: 10 M native, 10 M or 10.4 M generated code. */
  static CountResults.Point bimodal(double generated, double nativeCount) {
    return new CountResults.Point("inference", "cnn", "samediff", 32, "ok", 1, null,
        List.of(Map.of("Ir", generated + nativeCount)), Map.of("???", generated, "libnd4jcpu.so", nativeCount),
        List.of(new CountResults.FunctionCount("???", "(generated code)", generated),
            new CountResults.FunctionCount("libnd4jcpu.so", "gemm", nativeCount)), 10);
  }

  @Test
  void aPointWhoseJavaSideIsNotRepeatableIsJudgedOnItsNativeSideAlone(@TempDir Path dir) throws Exception {
    List<CountResults.Point> aa = new ArrayList<>();
    for (double g : new double[] {10e6, 10.4e6, 10e6, 10.4e6, 10e6}) {
      aa.add(bimodal(g, 10e6));
    }
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, List.of(run("aa", "2026-12-01T00:00:00Z", aa)),
        "c1");
    assertEquals(0.01, d.threshold("inference/cnn/samediff/32"), 1e-12, "the native side's spread is 0: the 1 % floor");
    CountHistory h = new CountHistory(dir);
    h.append(run("aaaa", "2026-12-02T00:00:00Z", List.of(bimodal(10e6, 10e6))), List.of());
    // the Java side's other state: 2 % more in all, nothing in the native libraries
    CountResults javaState = run("bbbb", "2026-12-03T00:00:00Z", List.of(bimodal(10.4e6, 10e6)));
    assertEquals(CountDetector.Verdict.UNCHANGED, d.judge(javaState, h.before(h.placeOf(javaState)), Optional.empty())
        .get(0).verdict());
    CountResults slowerNative = run("cccc", "2026-12-03T00:00:00Z", List.of(bimodal(10e6, 10.3e6)));
    CountDetector.Finding f = d.judge(slowerNative, h.before(h.placeOf(slowerNative)), Optional.empty()).get(0);
    assertEquals(CountDetector.Verdict.REGRESSION, f.verdict(), f.message());
    assertEquals(0.03, f.change(), 1e-9, "3 % of the native side");
    assertTrue(f.message().contains("on the native libraries' instructions"), f.message());
    // the backstop: a Java-side change beyond all instructions' own limit (6 x their 1.1 % spread)
    CountResults slowerJava = run("dddd", "2026-12-03T00:00:00Z", List.of(bimodal(14e6, 10e6)));
    CountDetector.Finding java = d.judge(slowerJava, h.before(h.placeOf(slowerJava)), Optional.empty()).get(0);
    assertEquals(CountDetector.Verdict.REGRESSION, java.verdict(), java.message());
    assertEquals(0.2, java.change(), 1e-9, "20 % of all instructions");
    assertFalse(java.message().contains("native libraries"), java.message());
  }

  /**
   * A point whose oneDNN kernels come in two states (10 M or 10.4 M), beside 5 M of Java and 5 M of
   * native code, as the digest splits them.
   */
  static CountResults.Point kernelsBimodal(double kernels, double java, double nativeCount) {
    return new CountResults.Point("inference", "cnn", "samediff", 32, "ok", 1, null,
        List.of(Map.of("Ir", kernels + java + nativeCount)), Map.of(CallgrindProfile.NATIVE_KERNELS_OBJECT, kernels, "???",
            java, "libnd4jcpu.so", nativeCount),
        List.of(new CountResults.FunctionCount(CallgrindProfile.NATIVE_KERNELS_OBJECT, "(oneDNN's JIT kernels)", kernels),
            new CountResults.FunctionCount("???", "(generated code)", java),
            new CountResults.FunctionCount("libnd4jcpu.so", "gemm", nativeCount)), 10);
  }

  @Test
  void aPointWhoseKernelsAreNotRepeatableIsJudgedWithoutThemAndSeesItsJavaSide(@TempDir Path dir) throws Exception {
    List<CountResults.Point> aa = new ArrayList<>();
    for (double k : new double[] {10e6, 10.4e6, 10e6, 10.4e6, 10e6}) {
      aa.add(kernelsBimodal(k, 5e6, 5e6));
    }
    CountLimit limits = new CountLimit(CountLimit.MIN_EFFECT, CountLimit.SPREADS, List.of(run("aa", "2026-12-01T00:00:00Z",
        aa)), "c1");
    assertEquals(CountLimit.Basis.WITHOUT_KERNELS, limits.basis("inference/cnn/samediff/32"));
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, List.of(run("aa", "2026-12-01T00:00:00Z", aa)),
        "c1");
    CountHistory h = new CountHistory(dir);
    h.append(run("aaaa", "2026-12-02T00:00:00Z", List.of(kernelsBimodal(10e6, 5e6, 5e6))), List.of());
    CountResults otherKernelState = run("bbbb", "2026-12-03T00:00:00Z", List.of(kernelsBimodal(10.4e6, 5e6, 5e6)));
    assertEquals(CountDetector.Verdict.UNCHANGED, d.judge(otherKernelState, h.before(h.placeOf(otherKernelState)),
        Optional.empty()).get(0).verdict());
    // 1.5 % more Java-side work: 0.75 % of all instructions, 1.5 % of what the point is judged on
    CountResults slowerJava = run("cccc", "2026-12-03T00:00:00Z", List.of(kernelsBimodal(10e6, 5.15e6, 5e6)));
    CountDetector.Finding f = d.judge(slowerJava, h.before(h.placeOf(slowerJava)), Optional.empty()).get(0);
    assertEquals(CountDetector.Verdict.REGRESSION, f.verdict(), f.message());
    assertEquals(0.015, f.change(), 1e-9);
    assertTrue(f.message().contains("on all but the native libraries' JIT kernels"), f.message());
    assertTrue(f.message().contains("instructions/op in ???: (generated code)"), f.message());
  }

  /**
   * SameDiff's mlp inference is counted under malloc=mapped (CountingRuntime): the history's counts
   * of it from before, under the base's malloc=retain, are no baseline, and tonight's is the first
   * of its runtime, not a change of the build.
   */
  @Test
  void aCountUnderAnotherRuntimeIsNoBaseline(@TempDir Path dir) throws Exception {
    CountHistory h = new CountHistory(dir);
    CountResults.Point retain = new CountResults.Point("inference", "mlp", "samediff", 32, "ok", 1, null,
        List.of(Map.of("Ir", 3.386e6)), Map.of("libnd4jcpu.so", 3.386e6), List.of(), 10);
    h.append(run("aaaa", "2026-12-02T00:00:00Z", List.of(retain)), List.of());
    CountResults tonight = run("bbbb", "2026-12-03T00:00:00Z", List.of(retain.withRuntimeOverrides("malloc=mapped")));
    CountDetector d = new CountDetector(CountDetector.Thresholds.DEFAULT, List.of(), "c1");
    CountDetector.Finding f = d.judge(tonight, h.before(h.placeOf(tonight)), Optional.empty()).get(0);
    assertEquals(CountDetector.Verdict.NEW, f.verdict(), f.message());
    assertTrue(f.message().endsWith("under runtime overrides malloc=mapped"), f.message());
    // nor is the previous build's, counted tonight under the old runtime
    assertEquals(CountDetector.Verdict.NEW, d.judge(tonight, List.of(), Optional.of(run("aaaa", "2026-12-03T00:00:00Z",
        List.of(retain)))).get(0).verdict());
  }

  @Test
  void thresholdsThatCallEveryCountOrNoneAreRefused() {
    // a negative effect or zero spreads would call every count a change; NaN or infinity none
    double[][] bad = {{-0.01, 6}, {0.01, 0}, {0.01, -6}, {Double.NaN, 6}, {0.01, Double.POSITIVE_INFINITY}, {1, 6}};
    for (double[] t : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new CountDetector.Thresholds(t[0], t[1]));
      assertTrue(e.getMessage().contains("--min-effect " + t[0] + ", --spreads " + t[1]), e.getMessage());
    }
    assertEquals(0.0, new CountDetector.Thresholds(0, 1).minEffect()); // no floor: the spreads alone
  }
}
