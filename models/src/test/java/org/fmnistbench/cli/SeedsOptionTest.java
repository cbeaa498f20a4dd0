package org.fmnistbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code suite record --seeds}: a range or a list of distinct seeds, refused by name otherwise. */
class SeedsOptionTest {
  private static String refusal(String spec) {
    return assertThrows(IllegalArgumentException.class, () -> SuiteCommand.Record.parseSeeds(spec)).getMessage();
  }

  @Test
  void rangesAndListsAreRead() {
    assertArrayEquals(new long[] {1, 2, 3, 4, 5}, SuiteCommand.Record.parseSeeds("1-5"));
    assertArrayEquals(new long[] {7}, SuiteCommand.Record.parseSeeds("7-7"));
    assertArrayEquals(new long[] {1, 2, 7}, SuiteCommand.Record.parseSeeds("1, 2,7"));
  }

  @Test
  void malformedSpecsAreRefusedNamingThem() {
    for (String spec : new String[] {"5-1", "1-3,2", "1,,2", "", "a"}) {
      String message = refusal(spec);
      assertTrue(message.startsWith("--seeds takes a range like 1-5") && message.contains("'" + spec + "'"), message);
    }
  }

  @Test
  void aSeedNamedTwiceIsRefused() {
    // the second run of seed 1 would replace the first's row in accuracy.csv
    assertTrue(refusal("1,2,1").contains("names seed 1 twice"), refusal("1,2,1"));
  }

  @Test
  void aRangeTooLargeIsRefusedBeforeItIsBuilt() {
    int max = SuiteCommand.Record.MAX_SEEDS;
    assertTrue(SuiteCommand.Record.parseSeeds("1-" + max).length == max);
    assertTrue(refusal("1-" + (max + 1)).contains("at most " + max));
    assertTrue(refusal("1-9000000000000000000").contains("at most " + max)); // would fill any heap
  }
}
