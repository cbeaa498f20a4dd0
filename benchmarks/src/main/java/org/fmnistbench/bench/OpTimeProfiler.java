package org.fmnistbench.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Where a SameDiff training step's time goes, measured inside the real step: a SameDiff listener
 * takes the clock at every hook of the training iteration and splits its wall time into
 * <ul>
 *   <li>each op's execution ({@code preOpExecution} to {@code opExecution}), keyed by op name
 *       and the shape of its first input, e.g. {@code op:conv2d_bp [32, 32, 26, 26]};
 *   <li>{@value #ADAM}: from a gradient op's end to {@code preUpdate}, which is when M2.1's
 *       TrainingSession has run the Adam updater on that gradient;
 *   <li>{@value #SESSION}: the rest between the iteration's start and end (the session's
 *       dependency tracking, array allocation and release, the parameter subtraction).
 * </ul>
 * The step's time outside the iteration (what {@code fit} does before and after it) is the
 * measured step minus these. Results are microseconds per step, secondary metrics of the
 * iteration; benchmarks without a SameDiff step report none.
 *
 * <p>Use: {@code -prof org.fmnistbench.bench.OpTimeProfiler}. The listener costs two clock
 * reads and a map update per op (the steps run tens of ops of milliseconds each).
 * {@link VariantState} attaches it to SameDiff models only while this profiler is loaded:
 * JMH creates profilers in the benchmark's JVM before the trial's setup runs.
 */
public final class OpTimeProfiler implements InternalProfiler {
  static final String OP_PREFIX = "op:";
  static final String ADAM = "sd.adam";
  static final String SESSION = "sd.session";
  static final String STEPS = "sd.steps";

  private static volatile StepListener listener;

  public OpTimeProfiler() {
    listener = new StepListener();
  }

  /** The listener to attach to a SameDiff model, or null when this profiler is not in use. */
  static StepListener listener() {
    return listener;
  }

  @Override
  public String getDescription() {
    return "time of each op, the Adam updates and the session overhead inside SameDiff training steps";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    listener.reset();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    return listener.results();
  }

  /** Splits each training iteration's wall time between its ops, the updates and the rest. */
  static final class StepListener extends BaseListener {
    private final Map<String, Long> nanos = new TreeMap<>();
    private long steps;
    private long mark;
    private boolean inStep;

    @Override
    public boolean isActive(Operation operation) {
      return operation == Operation.TRAINING;
    }

    synchronized void reset() {
      nanos.clear();
      steps = 0;
      inStep = false;
    }

    private void charge(String key) {
      long now = System.nanoTime();
      if (inStep) {
        nanos.merge(key, now - mark, Long::sum);
      }
      mark = now;
    }

    @Override
    public synchronized void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlTimeMs) {
      mark = System.nanoTime();
      inStep = true;
      steps++;
    }

    @Override
    public synchronized void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
      charge(SESSION);
    }

    @Override
    public synchronized void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
        INDArray[] outputs) {
      charge(OP_PREFIX + op.getOp().opName() + " " + firstShape(opContext, outputs));
    }

    @Override
    public synchronized void preUpdate(SameDiff sd, At at, Variable v, INDArray update) {
      charge(ADAM);
    }

    @Override
    public synchronized void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
      charge(SESSION);
      inStep = false;
    }

    private static String firstShape(OpContext context, INDArray[] outputs) {
      List<INDArray> inputs = context == null ? List.of() : context.getInputArrays();
      INDArray a = !inputs.isEmpty() ? inputs.get(0) : outputs != null && outputs.length > 0 ? outputs[0] : null;
      return a == null ? "[]" : Arrays.toString(a.shape());
    }

    /** Microseconds per step of each key, and the step count; empty when no step ran. */
    synchronized List<Result> results() {
      List<Result> out = new ArrayList<>();
      if (steps == 0) {
        return out;
      }
      nanos.forEach((k, v) -> out.add(new ScalarResult(k, v / 1e3 / steps, "us/step", AggregationPolicy.AVG)));
      out.add(new ScalarResult(STEPS, steps, "steps", AggregationPolicy.SUM));
      return out;
    }
  }
}
