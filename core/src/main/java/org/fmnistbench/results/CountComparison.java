package org.fmnistbench.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One point counted twice (two builds, or tonight against the history): the change of its
 * instructions per operation, and the functions whose own instructions changed most, from the
 * two digests. Counts are deterministic to a fraction of a percent (COUNTS.md), so the functions
 * that moved are where the change is: a profile diff no wall-time tool gives.
 *
 * @param key the point
 * @param baseline instructions per operation before
 * @param candidate instructions per operation after
 * @param functions the functions' changes, largest first (by absolute change)
 */
public record CountComparison(String key, double baseline, double candidate, List<FunctionChange> functions) {

  /**
   * A function's own instructions per operation before and after. A function below a digest's
   * cut-off (see the counting run) counts as 0 there, so a change near that cut-off can be
   * overstated; large changes are not affected.
   */
  public record FunctionChange(String object, String name, double before, double after) {
    public double change() {
      return after - before;
    }

    /** "+3.1 M instructions/op in libnd4jcpu.so: im2col". */
    public String describe() {
      return String.format(Locale.ROOT, "%s instructions/op in %s: %s", signedMillions(change()), object, name);
    }
  }

  /** (candidate - baseline) / baseline. */
  public double relativeChange() {
    return (candidate - baseline) / baseline;
  }

  /** Compares two counts of the same point, all their instructions. */
  public static CountComparison of(CountResults.Point before, CountResults.Point after) {
    return of(before, after, CountLimit.Basis.ALL);
  }

  /**
   * Compares two counts of the same point on {@code basis}: its instructions and the functions it
   * covers (with {@link CountLimit.Basis#NATIVE}, the native libraries' alone).
   */
  public static CountComparison of(CountResults.Point before, CountResults.Point after, CountLimit.Basis basis) {
    if (!before.key().equals(after.key())) {
      throw new IllegalArgumentException("comparing counts of two different points: " + before.key() + " and " + after.key());
    }
    Map<List<String>, double[]> byFunction = new HashMap<>();
    Predicate<CountResults.FunctionCount> judged = f -> switch (basis) {
      case ALL -> true;
      case WITHOUT_KERNELS -> !f.object().equals(CallgrindProfile.NATIVE_KERNELS_OBJECT);
      case NATIVE -> CountResults.nativeLibrary(f.object());
    };
    for (CountResults.FunctionCount f : before.functions().stream().filter(judged).toList()) {
      byFunction.computeIfAbsent(List.of(f.object(), f.name()), k -> new double[2])[0] += f.instructions();
    }
    for (CountResults.FunctionCount f : after.functions().stream().filter(judged).toList()) {
      byFunction.computeIfAbsent(List.of(f.object(), f.name()), k -> new double[2])[1] += f.instructions();
    }
    List<FunctionChange> changes = new ArrayList<>();
    byFunction.forEach((k, v) -> changes.add(new FunctionChange(k.get(0), k.get(1), v[0], v[1])));
    changes.sort(Comparator.comparingDouble((FunctionChange c) -> -Math.abs(c.change())).thenComparing(FunctionChange::name));
    return new CountComparison(before.key(), basis.of(before), basis.of(after), List.copyOf(changes));
  }

  /** The {@code n} functions that changed most, as one line each. */
  public List<String> topFunctions(int n) {
    return functions.stream().limit(n).filter(f -> f.change() != 0).map(FunctionChange::describe).toList();
  }

  static String signedMillions(double v) {
    return Math.abs(v) >= 1e5 ? String.format(Locale.ROOT, "%+.1f M", v / 1e6) : String.format(Locale.ROOT, "%+,.0f", v);
  }
}
