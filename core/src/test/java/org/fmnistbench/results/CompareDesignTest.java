package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareDesignTest {
  @TempDir
  Path tmp;

  @Test
  void everySideTakesEveryPlaceEquallyOftenAndTheSeedFixesTheOrder() {
    List<String> sides = List.of("default", "stock", "pytorch");
    CompareDesign d = CompareDesign.balanced(sides, 6, 42);
    Map<String, int[]> places = new HashMap<>();
    for (int r = 1; r <= 6; r++) {
      List<String> round = d.sides(r);
      assertEquals(3, round.size(), round.toString());
      assertTrue(round.containsAll(sides), round.toString());
      for (int i = 0; i < 3; i++) {
        places.computeIfAbsent(round.get(i), k -> new int[3])[i]++;
      }
    }
    places.forEach((side, counts) -> assertEquals(List.of(2, 2, 2), List.of(counts[0], counts[1], counts[2]), side));
    assertEquals(d, CompareDesign.balanced(sides, 6, 42));
    assertTrue(LongStream.range(0, 20).mapToObj(seed -> CompareDesign.balanced(sides, 6, seed).order())
        .distinct().count() > 1, "different seeds give different orders");
  }

  @Test
  void itRoundTripsAndRefusesAFolderWithoutIt() throws Exception {
    CompareDesign d = CompareDesign.balanced(List.of("a", "b"), 3, 7);
    d.write(tmp);
    assertTrue(CompareDesign.isIn(tmp));
    assertEquals(d, CompareDesign.read(tmp));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompareDesign.read(empty));
    assertTrue(e.getMessage().contains("compare.json"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CompareDesign(1, 0, List.of("a")));
  }
}
