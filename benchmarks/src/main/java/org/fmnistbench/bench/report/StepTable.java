package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.us;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fmnistbench.bench.profile.StepProfiler;
import org.fmnistbench.results.JmhJson;

/** The breakdown's table of what happens inside one measured training step, from the step profiler's metrics. */
public final class StepTable {
  private StepTable() {}

  /**
   * Appends the in-step table of a training step profiled by {@link StepProfiler} to {@code detail}.
   *
   * @return the time per step of the ops or layers (the output layer included) and Adam's
   *     update, or NaN when the step was not profiled
   */
  public static double insideTheStep(JmhJson.Point step, double measured, StringBuilder detail) {
    Map<String, Double> m = step.secondary();
    List<Map.Entry<String, Double>> parts = m.entrySet().stream()
        .filter(x -> x.getKey().startsWith(StepProfiler.OP_PREFIX) || x.getKey().startsWith(StepProfiler.LAYER_PREFIX))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
    if (parts.isEmpty()) {
      return Double.NaN;
    }
    boolean ops = parts.get(0).getKey().startsWith(StepProfiler.OP_PREFIX);
    double partSum = parts.stream().mapToDouble(Map.Entry::getValue).sum();
    double output = m.getOrDefault(StepProfiler.OUTPUT, 0.0);
    double adam = m.getOrDefault(StepProfiler.ADAM, 0.0);
    double framework = m.getOrDefault(StepProfiler.FRAMEWORK, 0.0);
    detail.append("Inside the measured step (`StepProfiler`), microseconds per step, by time:\n\n")
        .append(ops ? "| op | first input's shape" : "| layer | pass").append(" | us per step | share of the step |\n")
        .append("|---|---|---:|---:|\n");
    for (Map.Entry<String, Double> part : parts) {
      String key = part.getKey().substring(part.getKey().indexOf(':') + 1);
      // "conv2d 32x1x28x28" or "0 ConvolutionLayer forward"
      int split = ops ? key.indexOf(' ') : key.lastIndexOf(' ');
      detail.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f %% |%n", key.substring(0, split),
          key.substring(split + 1), us(part.getValue()), 100 * part.getValue() / measured));
    }
    double outside = measured - partSum - output - adam - framework;
    if (!ops) {
      detail.append(row("output layer (forward, loss, backward)", output, measured));
    }
    detail.append(String.format(Locale.ROOT, "| **%d %s** | | **%s** | **%.1f %%** |%n", parts.size() + (ops ? 0 : 1),
            ops ? "ops" : "layer passes", us(partSum + output), 100 * (partSum + output) / measured))
        .append(row("Adam's update and the parameter step", adam, measured))
        .append(row(ops ? "session between ops" : "between layers (preprocessors, workspaces, listeners)", framework, measured))
        .append(row("fit outside the timed iteration", outside, measured))
        .append(String.format(Locale.ROOT, "| **measured training step** | | **%s** | |%n%n", us(measured)));
    return partSum + output + adam;
  }

  private static String row(String what, double value, double measured) {
    return String.format(Locale.ROOT, "| %s | | %s | %.1f %% |%n", what, us(value), 100 * value / measured);
  }
}
