package org.fmnistbench.ci;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Finds regressions of a new run against the recent history of the same machine and backend.
 *
 * <p>Times (lower is better): JMH's raw per-iteration samples of the new run against those of
 * the last {@code window} runs, pooled, with a two-sided Mann-Whitney U test (as airspeed
 * velocity does); a change is reported when p &lt; {@code alpha} and the medians differ by more
 * than {@code minEffect}. A slower median is a regression, a faster one an improvement, never a
 * regression.
 *
 * <p>Accuracy (higher is better): the gate's accuracy of each variant against the mean of the
 * same variant, tier and seed over the window; a drop of more than {@code accuracyDrop} is a
 * regression, and so is a gate failure.
 */
public final class RegressionDetector {

  /**
   * What counts as a change.
   *
   * @param alpha significance level of the U test
   * @param minEffect smallest relative change of the median reported
   * @param window how many earlier runs form the baseline
   * @param accuracyDrop smallest accuracy drop (fraction) reported
   */
  public record Thresholds(double alpha, double minEffect, int window, double accuracyDrop) {
    public Thresholds {
      if (!(alpha > 0 && alpha < 1) || minEffect < 0 || window < 1 || accuracyDrop < 0) {
        throw new IllegalArgumentException("thresholds need 0 < alpha < 1, minEffect >= 0, window >= 1, "
            + "accuracyDrop >= 0; got " + alpha + ", " + minEffect + ", " + window + ", " + accuracyDrop);
      }
    }

    public static Thresholds defaults() {
      return new Thresholds(0.05, 0.05, 5, 0.01);
    }
  }

  /** Whether a finding is a regression, an improvement, or too small or uncertain to call. */
  public enum Verdict { REGRESSION, IMPROVEMENT, UNCHANGED, NOT_ENOUGH_DATA }

  /**
   * One compared figure.
   *
   * @param key benchmark/variant/batch, or accuracy/variant/tier/seed
   * @param baseline median (or mean, for accuracy) of the history
   * @param current the new run's median (or accuracy)
   * @param change relative change (current / baseline - 1); for accuracy, the difference
   * @param pValue the U test's p, NaN where no test applies
   * @param verdict the call
   */
  public record Finding(String key, double baseline, double current, double change, double pValue, Verdict verdict) {
    public String describe() {
      if (verdict == Verdict.NOT_ENOUGH_DATA) {
        return key + ": no earlier run of this machine and backend to compare with (now " + String.format(Locale.ROOT, "%.4g", current) + ")";
      }
      if (key.startsWith("accuracy/")) {
        return String.format(Locale.ROOT, "%s: %s, %.4f -> %.4f (%+.2f points)", key, verdict, baseline, current, change * 100);
      }
      return String.format(Locale.ROOT, "%s: %s, median %.1f -> %.1f us/sample (%+.1f %%, Mann-Whitney p = %.4f)",
          key, verdict, baseline, current, change * 100, pValue);
    }
  }

  private final Thresholds t;

  public RegressionDetector(Thresholds thresholds) {
    this.t = thresholds;
  }

  /** Compares every benchmark point of {@code current} with the last runs of {@code history}. */
  public List<Finding> compareTimes(Map<String, BenchResults.Point> current, List<Map<String, BenchResults.Point>> history) {
    List<Map<String, BenchResults.Point>> recent = history.subList(Math.max(0, history.size() - t.window()), history.size());
    List<Finding> out = new ArrayList<>();
    for (BenchResults.Point p : current.values()) {
      List<Double> pooled = new ArrayList<>();
      for (Map<String, BenchResults.Point> run : recent) {
        BenchResults.Point old = run.get(p.key());
        if (old != null) {
          pooled.addAll(old.raw());
        }
      }
      out.add(compareSamples(p.key(), p.raw(), pooled));
    }
    return out;
  }

  Finding compareSamples(String key, List<Double> current, List<Double> baseline) {
    if (current.size() < 2 || baseline.size() < 2) {
      return new Finding(key, median(baseline), median(current), Double.NaN, Double.NaN, Verdict.NOT_ENOUGH_DATA);
    }
    double[] x = toArray(current);
    double[] y = toArray(baseline);
    double p = new MannWhitneyUTest().mannWhitneyUTest(x, y);
    double base = median(baseline);
    double now = median(current);
    double change = now / base - 1;
    Verdict v = Verdict.UNCHANGED;
    if (p < t.alpha() && Math.abs(change) > t.minEffect()) {
      v = change > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT; // time: lower is better
    }
    return new Finding(key, base, now, change, p, v);
  }

  /** Compares the gate's accuracies with the same variant, tier and seed in the history. */
  public List<Finding> compareAccuracy(List<GateResult> current, List<List<GateResult>> history) {
    List<List<GateResult>> recent = history.subList(Math.max(0, history.size() - t.window()), history.size());
    List<Finding> out = new ArrayList<>();
    for (GateResult g : current) {
      String key = "accuracy/" + g.series() + "/" + g.tier() + "/seed" + g.seed();
      double[] old = recent.stream().flatMap(List::stream).filter(o -> o.sameRun(g)).mapToDouble(GateResult::accuracy).toArray();
      double mean = old.length == 0 ? Double.NaN : java.util.Arrays.stream(old).average().orElseThrow();
      Verdict v;
      if (!g.passed()) {
        v = Verdict.REGRESSION;
      } else if (old.length == 0) {
        v = Verdict.NOT_ENOUGH_DATA;
      } else if (g.accuracy() < mean - t.accuracyDrop()) {
        v = Verdict.REGRESSION; // accuracy: higher is better
      } else if (g.accuracy() > mean + t.accuracyDrop()) {
        v = Verdict.IMPROVEMENT;
      } else {
        v = Verdict.UNCHANGED;
      }
      out.add(new Finding(key, mean, g.accuracy(), g.accuracy() - mean, Double.NaN, v));
    }
    return out;
  }

  private static double median(List<Double> values) {
    return values.isEmpty() ? Double.NaN : new Median().evaluate(toArray(values));
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
