package org.fmnistbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How busy the machine was while a JMH run measured: the CPU time the hypervisor stole from this
 * VM (a shared cloud machine's neighbours), the share of CPU time that was busy at all, and the
 * load average when the run started (other processes already running). Read from Linux's
 * {@code /proc/stat} and {@code /proc/loadavg}; elsewhere every figure is absent.
 */
final class MachineActivity {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path LOADAVG = Path.of("/proc/loadavg");

  private final long[] start;
  private final double loadAtStart;
  private final long startNanos = System.nanoTime();

  private MachineActivity(long[] start, double loadAtStart) {
    this.start = start;
    this.loadAtStart = loadAtStart;
  }

  /** Starts watching. */
  static MachineActivity start() {
    return new MachineActivity(cpuTicks(), loadAverage());
  }

  /** What happened since {@link #start()}, as the run metadata's {@code machine_activity}. */
  Map<String, Object> finish() {
    long[] end = cpuTicks();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wall_seconds", Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
    m.put("load_average_1m_at_start", Double.isNaN(loadAtStart) ? null : loadAtStart);
    if (start != null && end != null) {
      long total = 0;
      long[] d = new long[end.length];
      for (int i = 0; i < end.length; i++) {
        d[i] = end[i] - start[i];
        total += d[i];
      }
      // fields: user nice system idle iowait irq softirq steal (guest time is inside user)
      long idle = d[3] + (d.length > 4 ? d[4] : 0);
      long steal = d.length > 7 ? d[7] : 0;
      m.put("steal_fraction", total == 0 ? null : round4((double) steal / total));
      m.put("busy_fraction", total == 0 ? null : round4(1 - (double) idle / total));
    }
    return m;
  }

  private static double round4(double v) {
    return Math.round(v * 1e4) / 1e4;
  }

  /** The aggregate "cpu" line's first eight counters, or null where there is no /proc/stat. */
  static long[] cpuTicks() {
    try {
      for (String line : Files.readAllLines(STAT)) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          long[] ticks = new long[Math.min(8, f.length - 1)];
          for (int i = 0; i < ticks.length; i++) {
            ticks[i] = Long.parseLong(f[i + 1]);
          }
          return ticks;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or an unexpected format: no figures rather than wrong ones
    }
    return null;
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
