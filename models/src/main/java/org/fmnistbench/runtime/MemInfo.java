package org.fmnistbench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** This machine's memory figures, as Linux reports them in /proc/meminfo. */
public final class MemInfo {
  private MemInfo() {}

  /** A /proc/meminfo entry ("MemTotal", "MemAvailable", ...) in bytes; empty off Linux or if absent. */
  public static OptionalLong bytes(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(key + ":")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or a format we do not know: no figure
    }
    return OptionalLong.empty();
  }
}
