package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fmnistbench.stats.MeanInterval;
import org.junit.jupiter.api.Test;

/** A figure's interval as the tables print it: a number while it says something, words once it is wider than ±20 %. */
class IntervalWordsTest {
  @Test
  void aWideIntervalIsSaidInWordsNotAsAPercentage() {
    assertEquals("2,668.1 ± 41.2 (1.5 %)", ResultTable.withInterval(new MeanInterval(2668.1, 2660, 2626.9, 2709.3, 0.95, 3)));
    assertEquals("18.0 (its 3 forks cannot tell ±20 % apart)",
        ResultTable.withInterval(new MeanInterval(18.0, 14.8, 0.3, 35.7, 0.95, 3)));
    assertEquals("18.0 (1 fork: no interval)", ResultTable.withInterval(new MeanInterval(18.0, 18.0, Double.NaN, Double.NaN, 0.95, 1)));
  }
}
