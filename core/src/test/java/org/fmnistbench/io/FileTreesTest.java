package org.fmnistbench.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir
  Path tmp;

  @Test
  void deletesTheFolderAndEverythingUnderItButNotWhatALinkPointsTo() throws IOException {
    Path outside = Files.writeString(tmp.resolve("kept.txt"), "kept");
    Path tree = tmp.resolve("tree");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/file.json"), "{}");
    Files.writeString(tree.resolve("top.txt"), "x");
    Files.createSymbolicLink(tree.resolve("a/link"), outside);

    FileTrees.delete(tree);

    assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isRegularFile(outside), "a link's target outside the tree survives");
  }

  @Test
  void aMissingFolderIsNothingToDo() throws IOException {
    FileTrees.delete(tmp.resolve("never-made"));
    assertTrue(Files.isDirectory(tmp));
  }
}
