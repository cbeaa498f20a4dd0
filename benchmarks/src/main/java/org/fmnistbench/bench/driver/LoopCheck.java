package org.fmnistbench.bench.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.bench.TrainStepBenchmarks;
import org.fmnistbench.bench.VariantState;
import org.fmnistbench.bench.report.ResultTable;
import org.fmnistbench.plan.ExperimentPlan;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.Variant;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cross-checks the JMH training figure against a plain loop: first JMH's
 * {@link TrainStepBenchmarks} for one variant (in its own fork), then, in this JVM, the same
 * {@code fit} calls on the same minibatches timed by {@link System#nanoTime()} around the whole
 * loop, after a warm-up by time. Both per-sample figures and their difference are printed; a
 * harness that distorted the measurement would show up as a gap.
 */
@Command(name = "loop-check", mixinStandardHelpOptions = true,
    description = "Compare JMH's per-sample training time with a plain timed loop of the same fit calls.")
public final class LoopCheck implements Callable<Integer> {
  private static final int ITERATIONS = 3;

  @Option(names = "--variant", description = "Variant id (default ${DEFAULT-VALUE}).")
  String variant = "mlp";

  @Option(names = "--batch-size", description = "Minibatch size (default ${DEFAULT-VALUE}).")
  int batchSize = 32;

  @Option(names = "--warmup-seconds", description = "Warm-up of both, seconds (default ${DEFAULT-VALUE}).")
  int warmupSeconds = 10;

  @Option(names = "--seconds", description = "Measured time of both, seconds, at least 3 (default ${DEFAULT-VALUE}).")
  int seconds = 30;

  @Override
  public Integer call() throws Exception {
    Variant v = Variant.byId(variant);
    BenchDriver.requireAtLeast("--batch-size", batchSize, 1);
    BenchDriver.requireAtLeast("--warmup-seconds", warmupSeconds, 1);
    BenchDriver.requireAtLeast("--seconds", seconds, ITERATIONS); // JMH measures them as 3 iterations of whole seconds
    NativeRuntime.configure();
    Backend.verify(Backend.CPU, Backend.loadedClass());
    Path tmp = Files.createTempDirectory("loop-check");
    Path json = tmp.resolve("jmh.json");
    BenchDriver.JmhOptions jmh = new BenchDriver.JmhOptions();
    jmh.plan = ExperimentPlan.defaults().with(ExperimentPlan.VARIANTS, v.id())
        .with(ExperimentPlan.BATCH_SIZES, String.valueOf(batchSize)).withCount(ExperimentPlan.WARMUP_ITERATIONS, 1)
        .withCount(ExperimentPlan.WARMUP_TIME, warmupSeconds).withCount(ExperimentPlan.ITERATIONS, ITERATIONS)
        .withCount(ExperimentPlan.TIME, seconds / ITERATIONS).withCount(ExperimentPlan.FORKS, 1);
    RuntimeConfig config = NativeRuntime.active();
    int exit = BenchDriver.ChildJvm.run(Backend.CPU, config, "org.openjdk.jmh.Main",
        jmh.jmhArguments(List.of(TrainStepBenchmarks.class.getName()), Backend.CPU, config, json), List.of());
    if (exit != 0) {
      throw new IllegalStateException("JMH run failed with exit " + exit);
    }
    ResultTable.Row row = ResultTable.read(json, "cpu", ArticleFigures.read(Repo.baselinesDir())).get(0);

    VariantState s = new VariantState();
    s.variant = v;
    s.batchSize = batchSize;
    s.engine = "layer-api";
    s.setUp();
    runFor(s, warmupSeconds * 1_000_000_000L);
    long[] result = runFor(s, seconds * 1_000_000_000L);
    double loopUsPerSample = result[1] / 1e3 / ((double) result[0] * batchSize);

    System.out.printf(Locale.ROOT, "%s, batch %d, training:%n", v, batchSize);
    System.out.printf(Locale.ROOT, "  JMH        %s us/sample%n", ResultTable.withInterval(row.perSample()));
    System.out.printf(Locale.ROOT, "  plain loop %.1f us/sample (%d steps in %.1f s)%n", loopUsPerSample, result[0], result[1] / 1e9);
    // one fork against one loop: neither side has an interval over JVMs, where most of the variation lies
    System.out.printf(Locale.ROOT, "  difference %+.1f %% (one JMH fork against one loop: no interval, so no claim; "
        + "how far runs move on this machine: benchmarks/reports/STABILITY.md)%n",
        100 * (row.usPerSample() - loopUsPerSample) / loopUsPerSample);
    return 0;
  }

  /** Runs fit steps until {@code nanos} have passed; returns {steps, elapsed nanos}. */
  private static long[] runFor(VariantState s, long nanos) {
    long steps = 0;
    double sink = 0;
    long t0 = System.nanoTime();
    long elapsed;
    do {
      int i = s.nextBatch();
      sink += s.net.fit(s.features[i], s.labels[i]).loss();
      Nd4j.getExecutioner().commit();
      steps++;
      elapsed = System.nanoTime() - t0;
    } while (elapsed < nanos);
    if (Double.isNaN(sink)) {
      System.err.println("(loss went NaN during the loop check)");
    }
    return new long[] {steps, elapsed};
  }
}
