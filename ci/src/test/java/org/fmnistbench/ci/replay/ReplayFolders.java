package org.fmnistbench.ci.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch folders of the workflow replays, under target/replay/, emptied at the start and kept after. */
final class ReplayFolders {
  private ReplayFolders() {}

  static Path fresh(String name) {
    Path dir = Path.of("target/replay", name).toAbsolutePath();
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> tree = Files.walk(dir)) {
          for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + dir, e);
    }
  }
}
