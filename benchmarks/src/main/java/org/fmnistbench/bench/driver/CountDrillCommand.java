package org.fmnistbench.bench.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.bench.count.CountSetting;
import org.fmnistbench.bench.count.InjectedWork;
import org.fmnistbench.bench.count.PointCounter;
import org.fmnistbench.bench.report.Documents;
import org.fmnistbench.results.CountDrill;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.runtime.CpuFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The injection drill: how small a change the counts catch. Per point, two baseline processes
 * (the second is the A/A control, which must raise nothing; the first also counts one unit of
 * each kind of {@link InjectedWork}), then one process per kind and share with that many units
 * added to every operation. Each is judged against the first baseline by the nightly's limit
 * ({@link CountLimit}, from the A/A runs kept beside COUNTS.md). Writes one
 * {@code count-drill-<time>-<commit>.json} into {@code benchmarks/reports/counts-data/}, beside the
 * drills before it; {@code count-report} renders them all.
 */
@Command(name = "count-drill", mixinStandardHelpOptions = true,
    description = "Inject 1, 2 and 5 %% of extra work into counted points and check that the counts catch it.")
public final class CountDrillCommand implements Callable<Integer> {
  @Mixin
  CountPoints points = new CountPoints("mlp,cnn");

  @Option(names = "--shares", split = ",", description = "Shares of a point's count to inject (default ${DEFAULT-VALUE}).")
  List<Double> shares = List.of(0.01, 0.02, 0.05);

  @Option(names = "--kinds", split = ",", description = "Kinds of injected work: native, java (default ${DEFAULT-VALUE}).")
  List<String> kinds = InjectedWork.KINDS;

  @Option(names = "--jobs", description = "Processes at once (default ${DEFAULT-VALUE}).")
  int jobs = Runtime.getRuntime().availableProcessors();

  /** Refuses what would fail only after a point's baseline was counted (minutes in): a kind or share it cannot inject. */
  void checkOptions() {
    BenchDriver.requireAtLeast("--jobs", jobs, 1);
    for (String kind : kinds) {
      if (!InjectedWork.KINDS.contains(kind)) {
        throw new IllegalArgumentException("--kinds takes " + String.join(" and ", InjectedWork.KINDS) + ", got '" + kind + "'");
      }
    }
    for (double share : shares) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("--shares takes shares of a point's count above 0 and at most 1 (0.02 is 2 %), got "
            + share);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    CountSetting setting = CountSetting.C1;
    String started = LocalDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    CountLimit limit = CountReportCommand.limit(setting.id());
    Path dir = Documents.reportsDir().resolve(CountReportCommand.DATA);
    Path work = Files.createTempDirectory("count-drill");
    String cp = BenchDriver.ChildJvm.OWN_CLASSPATH;
    List<CountDrill.Row> rows = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    try {
      for (PointCounter.Spec spec : points.specs()) {
        PointCounter plain = new PointCounter(setting, cp, setting.warmupOps(), 1, 3, false, 3, 7200);
        PointCounter calibrating = new PointCounter(setting, cp, setting.warmupOps(), 1, 3, false, 3, 7200,
            InjectedWork.NONE, true, "");
        Future<CountResults.Point> baseF = pool.submit(() -> calibrating.count(spec, work.resolve(spec.folderName() + "-base")));
        Future<CountResults.Point> aaF = pool.submit(() -> plain.count(spec, work.resolve(spec.folderName() + "-aa")));
        CountResults.Point base = baseF.get();
        if (!base.ok()) {
          throw new IllegalStateException(spec.folderName() + ": the baseline could not be counted: " + base.failure());
        }
        double b = base.perOp(CountResults.INSTRUCTIONS);
        double lim = limit.limit(base.key());
        List<Future<CountResults.Point>> injected = new ArrayList<>();
        List<CountDrill.Row> asked = new ArrayList<>();
        for (String kind : kinds) {
          double unit = base.unitInstructions().get(kind);
          for (double share : shares) {
            int units = Math.max(1, (int) Math.round(share * b / unit));
            InjectedWork w = new InjectedWork(kind, units);
            PointCounter c = new PointCounter(setting, cp, setting.warmupOps(), 1, 3, false, 3, 7200, w, false, "");
            Path folder = injectionFolder(work, spec, w, share);
            injected.add(pool.submit(() -> c.count(spec, folder)));
            asked.add(new CountDrill.Row(base.key(), kind, share, units, units * unit / b, Double.NaN, Double.NaN,
                Double.NaN, lim, false, base.runtimeOverrides()));
          }
        }
        CountResults.Point aa = aaF.get();
        rows.add(row(new CountDrill.Row(base.key(), "aa", 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, lim, false,
            base.runtimeOverrides()), base, aa, limit));
        for (int i = 0; i < injected.size(); i++) {
          rows.add(row(asked.get(i), base, injected.get(i).get(), limit));
        }
        rows.subList(rows.size() - injected.size() - 1, rows.size()).forEach(r -> System.out.printf(Locale.ROOT,
            "%s %s %.0f %% (%d units, %.2f %% counted): %+.3f %% against a limit of %.2f %%: %s%n", r.key(), r.kind(),
            100 * r.asked(), r.units(), 100 * r.injected(), 100 * r.change(), 100 * r.limit(),
            r.raised() ? "raised" : "not raised"));
      }
    } finally {
      pool.shutdownNow();
    }
    CountDrill drill = new CountDrill(CommitId.current().toString(), CpuFeatures.detect().model(), setting.id(), rows);
    Files.createDirectories(dir);
    Path file = dir.resolve(CountDrill.fileName(started, CommitId.current().abbreviated()));
    drill.write(file);
    long missed = rows.stream().filter(r -> !r.kind().equals("aa") && r.asked() >= 0.02 && !r.raised()).count();
    long falseAlarms = rows.stream().filter(r -> r.kind().equals("aa") && r.raised()).count();
    System.out.printf(Locale.ROOT, "Injections of 2 %% or more missed: %d; A/A pairs raised: %d. Wrote %s%n", missed,
        falseAlarms, file);
    return missed == 0 && falseAlarms == 0 ? 0 : 1;
  }

  /**
   * Where one injection's process counts: a folder per share, as two shares that round to the same
   * units are two processes, which in one folder deleted and overwrote each other's dumps.
   */
  static Path injectionFolder(Path work, PointCounter.Spec spec, InjectedWork w, double share) {
    return work.resolve(spec.folderName() + "-" + w.spec().replace(':', '-') + "-" + Math.round(1000 * share) + "pm");
  }

  private static CountDrill.Row row(CountDrill.Row r, CountResults.Point base, CountResults.Point p, CountLimit limit) {
    if (!p.ok()) {
      throw new IllegalStateException(p.key() + " " + r.kind() + ": not counted: " + p.failure());
    }
    ToDoubleFunction<CountLimit.Basis> change = b -> b.of(p) / b.of(base) - 1;
    return new CountDrill.Row(r.key(), r.kind(), r.asked(), r.units(), r.injected(), change.applyAsDouble(CountLimit.Basis.ALL),
        change.applyAsDouble(CountLimit.Basis.NATIVE), change.applyAsDouble(CountLimit.Basis.WITHOUT_KERNELS), r.limit(),
        limit.judge(base, p).called(), r.runtimeOverrides());
  }
}
