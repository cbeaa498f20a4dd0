package org.fmnistbench.results;

import java.util.Map;
import org.fmnistbench.stats.ForkSamples;

/**
 * What a figure is divided by before it is compared: nothing, or the canary the suite measures
 * after every iteration in the same JVM (benchmarks' {@code CanaryProfiler}: a plain-Java
 * kernel), iteration by iteration. A machine that slows down for a stretch slows its canary too,
 * so the quotient would keep slower code and drop a slower machine; but the canary runs in the
 * measured JVM, so the change under test can move it as well (DETECTOR.md, "The canary's role"),
 * and neither judgement divides by it by default. Both take one on request.
 */
public enum Canary {
  NONE(""), COMPUTE(JmhJson.CANARY_COMPUTE), MEMORY(JmhJson.CANARY_MEMORY);

  private final String metric;

  Canary(String metric) {
    this.metric = metric;
  }

  /**
   * A point's iterations over this canary's, the same fork and iteration each; the iterations
   * themselves for NONE; null when {@code canaries} lacks this canary's metric.
   */
  public ForkSamples over(ForkSamples samples, Map<String, ForkSamples> canaries) {
    if (this == NONE) {
      return samples;
    }
    ForkSamples c = canaries.get(metric);
    return c == null ? null : samples.dividedBy(c);
  }

  /** The canary's JMH metric, empty for NONE. */
  public String metric() {
    return metric;
  }

  /** What a figure is measured in. */
  public String unit() {
    return this == NONE ? "us/sample" : "us/sample per us of " + metric;
  }
}
