package org.fmnistbench.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The interleaved comparison's statistic: against hand-computed values, by simulation of its
 * promise (drift shared by a round cancels, a 95 % interval covers the true ratio about 95 % of
 * the time), and Holm's procedure against its textbook steps.
 */
class PairedRatioTest {

  @Test
  void geometricMeanRatioWithATIntervalOverRounds() {
    // log ratios ln(1.1), ln(1.2), ln(1.0): mean 0.09116, sd 0.09116 (by hand), t(2, 0.975) = 4.3027
    PairedRatio r = PairedRatio.of(new double[] {100, 100, 100}, new double[] {110, 120, 100}, 0.95);
    double mean = (Math.log(1.1) + Math.log(1.2)) / 3;
    assertEquals(Math.exp(mean), r.ratio(), 1e-12);
    double sd = Math.sqrt((Math.pow(Math.log(1.1) - mean, 2) + Math.pow(Math.log(1.2) - mean, 2) + mean * mean) / 2);
    assertEquals(sd, r.logSd(), 1e-12);
    assertEquals(Math.exp(mean - 4.302652729911275 * sd / Math.sqrt(3)), r.low(), 1e-9);
    assertEquals(Math.exp(mean + 4.302652729911275 * sd / Math.sqrt(3)), r.high(), 1e-9);
    assertEquals(1, r.pSlower() + r.pFaster(), 1e-12);
    assertTrue(r.pSlower() < 0.5);
  }

  @Test
  void driftSharedByARoundCancels() {
    // the machine doubles its speed between rounds; the candidate is 5 % slower within each
    double[] base = {100, 200, 50, 400};
    double[] cand = {105, 210, 52.5, 420};
    PairedRatio r = PairedRatio.of(base, cand, 0.95);
    assertEquals(1.05, r.ratio(), 1e-12);
    assertEquals(0, r.pSlower(), 0);
  }

  /**
   * Coverage by simulation, at 3 rounds, where the degrees of freedom matter: t on 2 covers 95 %,
   * t on 3 (n instead of n - 1) would cover about 91 %; 10,000 trials hold the estimate within
   * 0.7 % (3 sd), so the tolerance tells the two apart.
   */
  @Test
  void coversTheTrueRatioAbout95PercentOfTheTime() {
    Random random = new Random(7);
    int covered = 0;
    int trials = 10_000;
    for (int t = 0; t < trials; t++) {
      double[] b = new double[3];
      double[] c = new double[3];
      for (int i = 0; i < b.length; i++) {
        double round = Math.exp(0.3 * random.nextGaussian()); // drift between rounds, far larger than the noise
        b[i] = 1000 * round * Math.exp(0.05 * random.nextGaussian());
        c[i] = 1100 * round * Math.exp(0.05 * random.nextGaussian());
      }
      PairedRatio r = PairedRatio.of(b, c, 0.95);
      if (r.low() <= 1.1 && 1.1 <= r.high()) {
        covered++;
      }
    }
    assertEquals(0.95, covered / (double) trials, 0.007);
  }

  @Test
  void roundsForTheWantedPower() {
    PairedRatio r = new PairedRatio(1, 0.9, 1.1, 0.95, 0.5, 0.5, 0.05, 8);
    // (z(0.95) + z(0.9)) * 0.05 / ln 1.1 = (1.6449 + 1.2816) * 0.05 / 0.09531 = 1.535 -> squared 2.36 -> 3
    assertEquals(3, r.roundsFor(1.10, 0.05, 0.9));
  }

  @Test
  void holmStepsDown() {
    // alpha 0.05 over 4: 0.01 <= 0.0125 rejected, 0.02 <= 0.0167 fails, so it and everything after stands
    assertArrayEquals(new boolean[] {false, true, false, false},
        PairedRatio.holm(new double[] {0.02, 0.01, 0.03, 0.5}, 0.05));
    assertArrayEquals(new boolean[] {true, true, true}, PairedRatio.holm(new double[] {0.001, 0.02, 0.04}, 0.05));
    assertArrayEquals(new boolean[] {false, true}, PairedRatio.holm(new double[] {Double.NaN, 0.01}, 0.05));
  }

  @Test
  void refusesUnpairedOrNonPositiveFigures() {
    assertThrows(IllegalArgumentException.class, () -> PairedRatio.of(new double[] {1, 2}, new double[] {1}, 0.95));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PairedRatio.of(new double[] {1, 0}, new double[] {1, 1}, 0.95));
    assertTrue(e.getMessage().contains("round 2"), e.getMessage());
  }
}
