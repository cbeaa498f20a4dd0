package org.fmnistbench.baselines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One writer at a time in a baselines folder, across processes: a merge, a recording's row and a
 * reader finishing an interrupted merge each hold an exclusive lock on {@code .lock} (the
 * operating system's file lock, released if the process dies), and re-read the files under it,
 * so that none rewrites what another changed after it read. Within one JVM a reentrant lock
 * guards the file lock, which the JVM holds once per file.
 */
final class BaselinesLock {
  static final String FILE = ".lock";
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  private static final ThreadLocal<Map<Path, FileLock>> HELD = ThreadLocal.withInitial(HashMap::new);

  private BaselinesLock() {}

  static <T> T locked(Path dir, Supplier<T> action) {
    Path key = dir.toAbsolutePath().normalize();
    ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
    local.lock();
    try {
      if (HELD.get().containsKey(key) || !Files.isDirectory(key) || !Files.isWritable(key)) {
        // held already by this thread; or nothing there yet to protect; or a read-only copy no one writes
        return action.get();
      }
      try (FileChannel channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock lock = channel.lock()) {
        HELD.get().put(key, lock);
        try {
          return action.get();
        } finally {
          HELD.get().remove(key);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the baselines folder " + dir, e);
    } finally {
      local.unlock();
    }
  }

  /**
   * Rewrites a file of a baselines folder: creates the folder, takes its lock, finishes an
   * interrupted merge, then runs {@code rewrite}, which must read the file afresh.
   */
  static void rewriting(Path file, Runnable rewrite) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    locked(dir, () -> {
      BaselineMerge.recover(dir);
      rewrite.run();
    });
  }

  static void locked(Path dir, Runnable action) {
    locked(dir, () -> {
      action.run();
      return null;
    });
  }
}
