package org.fmnistbench.bench.count;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.CountingRuntime;
import org.fmnistbench.runtime.MallocPolicy;
import org.junit.jupiter.api.Test;

/** Each point's counting runtime: what a counted JVM runs under, and how a point records it. */
class CountSettingTest {
  @Test
  void thePlatformNamesThisJdkAndItsCLibrary() throws Exception {
    String platform = CountSetting.platform();
    assertTrue(platform.startsWith("JDK " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
        + "; "), platform);
    // Debian's C library, or where getconf cannot tell (another libc), saying so
    assertTrue(platform.matches(".*; (glibc [0-9][0-9.]*|C library unknown)"), platform);
  }

  @Test
  void eachPointsOverridesAreSpelledAsRuntimeConfigSpellsThemSoThatARecordedPointComparesEqual() {
    CountingRuntime.all().forEach((point, overrides) -> assertEquals(overrides,
        CountSetting.overridesOf(CountSetting.runtimeWith(overrides)), point));
  }

  @Test
  void sameDiffsMlpInferenceAloneIsCountedUnderMappedMallocAndARunsOverridesGoOnTop() {
    assertEquals(MallocPolicy.MAPPED, CountSetting.runtimeFor("inference/mlp/samediff/32", "").malloc());
    assertEquals(MallocPolicy.RETAIN, CountSetting.runtimeFor("inference/mlp/layer-api/32", "").malloc());
    assertEquals(MallocPolicy.RETAIN, CountSetting.runtimeFor("trainStep/mlp/samediff/32", "").malloc());
    assertEquals(CountSetting.RUNTIME, CountSetting.runtimeFor("trainStep/cnn/layer-api/32", ""));
    assertEquals(MallocPolicy.GLIBC, CountSetting.runtimeFor("inference/mlp/samediff/32", "malloc=glibc").malloc());
    assertEquals("malloc=mapped,omp.threads=2",
        CountSetting.overridesOf(CountSetting.runtimeFor("inference/mlp/samediff/32", "omp.threads=2")));
  }

  @Test
  void aChangeIsNamedAgainstThePointsOwnCountingRuntime() {
    CountResults.Point p = new CountResults.Point("inference", "mlp", "samediff", 32, "ok", 1, null,
        List.of(Map.of("Ir", 1.0)), Map.of(), List.of(), 1);
    assertEquals("", CountSetting.changeOf(p.withRuntimeOverrides("malloc=mapped")));
    assertEquals("malloc=retain", CountSetting.changeOf(p.withRuntimeOverrides("")));
    assertEquals("malloc=mapped", CountSetting.changeOf("inference/mlp/layer-api/32", "malloc=mapped"));
    assertEquals("", CountSetting.changeOf("inference/mlp/layer-api/32", ""));
  }
}
