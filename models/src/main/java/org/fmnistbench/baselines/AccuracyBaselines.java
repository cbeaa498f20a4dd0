package org.fmnistbench.baselines;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.variants.Variant;

/**
 * The recorded accuracies, {@code baselines/accuracy.csv}: one row per run, keyed by variant,
 * tier, engine and seed, sorted so that re-recording shows up as a small diff.
 */
public final class AccuracyBaselines {
  public static final String FILE = "accuracy.csv";
  private static final CsvMapper CSV = new CsvMapper();
  private static final CsvSchema SCHEMA = CSV.schemaFor(AccuracyRecord.class).withHeader();

  private final Path file;
  private final List<AccuracyRecord> rows;

  private AccuracyBaselines(Path file, List<AccuracyRecord> rows) {
    this.file = file;
    this.rows = rows;
  }

  /** Reads {@code dir/accuracy.csv}; a missing file is an empty table. */
  public static AccuracyBaselines read(Path dir) {
    Path file = dir.resolve(FILE);
    List<AccuracyRecord> rows = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      try (MappingIterator<AccuracyRecord> it =
          CSV.readerFor(AccuracyRecord.class).with(SCHEMA).readValues(file.toFile())) {
        rows.addAll(it.readAll());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read accuracy baselines " + file + ": " + e.getMessage(), e);
      }
    }
    return new AccuracyBaselines(file, rows);
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
    rows.sort(Comparator.comparing(AccuracyRecord::tier)
        .thenComparing(r -> variantOrder(r.variant()))
        .thenComparing(AccuracyRecord::engine)
        .thenComparingLong(AccuracyRecord::seed));
    try {
      AtomicFiles.write(file, tmp -> CSV.writer(SCHEMA).writeValue(tmp.toFile(), rows));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static int variantOrder(String id) {
    for (Variant v : Variant.values()) {
      if (v.id().equals(id)) {
        return v.ordinal();
      }
    }
    return Integer.MAX_VALUE; // rows of variants no longer in the registry sort last
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
