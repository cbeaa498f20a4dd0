package org.fmnistbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every result file of the suite relies on: a failed write loses nothing and leaves nothing behind. */
class AtomicFilesTest {
  @TempDir
  Path tmp;

  @Test
  void replacesTheFileAndCreatesItsFolder() throws IOException {
    Path target = tmp.resolve("a/b/result.json");
    AtomicFiles.writeString(target, "old");
    AtomicFiles.writeJson(target, List.of(1, 2));

    assertEquals("[ 1, 2 ]", Files.readString(target));
    assertEquals(List.of(target), listing(target.getParent()), "no temporary file left beside it");
  }

  /** A result is readable like any file its folder gets (the umask's), not owner-only as a temporary file is. */
  @Test
  void aWrittenFileHasAnOrdinaryFilesPermissions() throws IOException {
    Path written = tmp.resolve("dashboard/index.html");
    AtomicFiles.writeString(written, "<html>");
    Path ordinary = Files.createFile(tmp.resolve("dashboard/ordinary.html"));

    assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(written));
  }

  @Test
  void aWriteThatFailsHalfWayKeepsTheOldFileAndLeavesNoPartFile() throws IOException {
    Path target = tmp.resolve("history.csv");
    AtomicFiles.writeString(target, "row 1\nrow 2\n");

    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, part -> {
      Files.writeString(part, "row 1\n");
      throw new IOException("disk full");
    }));

    assertEquals("disk full", e.getMessage());
    assertEquals("row 1\nrow 2\n", Files.readString(target));
    assertEquals(List.of(target), listing(tmp));
  }

  @Test
  void aCopyReplacesTheTargetAndACopyThatFailsKeepsIt() throws IOException {
    Path kept = tmp.resolve("kept/counts-c1.json");
    AtomicFiles.writeString(kept, "{\"old\": true}");
    Path source = Files.writeString(tmp.resolve("counts-c1.json"), "{\"new\": true}");

    AtomicFiles.copy(source, kept);
    assertEquals("{\"new\": true}", Files.readString(kept));

    assertThrows(IOException.class, () -> AtomicFiles.copy(tmp.resolve("gone.json"), kept));
    assertEquals("{\"new\": true}", Files.readString(kept));
    assertEquals(List.of(kept), listing(kept.getParent()));
  }

  private static List<Path> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
