package org.fmnistbench.baselines;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
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
    BaselineMerge.recover(dir);
    Path file = dir.resolve(FILE);
    return new AccuracyBaselines(file, CsvRows.read(file, AccuracyRecord.class));
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

  /** Adds a run, replacing any row with the same key, and rewrites the file atomically. */
  public synchronized void put(AccuracyRecord record) {
    rows.removeIf(r -> r.sameKey(record));
    rows.add(record);
    rows.sort(CsvRows.runOrder(AccuracyRecord::tier, AccuracyRecord::variant, AccuracyRecord::engine,
        AccuracyRecord::seed, r -> 0));
    CsvRows.write(file, AccuracyRecord.class, rows);
  }

  /**
   * The accepted accuracy range from recorded values: mean +/- max(3 standard deviations,
   * {@code minHalfWidth}).
   *
   * @param mean mean recorded accuracy
   * @param stdDev sample standard deviation
   * @param low lower edge of the band
   * @param high upper edge
   * @param runs how many runs it rests on
   */
  public record Band(double mean, double stdDev, double low, double high, int runs) {
    public static Band of(List<Double> runs, double minHalfWidth) {
      DescriptiveStatistics stats = new DescriptiveStatistics();
      runs.forEach(stats::addValue);
      double sd = runs.size() > 1 ? stats.getStandardDeviation() : 0;
      double half = Math.max(3 * sd, minHalfWidth);
      return new Band(stats.getMean(), sd, stats.getMean() - half, stats.getMean() + half, runs.size());
    }

    public boolean contains(double accuracy) {
      return accuracy >= low && accuracy <= high;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "[%.4f, %.4f] (mean %.4f, sd %.4f, %d runs)",
          low, high, mean, stdDev, runs);
    }
  }
}
