package org.fmnistbench.baselines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The recorded per-epoch figures, {@code baselines/epochs.csv}: one row per epoch of each
 * recorded run, in the order of {@code accuracy.csv} and then by epoch.
 */
public final class EpochBaselines {
  public static final String FILE = "epochs.csv";

  private final Path file;
  private final List<EpochRecord> rows;

  private EpochBaselines(Path file, List<EpochRecord> rows) {
    this.file = file;
    this.rows = rows;
  }

  /** Reads {@code dir/epochs.csv}; a missing file is an empty table. */
  public static EpochBaselines read(Path dir) {
    Path file = dir.resolve(FILE);
    return new EpochBaselines(file, BaselinesLock.locked(dir, () -> {
      BaselineMerge.recover(dir);
      return CsvRows.read(file, EpochRecord.class);
    }));
  }

  /** Every row, in the file's order. */
  public List<EpochRecord> rows() {
    return List.copyOf(rows);
  }

  /** The epochs of one recorded run, first to last. */
  public List<EpochRecord> of(AccuracyRecord run) {
    return rows.stream().filter(r -> r.ofRun(run)).sorted(Comparator.comparingInt(EpochRecord::epoch)).toList();
  }

  /**
   * Replaces the epochs of {@code run} with {@code epochs} and rewrites the file atomically.
   *
   * @throws IllegalArgumentException if an epoch belongs to another run
   */
  public synchronized void put(AccuracyRecord run, List<EpochRecord> epochs) {
    for (EpochRecord e : epochs) {
      if (!e.ofRun(run)) {
        throw new IllegalArgumentException("epoch row " + e + " does not belong to run " + run);
      }
    }
    // under the folder's lock, over the file as it is now (see AccuracyBaselines.put)
    BaselinesLock.rewriting(file, () -> {
      List<EpochRecord> updated = new ArrayList<>(CsvRows.read(file, EpochRecord.class));
      updated.removeIf(r -> r.ofRun(run));
      updated.addAll(epochs);
      updated.sort(CsvRows.runOrder(EpochRecord::tier, EpochRecord::variant, EpochRecord::engine,
          EpochRecord::seed, EpochRecord::epoch));
      CsvRows.write(file, EpochRecord.class, updated);
      rows.clear();
      rows.addAll(updated);
    });
  }
}
