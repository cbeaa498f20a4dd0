package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitIdTest {
  @TempDir
  Path dir;

  @Test
  void spellingsRoundTrip() {
    CommitId dirty = CommitId.parse("0123456789abcdef0123-dirty");
    assertTrue(dirty.dirty());
    assertEquals("0123456789abcdef0123-dirty", dirty.full());
    assertEquals("0123456789ab-dirty", dirty.abbreviated());
    assertEquals("unknown", CommitId.parse("unknown").abbreviated());
  }

  @Test
  void theBuildsStampIsReadBackFromItsJar() throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path checkout = Files.createDirectories(dir.resolve("not-a-checkout"));
    CommitId.main(new String[] {classes.toString(), checkout.toString()});
    Path jar = dir.resolve("build.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new ZipEntry(CommitId.STAMP));
      j.write(Files.readAllBytes(classes.resolve(CommitId.STAMP)));
      j.closeEntry();
    }
    // outside a git checkout (a temporary folder) the stamp says so rather than guessing
    assertEquals(CommitId.fromGit(checkout), CommitId.ofJar(jar).orElseThrow());
    assertEquals("unknown", CommitId.ofJar(jar).orElseThrow().hash());
  }

  @Test
  void aJarWithoutAStampSaysNothing() throws IOException {
    Path jar = dir.resolve("old.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new ZipEntry("org/x/A.class"));
      j.closeEntry();
    }
    assertFalse(CommitId.ofJar(jar).isPresent());
  }
}
