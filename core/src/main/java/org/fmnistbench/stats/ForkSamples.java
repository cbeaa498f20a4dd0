package org.fmnistbench.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * One benchmark point's measured iterations, kept per fork (JVM), as JMH's {@code rawData} holds
 * them. Iterations of one fork are correlated (same JIT decisions, same heap, same native
 * allocations), so everything that needs independent samples works on the fork means, never on
 * the pooled iterations.
 *
 * @param forks per fork, the values of its measured iterations (e.g. us/sample)
 */
public record ForkSamples(List<double[]> forks) {
  public ForkSamples {
    if (forks.isEmpty() || forks.stream().anyMatch(f -> f.length == 0)) {
      throw new IllegalArgumentException("a point needs at least one fork with at least one iteration");
    }
    forks = List.copyOf(forks.stream().map(double[]::clone).toList());
  }

  /** The mean of each fork's iterations. */
  public double[] forkMeans() {
    return forks.stream().mapToDouble(StatUtils::mean).toArray();
  }

  /** The point's figure: the mean of the fork means (every fork weighs the same). */
  public double mean() {
    return StatUtils.mean(forkMeans());
  }

  /** The median of the fork means, robust to one odd JVM. */
  public double median() {
    return new Median().evaluate(forkMeans());
  }

  public int forkCount() {
    return forks.size();
  }

  /** The smallest number of iterations in any fork. */
  public int iterationsPerFork() {
    return forks.stream().mapToInt(f -> f.length).min().orElseThrow();
  }

  /** Every value multiplied by {@code factor} (a simulated slowdown in detector calibration). */
  public ForkSamples scaled(double factor) {
    return new ForkSamples(forks.stream().map(f -> Arrays.stream(f).map(v -> v * factor).toArray()).toList());
  }

  /**
   * Each value divided by the value at the same fork and iteration of {@code other} (a figure
   * over the canary measured beside it), which must have the same shape.
   */
  public ForkSamples dividedBy(ForkSamples other) {
    if (other.forkCount() != forkCount()) {
      throw new IllegalArgumentException("dividing " + forkCount() + " forks by " + other.forkCount());
    }
    List<double[]> out = new ArrayList<>();
    for (int f = 0; f < forks.size(); f++) {
      double[] x = forks.get(f);
      double[] y = other.forks().get(f);
      if (x.length != y.length) {
        throw new IllegalArgumentException("fork " + (f + 1) + ": dividing " + x.length + " iterations by " + y.length);
      }
      double[] q = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        q[i] = x[i] / y[i];
      }
      out.add(q);
    }
    return new ForkSamples(out);
  }

  /** The 95 % interval of the mean over fork means (needs 2 forks or more). */
  public MeanInterval interval() {
    return MeanInterval.overForkMeans(this, 0.95);
  }
}
