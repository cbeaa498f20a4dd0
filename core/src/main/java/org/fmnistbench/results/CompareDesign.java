package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import org.fmnistbench.io.AtomicFiles;

/**
 * A cross-framework comparison measured in paired rounds ({@code compare.json}; benchmarks'
 * {@code BenchDriver compare}): in each round every side runs once, one fork or process each, in
 * the round's order, so a ratio is taken between figures measured minutes apart and the
 * machine's slower drift cancels from it. Read and written here alone; a comparison folder
 * without it was measured in one block per side (unpaired).
 *
 * @param rounds how many rounds
 * @param seed the order's seed
 * @param order each round's sides, in the order measured, comma-separated
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompareDesign(@JsonProperty("rounds") int rounds, @JsonProperty("seed") long seed,
    @JsonProperty("order") List<String> order) {
  public static final String FILE = "compare.json";

  public CompareDesign {
    if (rounds < 2 || order == null || order.size() != rounds) {
      throw new IllegalArgumentException("a paired comparison needs at least 2 rounds and one order per round; got " + rounds
          + " rounds and " + (order == null ? "no" : order.size()) + " orders");
    }
    order = List.copyOf(order);
  }

  /**
   * A design whose rounds put each side in each position equally often (as nearly as the rounds
   * allow): rotations of a shuffled order of the sides, the rounds then shuffled, so that
   * whatever going first does to a fork falls on every side alike.
   */
  public static CompareDesign balanced(List<String> sides, int rounds, long seed) {
    Random random = new Random(new SplittableRandom(seed).nextLong());
    List<String> base = new ArrayList<>(sides);
    Collections.shuffle(base, random);
    List<String> order = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      List<String> rotated = new ArrayList<>(base);
      Collections.rotate(rotated, r % base.size());
      order.add(String.join(",", rotated));
    }
    Collections.shuffle(order, random);
    return new CompareDesign(rounds, seed, order);
  }

  /** Round {@code r}'s sides in the order measured (r from 1). */
  public List<String> sides(int r) {
    return List.of(order.get(r - 1).split(","));
  }

  /** The prefix of round {@code r}'s files in the comparison's folder: {@code round03-}. */
  public static String prefix(int r) {
    return String.format(Locale.ROOT, "round%02d-", r);
  }

  /** Whether {@code dir} holds a paired comparison. */
  public static boolean isIn(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  public static CompareDesign read(Path dir) throws IOException {
    return DesignFiles.read(dir, FILE, CompareDesign.class, "a paired 'BenchDriver compare' result folder",
        "a paired comparison's design");
  }

  public void write(Path dir) throws IOException {
    AtomicFiles.writeJson(dir.resolve(FILE), this);
  }
}
