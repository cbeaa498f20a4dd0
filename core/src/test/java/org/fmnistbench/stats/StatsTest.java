package org.fmnistbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * The interval, ratio and variance-component arithmetic, checked against hand-computed values
 * and, where it makes a probabilistic promise, by simulation: a 95 % interval must cover the
 * truth about 95 % of the time, and the components must recover the variances they were
 * simulated with.
 */
class StatsTest {

  /** Simulated runs: run effect sd t3, fork effect sd t2, iteration noise sd t1, around mean. */
  static List<ForkSamples> simulate(Random r, double mean, double t1, double t2, double t3, int runs, int forks, int iterations) {
    List<ForkSamples> out = new ArrayList<>();
    for (int k = 0; k < runs; k++) {
      double run = mean + t3 * r.nextGaussian();
      List<double[]> fs = new ArrayList<>();
      for (int f = 0; f < forks; f++) {
        double fork = run + t2 * r.nextGaussian();
        double[] it = new double[iterations];
        for (int i = 0; i < iterations; i++) {
          it[i] = fork + t1 * r.nextGaussian();
        }
        fs.add(it);
      }
      out.add(new ForkSamples(fs));
    }
    return out;
  }

  @Test
  void theIntervalIsStudentsTOverForkMeans() {
    // fork means 10, 12, 14: mean 12, sd 2, t(0.975, 2) = 4.303
    ForkSamples s = new ForkSamples(List.of(new double[] {9, 11}, new double[] {12, 12}, new double[] {13, 15}));
    MeanInterval ci = s.interval();
    assertEquals(12, ci.mean(), 1e-12);
    assertEquals(12, ci.median(), 1e-12);
    assertEquals(4.303 * 2 / Math.sqrt(3), ci.halfWidth(), 1e-3);
    assertEquals(3, ci.forks());
  }

  @Test
  void oneForkGivesNoInterval() {
    MeanInterval ci = new ForkSamples(List.of(new double[] {1, 2, 3})).interval();
    assertEquals(2, ci.mean(), 1e-12);
    assertTrue(Double.isNaN(ci.low()) && Double.isNaN(ci.halfWidth()), "no between-JVM information, no interval");
    assertFalse(ci.contains(2));
  }

  /** The share of {@code n} simulated trials that come out true. */
  static double rate(int n, BooleanSupplier trial) {
    int hits = 0;
    for (int i = 0; i < n; i++) {
      hits += trial.getAsBoolean() ? 1 : 0;
    }
    return (double) hits / n;
  }

  @Test
  void theIntervalCoversTheTrueMeanAbout95PercentOfTheTime() {
    Random r = new Random(1);
    // iterations are correlated within a fork (a fork effect): pooled iterations would undercover
    double coverage = rate(4000, () -> simulate(r, 100, 3, 2, 0, 1, 4, 5).get(0).interval().contains(100));
    assertTrue(coverage > 0.935 && coverage < 0.965, "coverage " + coverage);
  }

  @Test
  void theRatioIntervalCoversTheTrueRatioAbout95PercentOfTheTime() {
    Random r = new Random(2);
    double coverage = rate(4000, () -> {
      RatioInterval ri = RatioInterval.of(simulate(r, 90, 2, 3, 0, 1, 5, 4).get(0), simulate(r, 100, 2, 3, 0, 1, 5, 4).get(0), 0.95);
      return ri.low() <= 0.9 && 0.9 <= ri.high();
    });
    assertTrue(coverage > 0.93 && coverage < 0.97, "coverage " + coverage);
  }

  @Test
  void aRatioIsCalledDifferentOnlyWhenItsIntervalExcludesOne() {
    ForkSamples a = new ForkSamples(List.of(new double[] {80, 81}, new double[] {82, 83}, new double[] {81, 80}));
    ForkSamples b = new ForkSamples(List.of(new double[] {100, 101}, new double[] {99, 100}, new double[] {101, 102}));
    RatioInterval clear = RatioInterval.of(a, b, 0.95);
    assertTrue(clear.excludesOne() && clear.high() < 1, clear.format());
    assertTrue(clear.format().endsWith(" *"), clear.format());
    ForkSamples noisy = new ForkSamples(List.of(new double[] {60}, new double[] {100}, new double[] {140}));
    RatioInterval unclear = RatioInterval.of(noisy, b, 0.95);
    assertFalse(unclear.excludesOne(), unclear.format());
    assertTrue(Double.isNaN(RatioInterval.of(new ForkSamples(List.of(new double[] {1})), b, 0.95).low()), "one fork: no interval");
  }

  /** Times are positive: a numerator too noisy to bound from below gets 0, not a negative bound. */
  @Test
  void aRatioOfTimesIsNeverBoundedBelowZero() {
    ForkSamples wild = new ForkSamples(List.of(new double[] {5}, new double[] {20}, new double[] {300}));
    ForkSamples b = new ForkSamples(List.of(new double[] {100}, new double[] {101}, new double[] {99}));
    RatioInterval ri = RatioInterval.of(wild, b, 0.95);
    assertEquals(0, ri.low(), ri.format());
    assertTrue(ri.high() > ri.ratio() && ri.format().startsWith("1.08 [0.00-"), ri.format());
  }

