package org.fmnistbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitTest {
  /** One image per label 0..n-1 (mod 10), each with a single bright pixel at (row, col). */
  private static FashionMnist.Split marked(int n, int row, int col) {
    byte[] x = new byte[n * FashionMnist.PIXELS];
    byte[] y = new byte[n];
    for (int i = 0; i < n; i++) {
      x[i * FashionMnist.PIXELS + row * FashionMnist.COLS + col] = (byte) 255;
      y[i] = (byte) (i % 10);
    }
    return new FashionMnist.Split(x, y);
  }

  @Test
  void flipMirrorsTheWidthNotTheHeight() {
    FashionMnist.Split s = marked(2, 3, 5);
    FashionMnist.Split f = s.withHorizontalFlips();
    assertEquals(4, f.size());
    int flipped = 2 * FashionMnist.PIXELS; // first mirrored image
    assertEquals((byte) 255, f.pixels()[flipped + 3 * 28 + (27 - 5)], "pixel moves to column 27-5, same row");
    assertEquals(0, f.pixels()[flipped + 3 * 28 + 5]);
    assertEquals(0, f.pixels()[flipped + (27 - 3) * 28 + 5], "rows are not mirrored");
    assertArrayEquals(new byte[] {0, 1, 0, 1}, f.labels(), "labels are repeated in order");
    assertArrayEquals(Arrays.copyOf(s.pixels(), s.pixels().length),
        Arrays.copyOf(f.pixels(), s.pixels().length), "originals come first, unchanged");
  }

  @Test
  void stratifiedTakesTheFirstOfEachClassInFileOrder() {
    FashionMnist.Split s = marked(35, 0, 0);
    FashionMnist.Split sub = s.stratified(3);
    assertEquals(30, sub.size());
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sub.labels());
    assertEquals(35, s.stratified(0).size(), "0 means the whole split");
    assertThrows(IllegalArgumentException.class, () -> s.stratified(4));
  }
}
