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
 * executed the same instructions.
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
}
