package org.fmnistbench.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so that readers see either the old content or the new, never half of it: the
 * content goes to a temporary {@code *.part} file beside the target, which is then renamed
 * into place. An interrupted write leaves at most a {@code *.part} file, which no reader takes
 * for the real one; a failed write deletes it.
 */
public final class AtomicFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Fills a temporary file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path tmp) throws IOException;
  }

  /** Writes {@code target} through a temporary file beside it, creating its folder. */
  public static void write(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = newPartFile(dir, target.getFileName().toString());
    try {
      content.writeTo(tmp);
      // on disk before the rename, and the rename on disk after it: a crash then leaves the old
      // file or the new one, never a renamed empty one
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      moveIntoPlace(tmp, target);
      tmp = null;
      try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException directoryNotSyncable) {
        // some file systems cannot open a folder for sync; the rename is still atomic
      }
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * A new, empty {@code <name>.<random>.part} in {@code dir}, with an ordinary file's permissions
   * (the process's umask): {@link Files#createTempFile} makes it owner-only, and the rename
   * carried that onto every result, report, history and dashboard file the suite wrote.
   */
  private static Path newPartFile(Path dir, String name) throws IOException {
    while (true) {
      try {
        return Files.createFile(dir.resolve(name + "." + Long.toUnsignedString(RANDOM.nextLong()) + ".part"));
      } catch (FileAlreadyExistsException taken) {
        // another writer's part file of the same target: draw again
      }
    }
  }

  /** Writes {@code value} as pretty-printed JSON. */
  public static void writeJson(Path target, Object value) throws IOException {
    write(target, tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value));
  }

  /** Writes {@code text} as UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
  }

  /** Copies {@code source} to {@code target} through a temporary file: an interrupted copy leaves the old target whole. */
  public static void copy(Path source, Path target) throws IOException {
    write(target, tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING));
  }

  /** Renames atomically where the file system can, so readers never see a partial file. */
  public static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
