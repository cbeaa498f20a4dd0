package org.fmnistbench.baselines;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;
import org.fmnistbench.variants.Variant;

/**
 * The recorded accuracies, {@code baselines/accuracy.csv}: one row per run, keyed by variant,
 * tier, engine and seed, sorted so that re-recording shows up as a small diff.
 */
public final class AccuracyBaselines {
  public static final String FILE = "accuracy.csv";

  private final Path file;
  private final List<AccuracyRecord> rows;

  private AccuracyBaselines(Path file, List<AccuracyRecord> rows) {
    this.file = file;
    this.rows = rows;
  }

  /** Reads {@code dir/accuracy.csv}; a missing file is an empty table. */
  public static AccuracyBaselines read(Path dir) {
    Path file = dir.resolve(FILE);
    return new AccuracyBaselines(file, BaselinesLock.locked(dir, () -> {
      BaselineMerge.recover(dir);
      return CsvRows.read(file, AccuracyRecord.class);
    }));
  }

  public List<AccuracyRecord> rows() {
    return List.copyOf(rows);
  }

  /** The rows of one variant, tier and engine. */
  public List<AccuracyRecord> rows(Variant variant, String tier, String engine) {
    return rows.stream()
        .filter(r -> r.variant().equals(variant.id()) && r.tier().equals(tier) && r.engine().equals(engine))
        .toList();
  }

  /** The rows of one variant and tier, of every engine. */
  public List<AccuracyRecord> rows(Variant variant, String tier) {
    return rows.stream().filter(r -> r.variant().equals(variant.id()) && r.tier().equals(tier)).toList();
  }

  /**
   * Adds a run, replacing any row with the same key, and rewrites the file atomically, under the
   * folder's lock and over the file as it is now (another process may have merged into it since
   * it was read).
   */
  public synchronized void put(AccuracyRecord record) {
    BaselinesLock.rewriting(file, () -> {
      rows.clear();
      rows.addAll(CsvRows.read(file, AccuracyRecord.class));
      rows.removeIf(r -> r.sameKey(record));
      rows.add(record);
      rows.sort(CsvRows.runOrder(AccuracyRecord::tier, AccuracyRecord::variant, AccuracyRecord::engine,
          AccuracyRecord::seed, r -> 0));
      CsvRows.write(file, AccuracyRecord.class, rows);
    });
  }

  /**
   * An accepted range of one figure (accuracy or a loss) built from recorded runs.
   *
   * @param mean mean of the recorded runs it centres on
   * @param stdDev the standard deviation it scales by (pooled over groups where {@code groups > 1})
   * @param low lower edge of the band
   * @param high upper edge
   * @param runs how many runs the mean rests on
   * @param pooledRuns how many runs the standard deviation rests on
   * @param groups how many groups those runs came from
   * @param groupedBy what a group is, in words ("engines", "variants")
   */
  public record Band(double mean, double stdDev, double low, double high, int runs, int pooledRuns, int groups,
      String groupedBy) {
    /**
     * Where one new run is expected, with false-alarm probability {@code alpha}: a prediction
     * interval around the mean of {@code own}, mean +/- t(df, 1 - alpha/2) * s * sqrt(1 + 1/n),
     * at least {@code minHalfWidth}. The standard deviation s pools the within-group variance of
     * every group in {@code groups} (which should include {@code own}), df = runs - groups: the
     * spread between seeds is then estimated from all of them, while each group keeps its mean.
     * A new run on another machine is such a new draw, since float rounding that differs by CPU
     * sends training elsewhere much as another seed does.
     */
    public static Band forOneNewRun(List<Double> own, Collection<List<Double>> groups, String groupedBy,
        double alpha, double minHalfWidth) {
      return forMeanOfNewRuns(own, groups, groupedBy, 1, alpha, minHalfWidth);
    }

    /**
     * Where the mean of {@code newRuns} new runs is expected: as {@link #forOneNewRun}, with
     * sqrt(1/newRuns + 1/n) in place of sqrt(1 + 1/n).
     */
    public static Band forMeanOfNewRuns(List<Double> own, Collection<List<Double>> groups, String groupedBy,
        int newRuns, double alpha, double minHalfWidth) {
      if (own.size() < 2) {
        throw new IllegalArgumentException("a prediction band needs at least 2 recorded runs, got " + own.size());
      }
      double sumSquares = 0;
      int pooled = 0;
      int counted = 0;
      for (List<Double> g : groups) {
        if (g.size() < 2) {
          continue; // no spread to contribute
        }
        double m = g.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        sumSquares += g.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        pooled += g.size();
        counted++;
      }
      int df = pooled - counted;
      double sd = Math.sqrt(sumSquares / df);
      double mean = own.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double t = new TDistribution(df).inverseCumulativeProbability(1 - alpha / 2);
      double half = Math.max(t * sd * Math.sqrt(1.0 / newRuns + 1.0 / own.size()), minHalfWidth);
      return new Band(mean, sd, mean - half, mean + half, own.size(), pooled, counted, groupedBy);
    }

    public boolean contains(double accuracy) {
      return accuracy >= low && accuracy <= high;
    }

    @Override
    public String toString() {
      String spread = groups > 1
          ? String.format(Locale.ROOT, "sd %.4f pooled over %d runs of %d %s", stdDev, pooledRuns, groups, groupedBy)
          : String.format(Locale.ROOT, "sd %.4f", stdDev);
      return String.format(Locale.ROOT, "[%.4f, %.4f] (mean %.4f, %s, %d runs)", low, high, mean, spread, runs);
    }
  }
}
