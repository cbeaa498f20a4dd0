package org.fmnistbench.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts training or inference samples as JMH "operations", so that next to the primary
 * per-minibatch score JMH reports a secondary metric {@code samples}: time per SAMPLE, which
 * is what the article's Keras "us/step" measured.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class SampleCounter {
  public long samples;

  @Setup(Level.Iteration)
  public void reset() {
    samples = 0;
  }
}
