package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

class SeedComparisonTest {
  @Test
  void withThreeSeedsASideOnlyRangesApartReachFivePercent() {
    SeedComparison apart = new SeedComparison(new double[] {0.910, 0.912, 0.915}, new double[] {0.920, 0.925, 0.926});
    assertEquals(1.0 / 20, apart.permutationP(true), 1e-12, "1 of the C(6,3) = 20 splits is as extreme");
    assertEquals(1.0, apart.permutationP(false), 1e-12);
    SeedComparison overlap = new SeedComparison(new double[] {0.910, 0.921, 0.915}, new double[] {0.920, 0.925, 0.926});
    assertTrue(overlap.permutationP(true) > 0.05, "one seed crosses: " + overlap.permutationP(true));
  }

  @Test
  void moreSeedsLetASmallerShiftThroughWhereRangesApartWouldNot() {
    // ten seeds a side, one overlapping pair: ranges are not apart, the mean difference is clear
    double[] before = {0.910, 0.911, 0.912, 0.913, 0.914, 0.915, 0.916, 0.917, 0.918, 0.925};
    double[] after = Arrays.stream(before).map(x -> x + 0.006).toArray();
    after[0] = 0.912;
    assertTrue(new SeedComparison(before, after).permutationP(true) < 0.05);
  }

  @Test
  void theWelchBoundIsWhereCommonsMathsWelchTestRejectsAtOneSidedFivePercent() {
    double[] before = {0.9200, 0.9210, 0.9225};
    double[] after = {0.9240, 0.9260, 0.9300, 0.9270};
    SeedComparison c = new SeedComparison(before, after);
    double u = c.upper();
    double l = c.lower();
    // shifting after by the bound leaves a difference that Welch's two-sided test rejects at exactly 10 %
    assertEquals(0.10, new TTest().tTest(Arrays.stream(after).map(x -> x - u).toArray(), before), 1e-9);
    assertEquals(0.10, new TTest().tTest(Arrays.stream(after).map(x -> x - l).toArray(), before), 1e-9);
    assertTrue(l < c.difference() && c.difference() < u);
  }

  @Test
  void seedsNeededGrowAsTheEffectShrinks() {
    SeedComparison c = new SeedComparison(new double[] {0.920, 0.922, 0.924}, new double[] {0.921, 0.923, 0.925});
    assertTrue(c.seedsFor(0.001) > c.seedsFor(0.004), c.seedsFor(0.001) + " vs " + c.seedsFor(0.004));
    assertEquals(0, c.seedsFor(-0.001));
    // sd 0.002: 2 (2.486 x 0.002 / 0.002)^2 = 12.4, so 13 plus one
    assertEquals(14, c.seedsFor(0.002));
  }
}
