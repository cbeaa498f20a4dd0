package org.fmnistbench.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deletes a folder with everything under it. Commons IO's {@code PathUtils.deleteDirectory} does
 * this, but only from 2.9, and DL4J pins commons-io 2.7 for itself: a newer one here would
 * replace DL4J's on every classpath.
 */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code dir} and its contents, deepest first; nothing happens when it does not exist. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