  @Test
  void theComponentsRecoverTheSimulatedVariances() {
    Random r = new Random(3);
    // averaged over many experiments, the estimates are unbiased (up to clamping at zero)
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int n = 400;
    for (int i = 0; i < n; i++) {
      VarianceComponents c = VarianceComponents.estimate(simulate(r, 1000, 30, 20, 10, 10, 4, 5));
      s1 += c.t1() / n;
      s2 += c.t2() / n;
      s3 += c.t3() / n;
    }
    assertEquals(900, s1, 900 * 0.05);
    assertEquals(400, s2, 400 * 0.1);
    assertEquals(100, s3, 100 * 0.4); // clamping at zero biases the top level upwards a little
  }

  /**
   * The plan's promise checked by simulating its shape (not by asking the planner's own formula
   * again). Planned on known components, the realised 95 % half-widths reach the target on
   * average, and their mean is the planned half-width times c4(forks), the mean of a sample
   * standard deviation over the true one (the planner plans for the true spread, so it is
   * conservative by that factor); the intervals cover their run's true mean about 95 % of the time.
   */
  @Test
  void thePlansHalfWidthHoldsWhenItsShapeIsSimulated() {
    Random r = new Random(4);
    double t1 = 60;
    double t2 = 25;
    VarianceComponents truth = new VarianceComponents(1000, t1 * t1, t2 * t2, 0, 6, 6, 6);
    VarianceComponents.Plan p = truth.plan(0.03, 2, 10, 3, 30, 20);
    assertTrue(p.meetsTarget(), p.toString());
    assertEquals(p.forks() * (10 + p.iterations() * 2), p.seconds(), 1e-9, "forks x (fork cost + iterations x iteration cost)");
    int trials = 6000;
    double widths = 0;
    int covers = 0;
    for (int i = 0; i < trials; i++) {
      MeanInterval ci = simulate(r, 1000, t1, t2, 0, 1, p.forks(), p.iterations()).get(0).interval();
      widths += ci.relativeHalfWidth() / trials;
      covers += ci.contains(1000) ? 1 : 0;
    }
    int k = p.forks();
    double c4 = Math.sqrt(2.0 / (k - 1)) * Math.exp(Gamma.logGamma(k / 2.0)
        - Gamma.logGamma((k - 1) / 2.0));
    assertTrue(widths <= 0.03, "the plan's shape gives half-widths of " + widths + " on average, over its 3 % target: " + p);
    assertEquals(c4 * p.relativeHalfWidth(), widths, 0.02 * widths, "mean realised half-width against c4 x planned: " + p);
    assertEquals(0.95, (double) covers / trials, 0.012);
    // planned on estimated components, the plan still reaches the target on the truth's simulated runs
    VarianceComponents estimated = VarianceComponents.estimate(simulate(r, 1000, t1, t2, 0, 6, 6, 6));
    VarianceComponents.Plan q = estimated.plan(0.03, 2, 10, 3, 30, 20);
    double fromEstimate = 0;
    for (int i = 0; i < trials; i++) {
      fromEstimate += simulate(r, 1000, t1, t2, 0, 1, q.forks(), q.iterations()).get(0).interval().relativeHalfWidth() / trials;
    }
    assertTrue(fromEstimate <= 0.03, "planned on estimated components: " + fromEstimate + " on average with " + q);
    assertThrows(IllegalArgumentException.class, () -> VarianceComponents.estimate(simulate(r, 1, 1, 1, 1, 1, 3, 3)));
  }

  /**
   * The expected share of another run's figure inside one run's interval, checked by simulating
   * pairs of runs: without a run level and with one.
   */
  @Test
  void theExpectedCoverageOfAnotherRunMatchesSimulatedPairsOfRuns() {
    Random r = new Random(9);
    for (double t3 : new double[] {0, 20}) {
      VarianceComponents truth = new VarianceComponents(1000, 30 * 30, 15 * 15, t3 * t3, 3, 3, 2);
      int inside = 0;
      int pairs = 20_000;
      for (int i = 0; i < pairs; i++) {
        List<ForkSamples> two = simulate(r, 1000, 30, 15, t3, 2, 3, 3);
        inside += two.get(0).interval().contains(two.get(1).mean()) ? 1 : 0;
      }
      double expected = truth.expectedCoverage(3, 3);
      assertEquals(expected, (double) inside / pairs, 0.01, "run level sd " + t3);
      if (t3 == 0) {
        assertEquals(0.905, expected, 0.005, "P(|t_2| <= t_(2, 0.975) / sqrt 2) at 3 forks");
      } else {
        assertTrue(expected < 0.8, "a run level larger than the within-run spread lowers coverage: " + expected);
      }
    }
  }
}
