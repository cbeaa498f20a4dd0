package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.params;
import static org.fmnistbench.bench.report.Documents.us;
import static org.fmnistbench.bench.report.Documents.usPerOpInterval;
import static org.fmnistbench.bench.report.StepTable.insideTheStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.fmnistbench.bench.LayerCatalog;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.variants.Variant;

/**
 * BREAKDOWN.md below its header: per variant, engine and configuration, each layer timed alone
 * against the measured training step and what the step profiler saw inside it. Rendered from the
 * points alone, so a test checks it without running JMH.
 */
public final class BreakdownDocument {
  private BreakdownDocument() {}

  /**
   * The document's body.
   *
   * @param byConfig each configuration's points (the layer benchmarks and the training steps)
   * @param batchSizes the batch sizes as asked, for the prose; {@code batch} is the one tabulated
   * @param settings a configuration's settings as its run recorded them
   * @param notes what could not be measured
   */
  public static String body(Map<String, List<JmhJson.Point>> byConfig, List<Variant> variants, List<String> engines,
      String batchSizes, int batch, Function<String, String> settings, List<String> notes) {
    StringBuilder md = new StringBuilder();
    md.append("Each layer alone at the variant's shapes (`LayerBenchmarks`), batch ").append(batchSizes)
        .append(", microseconds per minibatch: forward (training mode), backward (forward+backward minus forward), ")
        .append("and Adam's update of all the network's parameters; their sum against the measured training step ")
        .append("(`TrainStepBenchmarks`, same JVM configuration). Flatten (a reshape) is not timed on its own.\n\n")
        .append("Each step is also timed from inside (`StepProfiler`, attached during `TrainStepBenchmarks`): ")
        .append("SameDiff op by op through a listener, the layer API layer by layer through timing wrappers around ")
        .append("its hidden layers; \"inside the step\" is those ops or layers (output layer included) plus Adam's ")
        .append("update, against the same measured step; the rest is the framework between them and `fit` around ")
        .append("them. A layer alone pays costs the real step pays once (SameDiff: a session per one-op graph; ")
        .append("layer API: allocations outside workspaces), so the in-step figures are the breakdown, and the ")
        .append("layers alone show what oneDNN on and off cost each layer.\n\n");
    StringBuilder summary = new StringBuilder("| variant | engine | configuration | sum of layers alone, us | measured step, us | "
        + "alone / step | ops + Adam inside the step, us | inside / step |\n|---|---|---|---:|---:|---:|---:|---:|\n");
    StringBuilder detail = new StringBuilder();
    for (Map.Entry<String, List<JmhJson.Point>> e : byConfig.entrySet()) {
      for (String engine : engines) {
        for (Variant v : variants) {
          detail.append("### ").append(v.id()).append(", ").append(engine).append(", ").append(e.getKey())
              .append("\n\n`").append(settings.apply(e.getKey())).append("`\n\n")
              .append("| layer | forward | backward | forward + backward | share of the sum |\n|---|---:|---:|---:|---:|\n");
          List<double[]> costs = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          double sum = 0;
          for (LayerCatalog.Case c : LayerCatalog.of(v)) {
            Map<String, String> m = params("layer", c.id(), "engine", engine, "batchSize", batch);
            double f = JmhJson.find(e.getValue(), "forward", m).map(JmhJson.Point::usPerOp).orElse(Double.NaN);
            double fb = c.adam() ? f
                : JmhJson.find(e.getValue(), "forwardBackward", m).map(JmhJson.Point::usPerOp).orElse(Double.NaN);
            costs.add(new double[] {c.adam() ? Double.NaN : f, c.adam() ? Double.NaN : fb - f, fb});
            ids.add(c.id());
            sum += fb;
          }
          for (int i = 0; i < ids.size(); i++) {
            double[] c = costs.get(i);
            detail.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f %% |%n", ids.get(i), us(c[0]), us(c[1]),
                us(c[2]), 100 * c[2] / sum));
          }
          Optional<JmhJson.Point> step = JmhJson.find(e.getValue(), "trainStep",
              params("variant", v.name(), "engine", engine, "batchSize", batch));
          double measured = step.map(JmhJson.Point::usPerOp).orElse(Double.NaN);
          detail.append(String.format(Locale.ROOT, "| **sum** | | | **%s** | |%n| **measured training step** | | | **%s** | |%n%n",
              us(sum), step.filter(p -> p.samples() != null).map(p -> usPerOpInterval(p)).orElse(us(measured))));
          double inside = step.map(p -> insideTheStep(p, measured, detail)).orElse(Double.NaN);
          summary.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f | %s | %s |%n", v.id(), engine,
              e.getKey(), us(sum), us(measured), sum / measured, us(inside),
              Double.isNaN(inside) ? "n/a" : String.format(Locale.ROOT, "%.2f", inside / measured)));
        }
      }
    }
    md.append("## Summary\n\n").append(summary).append("\n");
    notes.forEach(n -> md.append("- ").append(n).append('\n'));
    md.append("\n## Per layer\n\n").append(detail);
    return md.toString();
  }
}
