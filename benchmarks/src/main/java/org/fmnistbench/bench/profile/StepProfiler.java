package org.fmnistbench.bench.profile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.fmnistbench.bench.LayerCatalog;
import org.fmnistbench.bench.ModelHooks;
import org.fmnistbench.engine.LayerApiEngine;
import org.fmnistbench.engine.SameDiffEngine;
import org.fmnistbench.model.Model;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.common.primitives.Pair;
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
 * Where a training step's time goes, measured inside the real step rather than layer by layer
 * apart: the clock is read at every hook the engine offers and the step's wall time is split
 * between what ran in between. Results are microseconds per step, as secondary metrics of each
 * iteration; benchmarks without a training step report none.
 *
 * <p>SameDiff (a listener): each op's execution ({@code preOpExecution} to {@code opExecution}),
 * keyed by op name and its first input's shape, e.g. {@code op:conv2d_bp 32x32x26x26};
 * {@value #ADAM} from a gradient op's end to {@code preUpdate} (M2.1's TrainingSession runs the
 * updater in between); {@value #FRAMEWORK} for the rest of the iteration (the session's
 * dependency tracking, array allocation and release, the parameter subtraction).
 *
 * <p>Layer API (layers wrapped in a timing {@link BaseWrapperLayer}, plus a training listener):
 * each hidden layer's {@code activate} and {@code backpropGradient}, keyed
 * {@code layer:<index> <class> forward|backward} (DL4J applies a layer's input dropout inside its
 * {@code activate}); {@value #OUTPUT}, from the last hidden layer's forward to the first backward
 * (the output layer's forward, score and backward: it cannot be wrapped, DL4J requires an
 * {@code IOutputLayer} there); {@value #ADAM} from {@code onGradientCalculation} to
 * {@code iterationDone} (the updater and the parameter step); {@value #FRAMEWORK} for the gaps
 * between layers (preprocessors, workspaces, listeners).
 *
 * <p>What {@code fit} does before the first hook and after the last is the measured step minus
 * all of these. The hooks cost two clock reads and a map update each, against steps of tens of
 * milliseconds.
 *
 * <p>Use: {@code -prof org.fmnistbench.bench.profile.StepProfiler}. It instruments the model through
 * {@link ModelHooks}, which the benchmark's state offers each model it builds: JMH creates profilers
 * in the benchmark's JVM before the trial's setup runs.
 */
public final class StepProfiler implements InternalProfiler {
  public static final String OP_PREFIX = "op:";
  public static final String LAYER_PREFIX = "layer:";
  public static final String ADAM = "step.adam";
  public static final String FRAMEWORK = "step.framework";
  public static final String OUTPUT = "step.output-layer";
  public static final String STEPS = "step.count";

  private final Clock clock = new Clock();

  public StepProfiler() {
    ModelHooks.register(StepProfiler.class.getName(), this::instrument);
  }

  /** Instruments {@code model}'s training step with this profiler's clock. */
  void instrument(Model model) {
    Clock c = clock;
    if (model instanceof SameDiffEngine.SameDiffModel sd) {
      sd.addListener(new SameDiffTimer(c));
    } else if (model instanceof LayerApiEngine.LayerApiModel la) {
      LayerTimer.instrument(la.network(), c);
    }
  }

  @Override
  public String getDescription() {
    return "time of each op or layer, Adam's update and the framework inside training steps";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    clock.reset();
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
      IterationResult result) {
    return clock.results();
  }

  /** Time per key within steps, charged as the time since the previous hook. */
  static final class Clock {
    private final Map<String, Long> nanos = new TreeMap<>();
    private long steps;
    private long mark;
    private boolean inStep;

    synchronized void reset() {
      nanos.clear();
      steps = 0;
      inStep = false;
    }

    synchronized void begin() {
      mark = System.nanoTime();
      inStep = true;
      steps++;
    }

    /** Charges the time since the last hook to {@code key}. */
    synchronized void charge(String key) {
      long now = System.nanoTime();
      if (inStep) {
        nanos.merge(key, now - mark, Long::sum);
      }
      mark = now;
    }

    synchronized void end(String key) {
      charge(key);
      inStep = false;
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

  /** SameDiff's training iteration, op by op. */
  static final class SameDiffTimer extends BaseListener {
    private final Clock clock;

    SameDiffTimer(Clock clock) {
      this.clock = clock;
    }

    @Override
    public boolean isActive(Operation operation) {
      return operation == Operation.TRAINING;
    }

    @Override
    public void iterationStart(SameDiff sd, At at, MultiDataSet data, long etlTimeMs) {
      clock.begin();
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
      clock.charge(FRAMEWORK);
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
        INDArray[] outputs) {
      clock.charge(OP_PREFIX + op.getOp().opName() + " " + firstShape(opContext, outputs));
    }

    @Override
    public void preUpdate(SameDiff sd, At at, Variable v, INDArray update) {
      clock.charge(ADAM);
    }

    @Override
    public void iterationDone(SameDiff sd, At at, MultiDataSet dataSet, Loss loss) {
      clock.end(FRAMEWORK);
    }

    private static String firstShape(OpContext context, INDArray[] outputs) {
      List<INDArray> inputs = context == null ? List.of() : context.getInputArrays();
      INDArray a = !inputs.isEmpty() ? inputs.get(0) : outputs != null && outputs.length > 0 ? outputs[0] : null;
      return a == null ? "scalar" : LayerCatalog.dims(a.shape());
    }
  }

  /** The layer API's step, layer by layer: hidden layers wrapped, the rest through listener hooks. */
  static final class LayerTimer extends BaseTrainingListener {
    private final Clock clock;
    private boolean backward;

    private LayerTimer(Clock clock) {
      this.clock = clock;
    }

    static void instrument(MultiLayerNetwork net, Clock clock) {
      LayerTimer timer = new LayerTimer(clock);
      Layer[] layers = net.getLayers().clone();
      for (int i = 0; i < layers.length - 1; i++) {
        layers[i] = new TimedLayer(layers[i], i, timer);
      }
      net.setLayers(layers);
      net.addListeners(timer);
    }

    void beforeForward(int index) {
      if (index == 0) {
        clock.begin();
        backward = false;
      } else {
        clock.charge(FRAMEWORK);
      }
    }

    void beforeBackward() {
      clock.charge(backward ? FRAMEWORK : OUTPUT);
      backward = true;
    }

    @Override
    public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
      clock.charge(FRAMEWORK);
    }

    @Override
    public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
      clock.end(ADAM); // charges nothing outside a step
    }
  }

  /** A hidden layer whose training forward and backward are timed; everything else is delegated. */
  static final class TimedLayer extends BaseWrapperLayer {
    private final LayerTimer timer;
    private final String forwardKey;
    private final String backwardKey;
    private final int index;

    TimedLayer(Layer underlying, int index, LayerTimer timer) {
      super(underlying);
      this.timer = timer;
      this.index = index;
      Layer inner = underlying;
      while (inner instanceof BaseWrapperLayer w) { // e.g. pooling without helpers: name the layer
        inner = w.getUnderlying();
      }
      String name = LAYER_PREFIX + index + " " + inner.getClass().getSimpleName();
      this.forwardKey = name + " forward";
      this.backwardKey = name + " backward";
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr mgr) {
      if (!training) {
        return underlying.activate(input, false, mgr);
      }
      timer.beforeForward(index);
      INDArray out = underlying.activate(input, true, mgr);
      timer.clock.charge(forwardKey);
      return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
      timer.beforeBackward();
      Pair<Gradient, INDArray> out = underlying.backpropGradient(epsilon, mgr);
      timer.clock.charge(backwardKey);
      return out;
    }
  }
}
