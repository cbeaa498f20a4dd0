package org.fmnistbench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
  static double rate(int n, java.util.function.BooleanSupplier trial) {
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

  @Test
  void thePlanReachesItsTargetAndCountsItsCost() {
    Random r = new Random(4);
    VarianceComponents c = VarianceComponents.estimate(simulate(r, 1000, 50, 10, 0, 4, 5, 6));
    VarianceComponents.Plan p = c.plan(0.03, 2, 10, 3, 30, 20);
    assertTrue(p.meetsTarget() && p.relativeHalfWidth() <= 0.03, p.toString());
    assertEquals(p.forks() * (10 + p.iterations() * 2), p.seconds(), 1e-9);
    assertEquals(c.predictedRelativeHalfWidth(p.forks(), p.iterations()), p.relativeHalfWidth(), 1e-12);
    assertTrue(p.forks() == 3 || c.predictedRelativeHalfWidth(p.forks() - 1, p.iterations()) > 0.03, "no fewer forks would do");
    assertThrows(IllegalArgumentException.class, () -> VarianceComponents.estimate(simulate(r, 1, 1, 1, 1, 1, 3, 3)));
  }
}
