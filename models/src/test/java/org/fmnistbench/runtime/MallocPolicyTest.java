package org.fmnistbench.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MallocPolicyTest {
  private static final CpuFeatures AVX2 = new CpuFeatures("zen2", Set.of("avx", "avx2", "fma"));

  @Test
  void theDefaultRetainsAndStockKeepsGlibcsOwn() {
    assertEquals(MallocPolicy.RETAIN, RuntimeConfig.DEFAULT.malloc());
    assertEquals(MallocPolicy.GLIBC, RuntimeConfig.STOCK.malloc());
    RuntimeConfig glibc = RuntimeConfig.parse("default,malloc=glibc");
    assertEquals("default,malloc=glibc", glibc.id());
    assertEquals(glibc, RuntimeConfig.parse(glibc.id()));
    assertEquals("stock,malloc=retain", RuntimeConfig.parse("stock,malloc=retain").id());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.parse("default,malloc=jemalloc"))
        .getMessage().contains("malloc=jemalloc: glibc, retain, mapped"));
  }

  @Test
  void aLauncherSetsThePolicysVariablesAndClearsAnothers() {
    Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin"));
    RuntimeConfig.parse("default,omp.wait=passive").applyTo(env);
    assertEquals("0", env.get("MALLOC_MMAP_MAX_"));
    assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"));
    assertEquals(MallocPolicy.RETAIN, MallocPolicy.inEffect(env));
    RuntimeConfig.STOCK.applyTo(env);
    assertFalse(env.containsKey("MALLOC_MMAP_MAX_"), "stock under a retaining launcher must not inherit it: " + env);
    assertEquals("/usr/bin", env.get("PATH"));
    assertEquals(MallocPolicy.GLIBC, MallocPolicy.inEffect(env));
  }

  @Test
  void theMappedPolicyFixesGlibcsThresholdInPlaceOfRetainsVariables() {
    RuntimeConfig mapped = RuntimeConfig.parse("default,malloc=mapped");
    assertEquals("default,malloc=mapped", mapped.id());
    assertEquals(MallocPolicy.MAPPED, mapped.malloc());
    Map<String, String> env = new HashMap<>();
    RuntimeConfig.DEFAULT.applyTo(env);
    mapped.applyTo(env);
    assertEquals(Map.of("MALLOC_MMAP_THRESHOLD_", "65536"), env, "retain's variables would turn mapping off altogether");
    assertEquals(MallocPolicy.MAPPED, MallocPolicy.inEffect(env));
    assertTrue(mapped.describe(AVX2, env).endsWith(",malloc=mapped"), mapped.describe(AVX2, env));
    env.putAll(MallocPolicy.RETAIN.variables());
    assertEquals(MallocPolicy.GLIBC, MallocPolicy.inEffect(env), "both policies' variables at once are neither policy");
  }

  @Test
  void metadataClaimsThePolicyOnlyWhereTheProcessRunsIt() {
    Map<String, String> retained = new LinkedHashMap<>();
    RuntimeConfig.DEFAULT.applyTo(retained);
    assertTrue(RuntimeConfig.DEFAULT.describe(AVX2, retained).endsWith(",malloc=retain"));
    assertFalse(RuntimeConfig.DEFAULT.describe(AVX2, Map.of()).contains("malloc"),
        "a JVM started without the variables (the gate's, a plain java -jar) runs glibc's own allocator");
    retained.put("MALLOC_TOP_PAD_", "1");
    assertEquals(MallocPolicy.GLIBC, MallocPolicy.inEffect(retained), "a partial or different setting is not the policy");
  }

  /** ./suite exports the variables itself (glibc reads them before Java could set them). */
  @Test
  void theSuiteScriptExportsTheRetainPolicy() throws IOException {
    String script = Files.readString(Path.of("..", "suite"));
    Matcher export = Pattern.compile("(?m)^export (MALLOC_.*)$").matcher(script);
    assertTrue(export.find(), "./suite exports no MALLOC_ variables");
    Map<String, String> exported = new HashMap<>();
    for (String assignment : export.group(1).trim().split("\\s+")) {
      String[] kv = assignment.split("=", 2);
      exported.put(kv[0], kv[1]);
    }
    assertEquals(MallocPolicy.RETAIN.variables(), exported);
  }

  /** The gate's JVM (failsafe) gets them from models/pom.xml. */
  @Test
  void theGatesJvmGetsTheRetainPolicy() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    MallocPolicy.RETAIN.variables().forEach((name, value) ->
        assertTrue(pom.contains("<" + name + ">" + value + "</" + name + ">"), "models/pom.xml's failsafe sets no " + name + "=" + value));
  }
}
