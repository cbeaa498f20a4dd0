package org.fmnistbench.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Reads one gzip-compressed IDX file (the format of the original MNIST and Fashion-MNIST
 * files) and checks everything it can: gzip integrity, the magic number, the dimensions,
 * the exact payload length and the SHA-256 of the decompressed content.
 *
 * <p>The checksum is over the decompressed bytes so that a recompressed copy (Debian's
 * package recompresses the originals) verifies the same as the canonical download.
 */
public final class IdxFile {
  /** IDX type code for unsigned bytes, the only element type Fashion-MNIST uses. */
  private static final int UNSIGNED_BYTE = 0x08;

  private final int[] dims;
  private final byte[] data;

  private IdxFile(int[] dims, byte[] data) {
    this.dims = dims;
    this.data = data;
  }

  /** The dimensions from the header, e.g. {60000, 28, 28}. */
  public int[] dims() {
    return dims.clone();
  }

  /** The payload: one unsigned byte per element, row-major. */
  public byte[] data() {
    return data;
  }

  /**
   * Reads and verifies a file against its expected shape and checksum.
   *
   * @param file the .gz file
   * @param expected its expected dimensions and the SHA-256 of its decompressed content
   */
  public static IdxFile read(Path file, DataFileSpec expected) {
    byte[] raw = decompress(file);
    String sha = sha256(raw);
    IdxFile idx = parse(file, raw, expected.dims());
    if (!sha.equals(expected.sha256())) {
      throw new DataFileException(file, "SHA-256 of the decompressed content is " + sha
          + ", expected " + expected.sha256() + " (corrupt or not the Fashion-MNIST "
          + expected.name() + ")");
    }
    return idx;
  }

  private static byte[] decompress(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DataFileException(file, "no such file");
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      // EOFException (truncated) and ZipException (corrupt) both land here.
      throw new DataFileException(file, "not a complete gzip file ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  static IdxFile parse(Path file, byte[] raw, int[] expectedDims) {
    if (raw.length < 4) {
      throw new DataFileException(file, "only " + raw.length + " bytes, too short for an IDX header");
    }
    ByteBuffer buf = ByteBuffer.wrap(raw); // IDX is big-endian, ByteBuffer's default
    int magic = buf.getInt();
    int type = (magic >>> 8) & 0xff;
    int rank = magic & 0xff;
    if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank != expectedDims.length) {
      throw new DataFileException(file, String.format(
          "IDX magic number 0x%08x, expected 0x%08x (unsigned bytes, %d dimensions)",
          magic, (UNSIGNED_BYTE << 8) | expectedDims.length, expectedDims.length));
    }
    if (raw.length < 4 + 4 * rank) {
      throw new DataFileException(file, "header truncated: " + raw.length + " bytes");
    }
    int[] dims = new int[rank];
    long elements = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = buf.getInt();
      elements *= dims[i];
    }
    if (!Arrays.equals(dims, expectedDims)) {
      throw new DataFileException(file, "dimensions " + Arrays.toString(dims)
          + ", expected " + Arrays.toString(expectedDims));
    }
    long payload = raw.length - buf.position();
    if (payload != elements) {
      throw new DataFileException(file, "payload has " + payload + " bytes, expected "
          + elements + (payload < elements ? " (truncated)" : " (trailing bytes)"));
    }
    return new IdxFile(dims, Arrays.copyOfRange(raw, buf.position(), raw.length));
  }

  /** Hex SHA-256 of the given bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
