package org.fmnistbench.io;

import java.nio.file.Path;

/** Where the suite keeps per-user files. */
public final class SuiteDirs {
  private SuiteDirs() {}

  /** {@code $XDG_CACHE_HOME/dl4j-fmnist-suite}, else {@code ~/.cache/dl4j-fmnist-suite}. */
  public static Path cacheRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("dl4j-fmnist-suite");
  }
}
