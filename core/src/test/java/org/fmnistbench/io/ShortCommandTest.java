package org.fmnistbench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShortCommandTest {
  private static List<String> sh(String script) {
    return List.of("/bin/sh", "-c", script);
  }

  @Test
  void standardErrorJoinsTheOutputOnlyWhenAskedFor() throws Exception {
    String script = "echo out; echo err >&2; exit 3";
    ShortCommand.Finished both = ShortCommand.run(sh(script), null, ShortCommand.Streams.BOTH, Duration.ofSeconds(30)).orElseThrow();
    assertEquals(3, both.exit());
    assertFalse(both.ok());
    assertEquals("out\nerr\n", both.output());
    assertEquals("err", both.lastLine());
    ShortCommand.Finished out = ShortCommand.run(sh(script), null, ShortCommand.Streams.STDOUT, Duration.ofSeconds(30)).orElseThrow();
    assertEquals("out\n", out.output());
  }

  @Test
  void itRunsInTheFolderItIsGiven(@TempDir Path dir) throws Exception {
    assertEquals(dir.toRealPath().toString(), ShortCommand.run(List.of("pwd", "-P"), dir, ShortCommand.Streams.STDOUT,
        Duration.ofSeconds(30)).orElseThrow().output().trim());
  }

  @Test
  void outputBeyondWhatAPipeHoldsNeitherBlocksNorIsCut() throws Exception {
    ShortCommand.Finished f = ShortCommand.run(sh("head -c 1000000 /dev/zero | tr '\\0' w >&2; echo; echo last"), null,
        ShortCommand.Streams.BOTH, Duration.ofSeconds(30)).orElseThrow();
    assertTrue(f.ok());
    assertEquals(1_000_000 + "\nlast\n".length(), f.output().length());
    assertEquals("last", f.lastLine());
  }

  @Test
  void aCommandPastItsLimitIsKilledAndReportedAsSuch() throws Exception {
    long start = System.nanoTime();
    Optional<ShortCommand.Finished> hung = ShortCommand.run(sh("echo started; exec sleep 30"), null, ShortCommand.Streams.BOTH,
        Duration.ofMillis(500));
    assertTrue(hung.isEmpty());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "waited past the limit");
  }

  @Test
  void aCommandThatCannotStartIsAnIoException(@TempDir Path dir) {
    assertThrows(IOException.class, () -> ShortCommand.run(List.of(dir.resolve("absent").toString()), null,
        ShortCommand.Streams.BOTH, Duration.ofSeconds(30)));
  }
}
