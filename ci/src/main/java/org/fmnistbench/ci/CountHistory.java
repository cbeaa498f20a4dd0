package org.fmnistbench.ci;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;
import org.fmnistbench.results.CountResults;

/**
 * The nightly counts, beside the wall-time history: {@code <history>/counts/<cpu>/<jit>/<id>/}
 * holding the night's {@code counts.json} and what the detector said of it
 * ({@code findings.json}). Counts of one CPU model and JIT setting form a series; an entry is
 * assembled in a temporary folder and renamed into place, never overwritten.
 */
public final class CountHistory {
  static final String COUNTS = "counts.json";
  static final String FINDINGS = "findings.json";
  private final Path root;

  public CountHistory(Path history) {
    this.root = history.resolve("counts");
  }

  /**
   * One night's counts.
   *
   * @param cpu the CPU model's folder name
   * @param jit the JIT setting
   * @param id UTC time and commit
   * @param dir its folder
   */
  public record Entry(String cpu, String jit, String id, Path dir) {
    public CountResults counts() throws IOException {
      return CountResults.read(dir.resolve(COUNTS));
    }

    public Optional<Path> findings() {
      Path f = dir.resolve(FINDINGS);
      return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /** What the detector said of this night (none when the entry has no findings file). */
    public List<CountDetector.Finding> findingsList() throws IOException {
      Optional<Path> f = findings();
      return f.isEmpty() ? List.of() : List.of(JsonFiles.read(FINDINGS_READER, f.get(), CountDetector.Finding[].class,
          "a counting night's findings (the count detector's verdict per point)"));
    }
  }

  private static final ObjectMapper FINDINGS_READER = new ObjectMapper();

  /** The folder name of a CPU model. */
  static String cpuId(String model) {
    return model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("(^-|-$)", "");
  }

  /** The entry {@code run} gets: its CPU, JIT setting, start time and commit. */
  public Entry placeOf(CountResults run) {
    String time = run.setting().started().replaceAll("[-:]", "").replaceAll("\\.[0-9]+", "");
    String commit = run.setting().commit().length() > 12 ? run.setting().commit().substring(0, 12) : run.setting().commit();
    String cpu = cpuId(run.setting().cpu());
    String id = time + "-" + commit.replaceAll("[^a-zA-Z0-9-]", "");
    return new Entry(cpu, run.setting().jit(), id, root.resolve(cpu).resolve(run.setting().jit()).resolve(id));
  }

  /** Appends a night's counts with the findings about them. */
  public Entry append(CountResults run, List<CountDetector.Finding> findings) throws IOException {
    Entry place = placeOf(run);
    Path parent = place.dir().getParent();
    Files.createDirectories(parent);
    if (Files.exists(place.dir())) {
      throw new FileAlreadyExistsException(place.dir() + " is already in the history; entries are never overwritten");
    }
    Path tmp = Files.createTempDirectory(parent, ".incoming-");
    run.write(tmp.resolve(COUNTS));
    AtomicFiles.writeJson(tmp.resolve(FINDINGS), findings);
    Files.move(tmp, place.dir(), StandardCopyOption.ATOMIC_MOVE);
    return place;
  }

  /** Every entry, oldest first within each CPU and JIT setting. */
  public List<Entry> entries() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    for (Path cpu : dirs(root)) {
      for (Path jit : dirs(cpu)) {
        for (Path run : dirs(jit)) {
          if (Files.isRegularFile(run.resolve(COUNTS))) {
            out.add(new Entry(cpu.getFileName().toString(), jit.getFileName().toString(), run.getFileName().toString(), run));
          }
        }
      }
    }
    out.sort(Comparator.comparing(Entry::cpu).thenComparing(Entry::jit).thenComparing(Entry::id));
    return out;
  }

  /** The entries of {@code place}'s CPU and JIT setting before it, oldest first. */
  public List<Entry> before(Entry place) throws IOException {
    return entries().stream().filter(e -> e.cpu().equals(place.cpu()) && e.jit().equals(place.jit())
        && e.id().compareTo(place.id()) < 0).toList();
  }

  private static List<Path> dirs(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      return s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }
}
