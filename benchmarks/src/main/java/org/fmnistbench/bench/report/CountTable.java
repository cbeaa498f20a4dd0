package org.fmnistbench.bench.report;

import java.util.Locale;
import java.util.Map;
import org.fmnistbench.results.CallgrindProfile;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.CountSpread;

/** A counting run as a table: one row per counted process of a point. */
public final class CountTable {
  private CountTable() {}

  /** One line for progress output. */
  public static String line(CountResults.Point p) {
    if (!p.ok()) {
      return p.key() + ": FAILED after " + p.attempts() + " attempts: " + p.failure();
    }
    return String.format(Locale.ROOT, "%s: %.2f M instructions/op, %s per sample, segments within %.3f %%%s", p.key(),
        p.perOp(CountResults.INSTRUCTIONS) / 1e6, thousands(p.perSample(CountResults.INSTRUCTIONS)),
        CountSpread.segmentRangePercent(p), p.attempts() > 1 ? " (attempt " + p.attempts() + ")" : "");
  }

  /** The run's setting in one sentence. */
  public static String settingLine(CountResults run) {
    CountResults.Setting s = run.setting();
    return String.format(Locale.ROOT, "Commit %s, %s, JIT setting %s, runtime %s; %d warm-up operations, then %d "
        + "segment(s) of %d operation(s) counted per process; %s; JVM flags `%s`; %s.", s.commit(), s.cpu(), s.jit(),
        s.runtime(), s.warmupOps(), s.segments(), s.stepsPerSegment(), s.valgrind(), String.join(" ", s.jvmFlags()),
        "platform " + s.platformOrNotRecorded());
  }

  public static String markdown(CountResults run) {
    boolean cache = run.setting().cacheSimulation();
    StringBuilder b = new StringBuilder("| benchmark | variant | engine | batch | instructions/op | per sample "
        + "| segments' spread | native libraries | generated code | JVM |" + (cache ? " est. cycles/op |" : "")
        + " attempts | seconds |\n|---|---|---|---|---|---|---|---|---|---|" + (cache ? "---|" : "") + "---|---|\n");
    for (CountResults.Point p : run.points()) {
      if (!p.ok()) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | failed: %s |%n", p.benchmark(), p.variant(),
            p.engine(), p.batchSize(), p.failure() == null ? "" : p.failure().replace("|", "/")));
        continue;
      }
      double ir = p.perOp(CountResults.INSTRUCTIONS);
      Shares s = Shares.of(p.objects());
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %s | %.3f %% | %.1f %% | %.1f %% | %.1f %% |",
          p.benchmark(), p.variant(), p.engine(), p.batchSize(), thousands(ir), thousands(ir / p.batchSize()),
          CountSpread.segmentRangePercent(p), 100 * s.nativeLibraries / s.total, 100 * s.generated / s.total, 100 * s.jvm / s.total));
      if (cache) {
        b.append(' ').append(thousands(estimatedCycles(p))).append(" |");
      }
      b.append(String.format(Locale.ROOT, " %d | %.0f |%n", p.attempts(), p.seconds()));
    }
    return b.toString();
  }

  /**
   * Callgrind's cycle estimate from instructions and simulated misses (the weights KCachegrind's
   * "Cycle Estimation" uses): Ir + 10 x first-level misses + 100 x last-level misses.
   */
  public static double estimatedCycles(CountResults.Point p) {
    return p.perOp("Ir") + 10 * (p.perOp("I1mr") + p.perOp("D1mr") + p.perOp("D1mw"))
        + 100 * (p.perOp("ILmr") + p.perOp("DLmr") + p.perOp("DLmw"));
  }

  /** A point's instructions split into native libraries, generated code and the JVM's own. */
  record Shares(double nativeLibraries, double generated, double jvm, double total) {
    static Shares of(Map<String, Double> objects) {
      double generated = objects.getOrDefault(CallgrindProfile.UNKNOWN_OBJECT, 0.0)
          + objects.getOrDefault(CallgrindProfile.NATIVE_KERNELS_OBJECT, 0.0);
      double jvm = objects.getOrDefault(CountResults.JVM_OBJECT, 0.0);
      double total = objects.values().stream().mapToDouble(Double::doubleValue).sum();
      return new Shares(total - generated - jvm, generated, jvm, total);
    }
  }

  static String thousands(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
