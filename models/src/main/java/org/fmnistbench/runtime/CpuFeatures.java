package org.fmnistbench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CPU's model and instruction-set flags, as Linux reports them in /proc/cpuinfo.
 *
 * @param model the "model name" line
 * @param flags the "flags" line, split
 */
public record CpuFeatures(String model, Set<String> flags) {

  /** This machine's CPU; without /proc/cpuinfo, no flags (the plain builds only). */
  public static CpuFeatures detect() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
    } catch (IOException e) {
      return new CpuFeatures(System.getProperty("os.arch"), Set.of());
    }
  }

  /** Reads the first processor's model and flags from /proc/cpuinfo's lines. */
  static CpuFeatures parse(List<String> cpuinfo) {
    String model = System.getProperty("os.arch");
    Set<String> flags = Set.of();
    for (String line : cpuinfo) {
      String value = line.substring(line.indexOf(':') + 1).trim();
      if (line.startsWith("model name") && model.equals(System.getProperty("os.arch"))) {
        model = value;
      } else if (line.startsWith("flags") && flags.isEmpty()) {
        flags = Arrays.stream(value.split("\\s+")).collect(Collectors.toUnmodifiableSet());
      }
    }
    return new CpuFeatures(model, flags);
  }

  /** The widest vector extension present, for reports: avx512, avx2, avx or none. */
  public String simdLevel() {
    if (NativeBuild.AVX512.runsOn(this)) {
      return "avx512";
    }
    return flags.contains("avx2") ? "avx2" : flags.contains("avx") ? "avx" : "none";
  }
}
