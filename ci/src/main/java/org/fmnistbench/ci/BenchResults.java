package org.fmnistbench.ci;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.MeanInterval;

/**
 * The suite's points of one JMH JSON result file (read by {@link JmhJson}, the one reader of
 * that format), keyed by everything that makes a series: benchmark, variant, engine, runtime
 * configuration and batch size.
 */
public final class BenchResults {
  private BenchResults() {}

  /**
   * One benchmark point, microseconds per sample.
   *
   * @param benchmark method name (trainStep, inference, epoch)
   * @param variant registry id
   * @param engine layer-api, samediff...
   * @param runtime the runtime configuration id (default, stock, default,format=nhwc...)
   * @param batchSize minibatch size
   * @param samples the measured iterations per fork
   * @param canary the canary measured after each of those iterations, by metric (empty in runs without it)
   */
  public record Point(String benchmark, String variant, String engine, String runtime, int batchSize, ForkSamples samples,
      Map<String, ForkSamples> canary) {
    public Point(String benchmark, String variant, String engine, String runtime, int batchSize, ForkSamples samples) {
      this(benchmark, variant, engine, runtime, batchSize, samples, Map.of());
    }

    /** benchmark/variant/engine/runtime/bN: the series in the history, the detector and the dashboard. */
    public String key() {
      return JmhJson.seriesKey(benchmark, variant, engine, runtime, batchSize);
    }

    /** The point's figure: the mean of its fork means. */
    public double score() {
      return samples.mean();
    }

    /** The 95 % interval over fork means (bounds NaN with one fork). */
    public MeanInterval interval() {
      return samples.interval();
    }

    /** The same point with every value times {@code factor} (calibration's simulated slowdowns: slower code, the canary as it was). */
    public Point scaled(double factor) {
      return new Point(benchmark, variant, engine, runtime, batchSize, samples.scaled(factor), canary);
    }
  }

  /** Reads the {@code samples} metric of every benchmark in a JMH JSON file. */
  public static Map<String, Point> read(Path jmhJson) throws IOException {
    Map<String, Point> out = new LinkedHashMap<>();
    for (JmhJson.Point p : JmhJson.read(jmhJson)) {
      if (p.samples() == null) {
        continue; // not one of the suite's benchmarks
      }
      Point point = new Point(p.method(), p.variantId(), p.engine(), p.runtime(), p.batchSize(), p.samples(), p.canary());
      out.put(point.key(), point);
    }
    return out;
  }
}
