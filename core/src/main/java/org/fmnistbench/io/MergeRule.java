package org.fmnistbench.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.fmnistbench.util.EnumIds;

/**
 * The one rule by which results recorded on another machine join ours (baseline runs in
 * {@code ./suite merge}, nightly history entries in {@code Nightly import}): an entry we lack is
 * added; an identical one merges once; one under the same key with different content is a
 * conflict, refused with both sides shown unless the caller says which side to keep.
 */
public final class MergeRule {
  private MergeRule() {}

  /** Which side wins a conflict; {@link #NEITHER} refuses it. */
  public enum Keep {
    NEITHER, OURS, THEIRS;

    /** Parses {@code ours} or {@code theirs}; the error lists them. */
    public static Keep byId(String id) {
      return EnumIds.byId(Keep.class, "side to keep", id, k -> k.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * What a merge did.
   *
   * @param merged ours with theirs folded in, ours' order first, then their new keys
   * @param added keys only they had
   * @param identical keys both had with the same content (merged once)
   * @param conflicts keys both had with different content, settled by {@link Keep}
   * @param settled each settled conflict with both sides shown, so that a merge names what it replaced
   */
  public record Outcome<K, V>(Map<K, V> merged, List<K> added, List<K> identical, List<K> conflicts,
      List<String> settled) {
    public Outcome(Map<K, V> merged, List<K> added, List<K> identical, List<K> conflicts) {
      this(merged, added, identical, conflicts, List.of());
    }

    public String summary() {
      return String.format(Locale.ROOT, "%d added, %d identical (merged once), %d conflicting", added.size(),
          identical.size(), conflicts.size());
    }
  }

  /** Refused conflicts, each with both sides. */
  public static final class ConflictException extends IllegalStateException {
    public ConflictException(String message) {
      super(message);
    }
  }

  /**
   * Folds {@code theirs} into {@code ours}.
   *
   * @param same whether two entries under one key are the same
   * @param show how an entry is shown in a conflict message
   * @throws ConflictException when entries conflict and {@code keep} is {@link Keep#NEITHER}
   */
  public static <K, V> Outcome<K, V> merge(Map<K, V> ours, Map<K, V> theirs, BiPredicate<V, V> same,
      Function<V, String> show, Keep keep) {
    Map<K, V> merged = new LinkedHashMap<>(ours);
    List<K> added = new ArrayList<>();
    List<K> identical = new ArrayList<>();
    List<K> conflicts = new ArrayList<>();
    List<String> settled = new ArrayList<>();
    StringBuilder refused = new StringBuilder();
    for (Map.Entry<K, V> e : theirs.entrySet()) {
      V mine = ours.get(e.getKey());
      if (mine == null) {
        merged.put(e.getKey(), e.getValue());
        added.add(e.getKey());
      } else if (same.test(mine, e.getValue())) {
        identical.add(e.getKey());
      } else {
        conflicts.add(e.getKey());
        if (keep == Keep.THEIRS) {
          merged.put(e.getKey(), e.getValue());
        }
        String both = String.format(Locale.ROOT, "%s%n    ours:   %s%n    theirs: %s", e.getKey(), show.apply(mine),
            show.apply(e.getValue()));
        refused.append(String.format(Locale.ROOT, "%n  %s", both));
        settled.add((keep == Keep.THEIRS ? "replaced " : "kept ours for ") + both);
      }
    }
    if (!conflicts.isEmpty() && keep == Keep.NEITHER) {
      throw new ConflictException(conflicts.size() + " entr" + (conflicts.size() == 1 ? "y differs" : "ies differ")
          + " from ours under the same key; nothing was changed. Say which to keep (--keep ours or --keep theirs):"
          + refused);
    }
    return new Outcome<>(merged, added, identical, conflicts, settled);
  }
}
