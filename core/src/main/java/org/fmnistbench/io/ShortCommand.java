package org.fmnistbench.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A short external command (git, nvidia-smi, a Python's import) run to its end under a time
 * limit, its output collected in a temporary file rather than a pipe: a pipe read to its end
 * waits on a hung command past any limit, and a pipe left unread fills and blocks the command.
 * The JDK's redirect to a file does this in a few lines; Commons Exec would add a dependency and
 * a thread per stream for the same.
 */
public final class ShortCommand {
  private ShortCommand() {}

  /** Which of the command's streams its output holds. */
  public enum Streams {
    /** Standard output alone; standard error is discarded (git's warnings must not join a hash). */
    STDOUT,
    /** Standard output and standard error, interleaved as written (an error's last line). */
    BOTH
  }

  /**
   * How a command that finished within its limit ended.
   *
   * @param exit its exit status
   * @param output what it printed, as {@link Streams} chose, UTF-8 decoded
   */
  public record Finished(int exit, String output) {
    public boolean ok() {
      return exit == 0;
    }

    /** The last non-blank line of its output, or "" when it printed nothing. */
    public String lastLine() {
      List<String> lines = output.strip().lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  /**
   * Runs {@code command} in {@code dir} (null: this process's folder).
   *
   * @return how it ended, or empty when it ran past {@code limit} and was killed
   * @throws IOException when it cannot be started (not found, not executable)
   */
  public static Optional<Finished> run(List<String> command, Path dir, Streams streams, Duration limit)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("command-", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile());
      if (dir != null) {
        pb.directory(dir.toAbsolutePath().toFile());
      }
      if (streams == Streams.BOTH) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      }
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(new Finished(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8)));
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
