package org.fmnistbench.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Splits jobs over N machines by expected cost: longest job first, each to the machine with the
 * least work so far (Graham's LPT rule; ties go to the earlier job and the lower machine, so the
 * split is a pure function of the list). Its guarantee, which the tests check: no machine gets
 * more than the mean load plus the largest single job (and LPT stays within 4/3 of the best
 * possible longest load).
 */
public final class Balance {
  private Balance() {}

  /** {@code n} lists that together hold every job once, each in the jobs' given order. */
  public static <T> List<List<T>> split(List<T> jobs, ToDoubleFunction<T> cost, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("cannot split work over " + n + " machines");
    }
    double[] costs = jobs.stream().mapToDouble(cost).toArray();
    for (int i = 0; i < costs.length; i++) {
      if (!(costs[i] >= 0) || Double.isInfinite(costs[i])) {
        throw new IllegalArgumentException("job " + jobs.get(i) + " has cost " + costs[i] + "; costs must be finite and >= 0");
      }
    }
    List<Integer> order = IntStream.range(0, jobs.size()).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -costs[i]).thenComparingInt(i -> i)).toList();
    double[] load = new double[n];
    int[] owner = new int[jobs.size()];
    for (int job : order) {
      int least = 0;
      for (int m = 1; m < n; m++) {
        if (load[m] < load[least]) {
          least = m;
        }
      }
      owner[job] = least;
      load[least] += costs[job];
    }
    List<List<T>> out = new ArrayList<>();
    for (int m = 0; m < n; m++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < jobs.size(); i++) {
      out.get(owner[i]).add(jobs.get(i));
    }
    return out;
  }
}
