package org.fmnistbench.ci;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.fmnistbench.io.FileTrees;
import org.fmnistbench.io.MergeRule;
import org.fmnistbench.results.RunMetadata;

/**
 * The results history: one folder per run, {@code <machine>/<backend>/<UTC time>-<commit>/},
 * holding JMH's JSON unchanged ({@code jmh.json}), the run's {@code metadata.json} and, when the
 * gate ran, {@code gate.json}. Append-only: an entry is assembled in a temporary folder beside
 * its final place and renamed into it, so an interrupted append leaves no half entry, and an
 * existing entry is never overwritten.
 */
public final class History {
  static final String JMH = "jmh.json";
  static final String METADATA = "metadata.json";
  static final String GATE = "gate.json";
  /** What the detector said of the run when it was recorded (the dashboard marks flagged runs). */
  static final String FINDINGS = "findings.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  public History(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /**
   * One run in the history.
   *
   * @param machine machine id (CPU model and cores; the GPU on CUDA)
   * @param backend cpu or cuda
   * @param id time and commit, sortable by time
   * @param dir its folder
   */
  public record Entry(String machine, String backend, String id, Path dir) {
    public String commit() {
      return id.substring(id.indexOf('-') + 1);
    }

    public String time() {
      return id.substring(0, id.indexOf('-'));
    }

    public Path jmh() {
      return dir.resolve(JMH);
    }

    public Path metadata() {
      return dir.resolve(METADATA);
    }

    /** What the nightly said of this run (none when it kept no findings). */
    public List<RecordedFinding> findings() throws IOException {
      Path f = dir.resolve(FINDINGS);
      return Files.isRegularFile(f) ? RecordedFinding.readAll(f) : List.of();
    }

    public Optional<Path> gate() {
      Path g = dir.resolve(GATE);
      return Files.isRegularFile(g) ? Optional.of(g) : Optional.empty();
    }
  }

  /**
   * Appends a run: copies {@code jmhJson}, {@code metadataJson} and the optional gate results.
   * The entry's machine, backend, time and commit come from the metadata.
   */
  public Entry append(Path jmhJson, Path metadataJson, Optional<Path> gateJson) throws IOException {
    return append(jmhJson, metadataJson, gateJson, null);
  }

  /**
   * The entry a run would get: machine and backend from its metadata, so that the history
   * before it can be read (and the run judged) before it is appended.
   */
  public Entry placeOf(Path metadataJson) throws IOException {
    RunMetadata meta = RunMetadata.read(metadataJson);
    String backend = requested(meta);
    String machine = machineId(meta);
    String time = Objects.requireNonNullElse(meta.collectedAt(), "").replaceAll("[-:]", "");
    String commit = meta.suite() == null ? "unknown" : meta.suite().commitId().abbreviated();
    String id = time + "-" + commit;
    return new Entry(machine, backend, id, root.resolve(machine).resolve(backend).resolve(id));
  }

