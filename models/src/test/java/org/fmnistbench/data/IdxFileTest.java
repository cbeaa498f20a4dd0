package org.fmnistbench.data;

import static org.fmnistbench.data.IdxTestFiles.gzip;
import static org.fmnistbench.data.IdxTestFiles.idx;
import static org.fmnistbench.data.IdxTestFiles.payload;
import static org.fmnistbench.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
  @TempDir Path dir;

  private static final int[] DIMS = {3, 4, 4};

  private DataFileSpec spec(byte[] raw) {
    return new DataFileSpec("x.gz", DIMS, IdxFile.sha256(raw));
  }

  @Test
  void readsAValidFile() {
    byte[] raw = idx(DIMS, payload(48));
    Path f = write(dir.resolve("x.gz"), gzip(raw));
    IdxFile idx = IdxFile.read(f, spec(raw));
    assertArrayEquals(DIMS, idx.dims());
    assertArrayEquals(payload(48), idx.data());
  }

  @Test
  void rejectsAWrongMagicNumber() {
    byte[] raw = idx(DIMS, payload(48));
    raw[2] = 0x0d; // float instead of unsigned byte
    Path f = write(dir.resolve("x.gz"), gzip(raw));
    assertMessage(f, spec(raw), "magic number");
  }

  @Test
  void rejectsWrongDimensions() {
    byte[] raw = idx(new int[] {3, 4, 5}, payload(60));
    Path f = write(dir.resolve("x.gz"), gzip(raw));
    assertMessage(f, spec(raw), "dimensions [3, 4, 5], expected [3, 4, 4]");
  }

  @Test
  void rejectsATruncatedPayload() {
    byte[] raw = Arrays.copyOf(idx(DIMS, payload(48)), 4 + 12 + 40);
    Path f = write(dir.resolve("x.gz"), gzip(raw));
    assertMessage(f, spec(raw), "payload has 40 bytes, expected 48 (truncated)");
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] raw = idx(DIMS, payload(50));
    raw[7] = 3; // header still says 3x4x4 = 48
    Path f = write(dir.resolve("x.gz"), gzip(raw));
    assertMessage(f, spec(raw), "trailing bytes");
  }

  @Test
  void rejectsATruncatedGzipFile() {
    byte[] raw = idx(DIMS, payload(48));
    byte[] gz = gzip(raw);
    Path f = write(dir.resolve("x.gz"), Arrays.copyOf(gz, gz.length / 2));
    assertMessage(f, spec(raw), "not a complete gzip file");
  }

  @Test
  void rejectsAChecksumMismatch() {
    byte[] raw = idx(DIMS, payload(48));
    byte[] other = idx(DIMS, payload(48));
    other[20] = 9; // same shape, different content
    Path f = write(dir.resolve("x.gz"), gzip(other));
    assertMessage(f, spec(raw), "SHA-256 of the decompressed content is");
  }

  @Test
  void rejectsAMissingFile() {
    assertMessage(dir.resolve("absent.gz"), spec(idx(DIMS, payload(48))), "no such file");
  }

  private static void assertMessage(Path f, DataFileSpec spec, String expected) {
    DataFileException e = assertThrows(DataFileException.class, () -> IdxFile.read(f, spec));
    assertTrue(e.getMessage().startsWith(f.toString()), "message names the file: " + e.getMessage());
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
