package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.stats.PairedRatio;
import org.junit.jupiter.api.Test;

/**
 * What the interleaved comparison catches and what it raises, measured rather than predicted.
 * Power: the sentinels' recorded rounds (three comparisons of these machines, each centred on
 * its own mean so that only the round-to-round spread is kept) are resampled into nights of
 * {@code Nightly.SENTINEL_ROUNDS} rounds, a 10 % slowdown is put into every round, and the
 * comparison's own test (a paired ratio per point, Holm over the points, 2.5 % a direction)
 * decides. False alarms: simulated nights of unchanged code whose forks fall into two states
 * or carry heavy-tailed noise, judged the same way.
 */
class InterleavedPowerTest {
  private static final Path[] RECORDED = {Path.of("src/test/resources/interleaved/aa"),
      Path.of("src/test/resources/interleaved/unchanged-nightly"), Path.of("src/test/resources/interleaved/slowdown10")};

  /** The share of nights on which each point is called slower: per-round log ratios in, Holm over the points. */
  private static boolean[] calledSlower(List<double[]> logRatios) {
    double[] p = new double[logRatios.size()];
    for (int i = 0; i < p.length; i++) {
      double[] lr = logRatios.get(i);
      double[] base = new double[lr.length];
      double[] cand = new double[lr.length];
      for (int r = 0; r < lr.length; r++) {
        base[r] = 1;
        cand[r] = Math.exp(lr[r]);
      }
      p[i] = PairedRatio.of(base, cand, 0.95).pSlower();
    }
    return PairedRatio.holm(p, 0.05 / 2);
  }

  @Test
  void theSentinelsRecordedRoundsCatchTenPercentSlowdownsNineTimesInTen() throws Exception {
    List<List<Double>> pooled = new ArrayList<>();
    for (String sentinel : Nightly.DEFAULT_SENTINELS) {
      List<Double> rounds = new ArrayList<>();
      for (Path dir : RECORDED) {
        double[] lr = InterleavedResults.roundLogRatios(dir, InterleavedResults.DEFAULT_CANARY).get(sentinel);
        double mean = Arrays.stream(lr).average().orElseThrow();
        for (double v : lr) {
          rounds.add(v - mean);
        }
      }
      assertTrue(rounds.size() >= 30, sentinel + ": " + rounds.size() + " recorded rounds");
      pooled.add(rounds);
    }
    SplittableRandom random = new SplittableRandom(10);
    int nights = 4000;
    int[] caught = new int[pooled.size()];
    for (int n = 0; n < nights; n++) {
      List<double[]> night = new ArrayList<>();
      for (List<Double> rounds : pooled) {
        double[] lr = new double[Nightly.SENTINEL_ROUNDS];
        for (int r = 0; r < lr.length; r++) {
          lr[r] = rounds.get(random.nextInt(rounds.size())) + Math.log(1.10);
        }
        night.add(lr);
      }
      boolean[] slower = calledSlower(night);
      for (int i = 0; i < slower.length; i++) {
        caught[i] += slower[i] ? 1 : 0;
      }
    }
    for (int i = 0; i < caught.length; i++) {
      double rate = (double) caught[i] / nights;
      System.out.printf(Locale.ROOT, "power: %s, %d rounds: %.3f%n", Nightly.DEFAULT_SENTINELS.get(i),
          Nightly.SENTINEL_ROUNDS, rate);
      assertTrue(rate >= 0.9, Nightly.DEFAULT_SENTINELS.get(i) + ": " + Nightly.SENTINEL_ROUNDS
          + " resampled recorded rounds caught a 10 % slowdown on " + rate + " of nights");
    }
  }

  @Test
  void unchangedCodeWithTwoStateOrHeavyTailedForksRaisesFewFalseAlarms() {
    SplittableRandom random = new SplittableRandom(5);
    TDistribution heavy = new TDistribution(
        new Well19937c(5), 3);
    for (int rounds : new int[] {8, Nightly.SENTINEL_ROUNDS}) {
      for (String forks : List.of("two-state", "heavy-tailed")) {
        int nights = 4000;
        int alarms = 0;
        for (int n = 0; n < nights; n++) {
          List<double[]> night = new ArrayList<>();
          for (int point = 0; point < 4; point++) {
            double[] lr = new double[rounds];
            for (int r = 0; r < rounds; r++) {
              // one fork per build a round; the round's machine state is shared, the fork's own is not
              double a = forks.equals("two-state") ? (random.nextDouble() < 0.3 ? Math.log(1.5) : 0) + 0.03 * random.nextGaussian()
                  : 0.05 * heavy.sample();
              double b = forks.equals("two-state") ? (random.nextDouble() < 0.3 ? Math.log(1.5) : 0) + 0.03 * random.nextGaussian()
                  : 0.05 * heavy.sample();
              lr[r] = b - a;
            }
            night.add(lr);
          }
          boolean any = false;
          for (boolean s : calledSlower(night)) {
            any |= s;
          }
          alarms += any ? 1 : 0;
        }
        double rate = (double) alarms / nights;
        System.out.printf(Locale.ROOT, "false alarms: %s forks, %d rounds: %.4f%n", forks, rounds, rate);
        // Holm at 2.5 % for "slower" over 4 points: at most 2.5 % of nights, plus the Monte Carlo error (3 sd, 0.7 %)
        assertTrue(rate <= 0.025 + 0.007, forks + " forks, " + rounds + " rounds: a false 'slower' on " + rate + " of nights");
      }
    }
  }

  @Test
  void theResampledRoundsAreTheRecordedOnes() throws Exception {
    Map<String, double[]> lr = InterleavedResults.roundLogRatios(RECORDED[2], InterleavedResults.DEFAULT_CANARY);
    for (String sentinel : Nightly.DEFAULT_SENTINELS) {
      double mean = Arrays.stream(lr.get(sentinel)).average().orElseThrow();
      double ratio = InterleavedResults.byKey(InterleavedResults.analyse(RECORDED[2])).get(sentinel).ratio().ratio();
      assertTrue(Math.abs(Math.exp(mean) - ratio) < 1e-9, sentinel + ": geometric mean " + Math.exp(mean) + " against " + ratio);
    }
  }
}
