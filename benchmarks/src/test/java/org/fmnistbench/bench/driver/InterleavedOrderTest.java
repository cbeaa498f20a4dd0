package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The interleaved comparison's order of rounds: balanced between the builds, repeatable from its seed, fresh otherwise. */
class InterleavedOrderTest {
  private static long baselineFirst(List<String> order) {
    return order.stream().filter(o -> o.startsWith("baseline,")).count();
  }

  @Test
  void eachBuildGoesFirstInHalfTheRounds() {
    for (long seed = 0; seed < 200; seed++) {
      for (int rounds : new int[] {1, 2, 7, 16, 18}) {
        List<String> order = Interleaved.balancedOrder(rounds, seed);
        assertEquals(rounds, order.size());
        long first = baselineFirst(order);
        assertTrue(first == rounds / 2 || first == (rounds + 1) / 2, rounds + " rounds, seed " + seed + ": " + order);
        assertTrue(order.stream().allMatch(o -> o.equals("baseline,candidate") || o.equals("candidate,baseline")));
      }
    }
  }

  @Test
  void theSameSeedRepeatsTheOrderAndOtherSeedsVaryIt() {
    assertEquals(Interleaved.balancedOrder(16, 42), Interleaved.balancedOrder(16, 42));
    Set<List<String>> seen = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      seen.add(Interleaved.balancedOrder(16, seed));
    }
    assertTrue(seen.size() > 15, seen.size() + " distinct orders of 20");
    // with an odd count, the extra first place goes to either build, by the seed
    Set<Long> odd = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      odd.add(baselineFirst(Interleaved.balancedOrder(7, seed)));
    }
    assertEquals(Set.of(3L, 4L), odd);
    assertNotEquals(Interleaved.balancedOrder(16, 1), Interleaved.balancedOrder(16, 2));
  }
}
