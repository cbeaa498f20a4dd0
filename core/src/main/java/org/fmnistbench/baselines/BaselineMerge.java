package org.fmnistbench.baselines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.MergeRule;

/**
 * Folds baseline files recorded on other machines ({@code accuracy.csv} and {@code epochs.csv} of
 * another {@code baselines/} folder, e.g. a sharded recording's artifact) into ours, run by run
 * (a run is its accuracy row with its epoch rows) under {@link MergeRule}.
 *
 * <p>Both files change together or not at all: the merged files are staged beside the originals,
 * then a commit marker is written, then each staged file is renamed over its original and the
 * marker removed. A crash before the marker leaves the originals as they were (the staged files
 * are removed by the next read); a crash after it is finished by the next read of the folder
 * ({@link #recover}), so no reader ever sees one file merged and the other not.
 */
public final class BaselineMerge {
  static final String MARKER = ".merge-commit";
  static final String STAGED = ".merging";
  private static final List<String> FILES = List.of(EpochBaselines.FILE, AccuracyBaselines.FILE);

  private BaselineMerge() {}

  /** A run's identity: what {@link AccuracyRecord#sameKey} compares. */
  public record Key(String variant, String tier, String engine, long seed) {
    static Key of(AccuracyRecord r) {
      return new Key(r.variant(), r.tier(), r.engine(), r.seed());
    }

    @Override
    public String toString() {
      return variant + " " + tier + " " + engine + " seed " + seed;
    }
  }

  /** One recorded run: its row of accuracy.csv and its rows of epochs.csv. */
  public record Run(AccuracyRecord row, List<EpochRecord> epochs) {
    String show() {
      return String.format(Locale.ROOT, "accuracy %s, loss %s, %d epochs, commit %s, recorded %s on %s",
          row.testAccuracy(), row.testLoss(), epochs.size(), row.commit(), row.recordedAt(), row.machine());
    }
  }

  /** Merges every folder of {@code others} into {@code ours}; all or nothing. */
  public static MergeRule.Outcome<Key, Run> merge(Path ours, List<Path> others, MergeRule.Keep keep) {
    return merge(ours, others, keep, step -> {});
  }

  /** As {@link #merge(Path, List, MergeRule.Keep)}, calling {@code after} at each step (tests crash there). */
  static MergeRule.Outcome<Key, Run> merge(Path ours, List<Path> others, MergeRule.Keep keep, Consumer<String> after) {
    return BaselinesLock.locked(ours, () -> mergeLocked(ours, others, keep, after));
  }

  private static MergeRule.Outcome<Key, Run> mergeLocked(Path ours, List<Path> others, MergeRule.Keep keep,
      Consumer<String> after) {
    recover(ours);
    Map<Key, Run> current = runs(ours);
    Map<Key, Run> before = current;
    List<Key> added = new ArrayList<>();
    List<Key> identical = new ArrayList<>();
    List<Key> conflicts = new ArrayList<>();
    List<String> settled = new ArrayList<>();
    for (Path other : others) {
      if (!Files.isRegularFile(other.resolve(AccuracyBaselines.FILE))) {
        throw new IllegalArgumentException(other + " has no " + AccuracyBaselines.FILE + ": not a baselines folder");
      }
      Map<Key, Run> theirs = runs(other);
      List<String> uncapped = theirs.entrySet().stream()
          .flatMap(e -> KernelCap.problem(e.getValue().row()).map(why -> e.getKey() + " " + why).stream()).toList();
      if (!uncapped.isEmpty()) {
        throw new IllegalArgumentException(other + ": " + uncapped.size() + " run(s) recorded without the AVX2 kernel cap "
            + "the baselines were recorded with (KernelCap); nothing was changed:\n  " + String.join("\n  ", uncapped));
      }
      MergeRule.Outcome<Key, Run> o = MergeRule.merge(current, theirs, Run::equals, Run::show, keep);
      current = o.merged();
      added.addAll(o.added());
      identical.addAll(o.identical());
      conflicts.addAll(o.conflicts());
      settled.addAll(o.settled());
    }
    MergeRule.Outcome<Key, Run> outcome = new MergeRule.Outcome<>(current, added, identical, conflicts, settled);
    if (!current.equals(before)) {
      write(ours, current, after);
    }
    return outcome;
  }

  /** The recorded runs of a folder; epoch rows of runs without an accuracy row are not runs. */
  static Map<Key, Run> runs(Path dir) {
    AccuracyBaselines rows = AccuracyBaselines.read(dir);
    EpochBaselines epochs = EpochBaselines.read(dir);
    Map<Key, Run> out = new LinkedHashMap<>();
    for (AccuracyRecord r : rows.rows()) {
      out.put(Key.of(r), new Run(r, epochs.of(r)));
    }
    return out;
  }

  private static void write(Path dir, Map<Key, Run> runs, Consumer<String> after) {
    try {
      // Epoch rows of unrecorded runs (an interrupted record) stay as they were.
      Set<Key> recorded = runs.keySet();
      List<EpochRecord> epochs = new ArrayList<>(EpochBaselines.read(dir).rows().stream()
          .filter(e -> !recorded.contains(new Key(e.variant(), e.tier(), e.engine(), e.seed()))).toList());
      runs.values().forEach(r -> epochs.addAll(r.epochs()));
      epochs.sort(CsvRows.runOrder(EpochRecord::tier, EpochRecord::variant, EpochRecord::engine, EpochRecord::seed,
          EpochRecord::epoch));
      List<AccuracyRecord> rows = new ArrayList<>(runs.values().stream().map(Run::row).toList());
      rows.sort(CsvRows.runOrder(AccuracyRecord::tier, AccuracyRecord::variant, AccuracyRecord::engine,
          AccuracyRecord::seed, r -> 0));
      CsvRows.write(dir.resolve(EpochBaselines.FILE + STAGED), EpochRecord.class, epochs);
      CsvRows.write(dir.resolve(AccuracyBaselines.FILE + STAGED), AccuracyRecord.class, rows);
      after.accept("staged");
      AtomicFiles.writeString(dir.resolve(MARKER), String.join("\n", FILES) + "\n");
      after.accept("committed");
      finish(dir, after);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the merged baselines in " + dir, e);
    }
  }

  private static void finish(Path dir, Consumer<String> after) throws IOException {
    for (String file : FILES) {
      Path staged = dir.resolve(file + STAGED);
      if (Files.isRegularFile(staged)) {
        AtomicFiles.moveIntoPlace(staged, dir.resolve(file));
        after.accept("renamed " + file);
      }
    }
    Files.deleteIfExists(dir.resolve(MARKER));
  }

  /**
   * Completes a merge that was interrupted after its commit marker, or drops the staged files of
   * one interrupted before it. Every reader of the folder calls this first.
   */
  static void recover(Path dir) {
    BaselinesLock.locked(dir, () -> recoverLocked(dir));
  }

  private static void recoverLocked(Path dir) {
    try {
      if (Files.isRegularFile(dir.resolve(MARKER))) {
        finish(dir, step -> {});
      } else {
        for (String file : FILES) {
          Files.deleteIfExists(dir.resolve(file + STAGED));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot complete the interrupted merge in " + dir, e);
    }
  }
}