  /** Appends a run as above, with the detector's findings about it ({@code null}: none). */
  public Entry append(Path jmhJson, Path metadataJson, Optional<Path> gateJson, List<RecordedFinding> findings)
      throws IOException {
    Entry place = placeOf(metadataJson);
    String backend = place.backend();
    String machine = place.machine();
    Path parent = root.resolve(machine).resolve(backend);
    Files.createDirectories(parent);
    String id = place.id();
    Path target = parent.resolve(id);
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target + " is already in the history; entries are never overwritten");
    }
    Path tmp = Files.createTempDirectory(parent, ".incoming-");
    try {
      Files.copy(jmhJson, tmp.resolve(JMH));
      Files.copy(metadataJson, tmp.resolve(METADATA));
      if (gateJson.isPresent()) {
        Files.copy(gateJson.get(), tmp.resolve(GATE));
      }
      if (findings != null) {
        RecordedFinding.writeAll(tmp.resolve(FINDINGS), findings);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } finally {
      if (tmp != null) {
        deleteTree(tmp);
      }
    }
    return new Entry(machine, backend, id, target);
  }

  /**
   * Folds another history into this one under the suite's one merge rule ({@link MergeRule}, as
   * {@code ./suite merge} for baselines): its wall-time entries and its nightly counts
   * ({@link CountHistory}), each keyed by its folder under the history
   * ({@code <machine>/<backend>/<id>}, {@code counts/<cpu>/<jit>/<id>}). An entry this one lacks is
   * copied in; one with the same folder and the same files merges once; one whose files differ is
   * refused, both shown, unless {@code keep} says which to keep. Nothing changes when an entry is
   * refused. Each copied entry is assembled beside its place and renamed into it.
   *
   * @return what the merge did, by entry folder
   * @throws IllegalArgumentException when {@code other} holds no entry at all (not a history folder)
   */
  public MergeRule.Outcome<String, Path> importFrom(History other, MergeRule.Keep keep) throws IOException {
    Map<String, Path> theirs = other.entryFolders();
    if (theirs.isEmpty()) { // a wrong folder (ci/ for ci/history) would otherwise "import 0 entries" and pass
      throw new IllegalArgumentException(other.root + " holds no history entry (<machine>/<backend>/<id>/ with " + JMH
          + " and " + METADATA + ", or counts/<cpu>/<jit>/<id>/ with " + CountHistory.COUNTS + "): not a history folder");
    }
    MergeRule.Outcome<String, Path> outcome = MergeRule.merge(entryFolders(), theirs, History::sameFiles,
        History::describe, keep);
    List<String> copy = new ArrayList<>(outcome.added());
    if (keep == MergeRule.Keep.THEIRS) {
      copy.addAll(outcome.conflicts());
    }
    for (String key : copy) {
      Path source = theirs.get(key);
      Path target = root.resolve(key);
      Path parent = target.getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempDirectory(parent, ".incoming-");
      Path old = null;
      try {
        try (Stream<Path> files = Files.list(source)) {
          for (Path f : files.toList()) {
            Files.copy(f, tmp.resolve(f.getFileName().toString()));
          }
        }
        if (Files.exists(target)) {
          old = parent.resolve(".replaced-" + target.getFileName());
          Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        tmp = null;
        if (old != null) {
          deleteTree(old);
        }
      } finally {
        if (tmp != null) {
          deleteTree(tmp);
        }
      }
    }
    return outcome;
  }

  /** Every entry's folder, wall time and counts, by its path under the history ('/' between names). */
  private Map<String, Path> entryFolders() throws IOException {
    List<Path> dirs = new ArrayList<>(entries().stream().map(Entry::dir).toList());
    dirs.addAll(new CountHistory(root).entries().stream().map(CountHistory.Entry::dir).toList());
    Map<String, Path> out = new LinkedHashMap<>();
    for (Path d : dirs) {
      out.put(root.relativize(d).toString().replace(d.getFileSystem().getSeparator(), "/"), d);
    }
    return out;
  }

  /** Same file names with the same bytes. */
  private static boolean sameFiles(Path a, Path b) {
    try {
      List<String> namesA = fileNames(a);
      if (!namesA.equals(fileNames(b))) {
        return false;
      }
      for (String name : namesA) {
        if (Files.mismatch(a.resolve(name), b.resolve(name)) != -1) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compare " + a + " with " + b, e);
    }
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static String describe(Path dir) {
    try {
      StringBuilder sb = new StringBuilder(dir.toString()).append(':');
      for (String name : fileNames(dir)) {
        sb.append(' ').append(name).append(" (").append(Files.size(dir.resolve(name))).append(" bytes)");
      }
      return sb.toString();
    } catch (IOException ex) {
      return dir.toString();
    }
  }

  /** Every complete entry, oldest first within each machine and backend. */
  public List<Entry> entries() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    for (Path machine : dirs(root)) {
      for (Path backend : dirs(machine)) {
        for (Path run : dirs(backend)) {
          if (Files.isRegularFile(run.resolve(JMH)) && Files.isRegularFile(run.resolve(METADATA))) {
            out.add(new Entry(machine.getFileName().toString(), backend.getFileName().toString(),
                run.getFileName().toString(), run));
          }
        }
      }
    }
    out.sort(Comparator.comparing(Entry::machine).thenComparing(Entry::backend).thenComparing(Entry::id));
    return out;
  }

  /** The entries of one machine and backend before {@code entry}, newest last. */
  public List<Entry> before(Entry entry) throws IOException {
    return entries().stream()
        .filter(e -> e.machine().equals(entry.machine()) && e.backend().equals(entry.backend())
            && e.id().compareTo(entry.id()) < 0)
        .toList();
  }

  private static List<Path> dirs(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      return s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  /** A file-name-safe id of the machine: CPU model and cores, plus the GPU on CUDA. */
  static String machineId(RunMetadata meta) {
    String id = meta.cpu() == null ? "unknown-cpu-x0"
        : Objects.requireNonNullElse(meta.cpu().model(), "unknown-cpu") + "-x" + meta.cpu().logicalCores();
    if ("cuda".equals(requested(meta))) {
      id = Objects.requireNonNullElse(meta.backend().deviceName(), "unknown-gpu") + "-on-" + id;
    }
    return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("(^-|-$)", "");
  }

  /** The backend the run asked for (cpu, cuda); cpu in metadata without one. */
  private static String requested(RunMetadata meta) {
    return meta.backend() == null || meta.backend().requested() == null ? "cpu" : meta.backend().requested();
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException ignored) {
      // best effort: a leftover .incoming-* folder is never read as an entry
    }
  }
}
