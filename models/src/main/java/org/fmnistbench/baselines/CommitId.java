package org.fmnistbench.baselines;

/**
 * The suite's commit as provenance spells it, in one place: the full hash, and whether tracked code
 * had edits ("dirty"; see {@link Provenance#gitCommit()} for what counts). Recorded in full as
 * {@code <hash>} or {@code <hash>-dirty}; abbreviated to 12 characters for folder names and tables.
 *
 * @param hash the commit's full hash, or "unknown" outside a git checkout
 * @param dirty whether the work tree had edits to tracked code
 */
public record CommitId(String hash, boolean dirty) {
  private static final String DIRTY = "-dirty";
  private static final int SHORT = 12;

  /** The code this JVM runs: read once, the first time it is asked for, and kept for the JVM's life. */
  public static CommitId current() {
    return Current.VALUE;
  }

  /** Reads a recorded spelling back ({@link #full()}). */
  public static CommitId parse(String recorded) {
    return recorded.endsWith(DIRTY)
        ? new CommitId(recorded.substring(0, recorded.length() - DIRTY.length()), true)
        : new CommitId(recorded, false);
  }

  /** As baselines and metadata record it: the full hash, {@code -dirty} when dirty. */
  public String full() {
    return hash + (dirty ? DIRTY : "");
  }

  /** The first 12 characters of the hash, {@code -dirty} when dirty: for folder names and tables. */
  public String abbreviated() {
    return (hash.length() > SHORT && !hash.startsWith("unknown") ? hash.substring(0, SHORT) : hash) + (dirty ? DIRTY : "");
  }

  @Override
  public String toString() {
    return full();
  }

  private static final class Current {
    static final CommitId VALUE = parse(Provenance.gitCommit());
  }
}
