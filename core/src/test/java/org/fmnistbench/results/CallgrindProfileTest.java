package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Callgrind reader on dumps that Callgrind 3.19 itself wrote for {@code loop.c} (beside the
 * fixtures): once with its default name and position compression, once uncompressed with
 * instruction positions and the cache simulation. The program is deterministic, so both runs
 * executed the same instructions. And on one counted inference batch of SameDiff's mlp from each of
 * two processes of one A/A run ({@code BenchDriver count}, run 20261206T001133Z-ab4b871fd992, its
 * points p1 and p3), whose totals differ by more than 1 %.
 */
class CallgrindProfileTest {
  private static CallgrindProfile fixture(String name) throws IOException, URISyntaxException {
    return CallgrindProfile.read(Path.of(CallgrindProfileTest.class.getResource("/callgrind/" + name).toURI()));
  }

  @Test
  void selfCostsAddUpToTheTotalsCallgrindWrote() throws Exception {
    for (String name : new String[] {"loop-compressed.out.gz", "loop-plain-cachesim.out.gz"}) {
      CallgrindProfile p = fixture(name);
      for (String event : p.events()) {
        long sum = p.selfCost().values().stream().mapToLong(c -> c[p.events().indexOf(event)]).sum();
        assertEquals(p.total(event), sum, name + ": self costs of " + event + " against the file's totals line");
      }
    }
  }

  @Test
  void compressedAndPlainDumpsOfTheSameRunGiveTheSameFunctions() throws Exception {
    CallgrindProfile compressed = fixture("loop-compressed.out.gz");
    CallgrindProfile plain = fixture("loop-plain-cachesim.out.gz");
    Map<CallgrindProfile.Function, long[]> a = compressed.selfCost();
    assertEquals(a.keySet(), plain.selfCost().keySet());
    a.forEach((f, cost) -> assertEquals(cost[0], plain.selfCost().get(f)[0], "Ir of " + f));
    assertEquals(compressed.total("Ir"), plain.total("Ir"));
  }

  @Test
  void theLoopCarriesItsOwnInstructionsAndMainOnlyItsOwn() throws Exception {
    CallgrindProfile p = fixture("loop-compressed.out.gz");
    long loop = p.selfCost().get(new CallgrindProfile.Function("loop", "loop"))[0];
    long main = p.selfCost().get(new CallgrindProfile.Function("loop", "main"))[0];
    // 100,000 iterations of at least 3 instructions (add, compare, branch) in loop itself
    assertTrue(loop >= 300_000 && loop < 1_000_000, "loop's self Ir " + loop);
    // main's calls (loop, printf) are inclusive costs of the callees: not main's own
    assertTrue(main < 100, "main's self Ir " + main + " must not include the call to loop");
    assertTrue(p.byObject("Ir").get("loop") >= loop);
  }

  @Test
  void theCacheSimulationsEventsAreRead() throws Exception {
    CallgrindProfile p = fixture("loop-plain-cachesim.out.gz");
    assertTrue(p.has("DLmr") && p.total("D1mr") > 0 && p.total("Dr") > p.total("D1mr"));
    assertThrows(IllegalArgumentException.class, () -> fixture("loop-compressed.out.gz").total("D1mr"));
  }

  @Test
  void aFileThatIsNotCallgrindsIsRefusedWithItsName() {
    IOException e = assertThrows(IOException.class,
        () -> CallgrindProfile.parse(new BufferedReader(new StringReader("hello\n")), "notes.txt"));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    IOException bad = assertThrows(IOException.class, () -> CallgrindProfile.parse(
        new BufferedReader(new StringReader("events: Ir\nfn=f\n0 12x\n")), "broken.out"));
    assertTrue(bad.getMessage().contains("broken.out:3"), bad.getMessage());
  }

  @Test
  void twoProcessesOfOnePointDifferInOneDnnsKernelsAloneWhichTheCallersTellApart() throws Exception {
    CallgrindProfile a = fixture("samediff-mlp-inference-a.out.gz");
    CallgrindProfile b = fixture("samediff-mlp-inference-b.out.gz");
    assertTrue(a.total("Ir") > 1.01 * b.total("Ir"), a.total("Ir") + " against " + b.total("Ir"));
    Map<String, Long> ka = a.byObject("Ir");
    Map<String, Long> kb = b.byObject("Ir");
    long kernelsA = ka.get(CallgrindProfile.NATIVE_KERNELS_OBJECT);
    long kernelsB = kb.get(CallgrindProfile.NATIVE_KERNELS_OBJECT);
    // the kernels differ by about the whole difference; the rest agrees within 0.1 %
    assertEquals(a.total("Ir") - b.total("Ir"), kernelsA - kernelsB, 0.1 * (a.total("Ir") - b.total("Ir")));
    long restA = a.total("Ir") - kernelsA;
    long restB = b.total("Ir") - kernelsB;
    assertEquals(restA, restB, 1e-3 * restA);
    // Java's generated code stays "???", and is most of the rest
    assertTrue(ka.get(CallgrindProfile.UNKNOWN_OBJECT) > restA / 2, ka.toString());
    // what is left of the native libraries is their own named code
    assertTrue(a.selfCost().keySet().stream().anyMatch(f -> f.object().equals("libnd4jcpu.so")
        && f.name().contains("sgemm_nocopy_driver")));
  }
}
