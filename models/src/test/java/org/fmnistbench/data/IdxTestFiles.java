package org.fmnistbench.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests. */
final class IdxTestFiles {
  private IdxTestFiles() {}

  /** The uncompressed bytes of an IDX file of unsigned bytes with the given dims and payload. */
  static byte[] idx(int[] dims, byte[] payload) {
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
    buf.putInt(0x0800 | dims.length);
    for (int d : dims) {
      buf.putInt(d);
    }
    buf.put(payload);
    return buf.array();
  }

  static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Payload bytes 0, 1, 2, ... (mod 10, so they are valid labels too). */
  static byte[] payload(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 10);
    }
    return b;
  }
}
