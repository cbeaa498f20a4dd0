package org.fmnistbench.baselines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.ShortCommand;

/**
 * The suite's commit as provenance spells it, in one place: the full hash, and whether tracked code
 * had edits ("dirty"; see {@link #fromGit(Path)} for what counts). Recorded in full as
 * {@code <hash>} or {@code <hash>-dirty}; abbreviated to 12 characters for folder names and tables.
 *
 * <p>The build stamps it into core's jar ({@value #STAMP}, written by {@link #main} in the
 * process-classes phase), so code run from a jar names the commit the jar was built from, wherever
 * it runs: an interleaved comparison's baseline jar, or a run whose checkout moved on meanwhile.
 * Code run from a classes folder (tests, {@code ./suite}) reads git instead: a work tree may have
 * changed since it was compiled.
 *
 * @param hash the commit's full hash, or "unknown" outside a git checkout
 * @param dirty whether the work tree had edits to tracked code
 */
public record CommitId(String hash, boolean dirty) {
  /** The build's stamp, a resource at the classpath's root. */
  public static final String STAMP = "suite-commit.properties";
  private static final String DIRTY = "-dirty";
  private static final int SHORT = 12;

  /**
   * The code this JVM runs: the stamp of the jar it came from, or run from classes the working
   * directory's git checkout; read once, the first time it is asked for, and kept for the JVM's life.
   */
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

  /** How long a git command may take: git answers these in milliseconds, so longer means stuck. */
  private static final long GIT_SECONDS = 10;

  /** The commit of the git checkout {@code dir} is in, or "unknown" outside one. */
  public static CommitId fromGit(Path dir) {
    return fromGit(dir, GIT_SECONDS);
  }

  static CommitId fromGit(Path dir, long gitSeconds) {
    Optional<String> head = run(dir, List.of("git", "rev-parse", "HEAD"), gitSeconds);
    if (head.isEmpty() || head.get().isEmpty()) {
      return new CommitId("unknown", false);
    }
    // Untracked files do not make a result dirty; edits to tracked files do, except to the
    // recorded data and generated reports, which recording itself changes (they are not code).
    // A status that failed or hung is dirty: a checkout that could not be shown clean is not called so.
    Optional<String> status = run(dir, List.of("git", "status", "--porcelain", "--untracked-files=no", "--", ":(top)",
        ":(top,exclude)baselines", ":(top,exclude)models/reports", ":(top,exclude)benchmarks/reports"), gitSeconds);
    return new CommitId(head.get(), status.map(s -> !s.isEmpty()).orElse(true));
  }

  /** Writes the stamp of the checkout {@code args[1]} into the classes folder {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: CommitId <classes folder> <checkout folder>");
    }
    CommitId id = fromGit(Path.of(args[1]));
    AtomicFiles.writeString(Path.of(args[0]).resolve(STAMP), "commit=" + id.full() + "\n");
  }

  /** The commit a jar was built from, as its stamp says; empty for a jar without one (built before the stamp). */
  public static Optional<CommitId> ofJar(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(STAMP);
      if (entry == null) {
        return Optional.empty();
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return Optional.of(read(in, jar + "!/" + STAMP));
      }
    }
  }

  private static CommitId stamped() {
    // a jar is a build: its stamp says what it was built from; a classes folder is a work tree,
    // whose stamp may predate later edits or commits, so git says what it holds
    URL stamp = CommitId.class.getResource("/" + STAMP);
    if (stamp == null || !stamp.getProtocol().equals("jar")) {
      return fromGit(Path.of(""));
    }
    try (InputStream in = stamp.openStream()) {
      return read(in, stamp.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stamp, e);
    }
  }

  private static CommitId read(InputStream in, String where) throws IOException {
    Properties p = new Properties();
    p.load(in);
    String recorded = p.getProperty("commit", "");
    if (recorded.isEmpty()) {
      throw new IllegalStateException(where + " has no 'commit': rebuild the jar (mvn package)");
    }
    return parse(recorded);
  }

  /** What {@code command} printed, or empty when it failed or took more than {@code seconds}. */
  private static Optional<String> run(Path dir, List<String> command, long seconds) {
    try {
      return ShortCommand.run(command, dir, ShortCommand.Streams.STDOUT, Duration.ofSeconds(seconds))
          .filter(ShortCommand.Finished::ok).map(f -> f.output().trim());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static final class Current {
    static final CommitId VALUE = stamped();
  }
}
