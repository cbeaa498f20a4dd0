package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  void aCheckoutIsDirtyWhenATrackedFileChangedOrItsStatusCannotBeHad() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    git(repo, "init", "-q");
    Files.writeString(repo.resolve("a.txt"), "a\n");
    git(repo, "add", "a.txt");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "a");
    CommitId clean = CommitId.fromGit(repo);
    assertEquals(40, clean.hash().length(), clean.full());
    assertFalse(clean.dirty());
    Files.writeString(repo.resolve("a.txt"), "b\n");
    assertTrue(CommitId.fromGit(repo).dirty());
    git(repo, "checkout", "-q", "a.txt");
    // a status that hangs (here an fsmonitor hook that does not answer) is cut off at the
    // limit, and a checkout that could not be shown clean is not called clean
    Path hook = dir.resolve("fsmonitor-that-hangs");
    Files.writeString(hook, "#!/bin/sh\nsleep 30\n");
    assertTrue(hook.toFile().setExecutable(true));
    git(repo, "config", "core.fsmonitor", hook.toString());
    long start = System.nanoTime();
    CommitId stuck = CommitId.fromGit(repo, 1);
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15, "waited past the limit for a hung git");
    assertEquals(clean.hash(), stuck.hash());
    assertTrue(stuck.dirty());
  }

  private static void git(Path repo, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    assertEquals(0, new ProcessBuilder(command).directory(repo.toFile()).inheritIO().start().waitFor(), command.toString());
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
