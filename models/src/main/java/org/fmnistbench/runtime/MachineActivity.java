package org.fmnistbench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fmnistbench.results.RunMetadata;

/**
 * How busy the machine was while something measured (a JMH run, a recorded training run): the CPU
 * time the hypervisor stole from this VM (a shared cloud machine's neighbours), the share of CPU
 * time that was busy at all, the share that other processes than this JVM used (a build or a second
 * ND4J process beside a recording), and the load average at the start. Read from Linux's
 * {@code /proc/stat}, {@code /proc/self/stat} and {@code /proc/loadavg}; elsewhere every figure is
 * absent.
 */
public final class MachineActivity {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Path LOADAVG = Path.of("/proc/loadavg");
  private static final Path SELF = Path.of("/proc/self/stat");

  private final long[] start;
  private final long ownStart;
  private final double loadAtStart;
  private final long startNanos = System.nanoTime();

  private MachineActivity(long[] start, long ownStart, double loadAtStart) {
    this.start = start;
    this.ownStart = ownStart;
    this.loadAtStart = loadAtStart;
  }

  /** Starts watching. */
  public static MachineActivity start() {
    return new MachineActivity(cpuTicks(), ownTicks(), loadAverage());
  }

  /**
   * The share of the machine's CPU time since {@link #start()} that processes other than this one
   * and its children used: about 0 on a quiet machine; NaN where /proc is missing. (A child still
   * running at the end counts as other until it ends.)
   */
  public double othersBusyFraction() {
    return ticksSinceStart().map(Ticks::othersBusy).orElse(Double.NaN);
  }

  /** What happened since {@link #start()}, as the run metadata's {@code machine_activity}. */
  public RunMetadata.MachineActivity finish() {
    Optional<Ticks> ticks = ticksSinceStart();
    double wall = Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    Double load = Double.isNaN(loadAtStart) ? null : loadAtStart;
    if (ticks.isEmpty()) {
      return new RunMetadata.MachineActivity(wall, load, null, null, null);
    }
    Ticks t = ticks.get();
    boolean none = t.total() == 0;
    double others = t.othersBusy();
    return new RunMetadata.MachineActivity(wall, load, none ? null : round4((double) t.steal() / t.total()),
        none ? null : round4(1 - (double) t.idle() / t.total()), Double.isNaN(others) ? null : others);
  }

  /**
   * CPU ticks since the start: all of the machine's, its idle and stolen ones, and this process's
   * with its ended children ({@code own} is -1 where /proc/self/stat is missing).
   */
  private record Ticks(long total, long idle, long steal, long own) {
    double othersBusy() {
      if (total == 0 || own < 0) {
        return Double.NaN;
      }
      return round4(Math.max(0, (double) (total - idle - steal - own) / total));
    }
  }

  private Optional<Ticks> ticksSinceStart() {
    long[] end = cpuTicks();
    long ownEnd = ownTicks();
    if (start == null || end == null) {
      return Optional.empty();
    }
    long total = 0;
    for (int i = 0; i < end.length; i++) {
      total += end[i] - start[i];
    }
    // fields: user nice system idle iowait irq softirq steal (guest time is inside user)
    long idle = (end[3] - start[3]) + (end.length > 4 ? end[4] - start[4] : 0);
    long steal = end.length > 7 ? end[7] - start[7] : 0;
    long own = ownStart < 0 || ownEnd < 0 ? -1 : ownEnd - ownStart;
    return Optional.of(new Ticks(total, idle, steal, own));
  }

  /**
   * CPU time (user + system) of this process and of its children that ended (JMH's forks), in
   * clock ticks (the unit of /proc/stat), or -1.
   */
  static long ownTicks() {
    try {
      String stat = Files.readString(SELF);
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // utime, stime, cutime, cstime: fields 14-17
      return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
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
