package org.fmnistbench.bench.count;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.fmnistbench.bench.VariantState;
import org.fmnistbench.engine.StepWorkers;
import org.fmnistbench.variants.Variant;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The process that runs under Callgrind for one point: builds the benchmark's state exactly as
 * the JMH benchmarks do ({@link VariantState}), runs the warm-up operations uninstrumented, then
 * counts {@code segments} runs of {@code steps} operations each on this thread alone, one dump
 * per segment (named {@code segment-<k>}). Callgrind runs with {@code --collect-atstart=no}, so
 * only this thread, and a worker thread while it runs a step for this one ({@link StepWorkers}),
 * are collected: no JIT compiler, collector or other JVM thread. Arguments: helper library, variant, engine, benchmark
 * (train or inference), batch size, warm-up operations, steps per segment, segments, and for the
 * drill the {@link InjectedWork} added to every operation ("none" normally) and "calibrate", which
 * adds a segment per kind of injected work counting {@value InjectedWork#CALIBRATION_UNITS} units
 * alone ({@code unit-native}, {@code unit-java}).
 */
public final class CountHarness {
  /** Whether the caller is inside a counted segment: a worker collects only its steps. */
  private static final AtomicBoolean COUNTING = new AtomicBoolean();

  private CountHarness() {}

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted between counted segments", e);
    }
  }

  public static void main(String[] args) {
    if (args.length != 10) {
      throw new IllegalArgumentException("usage: CountHarness <helper.so> <variant> <engine> <train|inference> <batch> "
          + "<warmup ops> <steps per segment> <segments> <injected work> <calibrate|no>; got " + args.length + " arguments");
    }
    InjectedWork injected = InjectedWork.parse(args[8]);
    boolean calibrate = args[9].equals("calibrate");
    Callgrind.load(Path.of(args[0]));
    if (!Callgrind.underValgrind()) {
      throw new IllegalStateException("CountHarness runs under Callgrind (valgrind --tool=callgrind); started without it");
    }
    VariantState s = new VariantState();
    s.variant = Variant.byId(args[1]);
    s.engine = args[2];
    s.batchSize = Integer.parseInt(args[4]);
    s.setUp();
    IntSupplier op = switch (args[3]) {
      case "train" -> () -> {
        int i = s.nextBatch();
        double loss = s.net.fit(s.features[i], s.labels[i]).loss();
        injected.run(s.batchSize);
        Nd4j.getExecutioner().commit();
        return Double.isNaN(loss) ? 1 : 0;
      };
      case "inference" -> () -> {
        int n = (int) s.net.output(s.features[s.nextBatch()]).rows();
        injected.run(s.batchSize);
        Nd4j.getExecutioner().commit();
        return n;
      };
      default -> throw new IllegalArgumentException("benchmark must be train or inference, got '" + args[3] + "'");
    };
    int warmup = Integer.parseInt(args[5]);
    int steps = Integer.parseInt(args[6]);
    int segments = Integer.parseInt(args[7]);
    long sink = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < warmup; i++) {
      sink += op.getAsInt();
      // progress, and what a warm-up operation costs under Valgrind (uninstrumented)
      System.out.printf(Locale.ROOT, "warm-up %d/%d at %.1f s%n", i + 1, warmup, (System.nanoTime() - t0) / 1e9);
    }
    // the warm-up's garbage: collected, freed and consolidated before anything is counted (else the
    // first counted step pays glibc's malloc_consolidate for it)
    System.gc();
    pause(2000);
    Callgrind.trimMalloc();
    sink += op.getAsInt();
    Callgrind.startInstrumentation();
    // a step that an engine runs on a worker thread (SameDiff's held-open fit) is collected there too
    StepWorkers.listen(new StepWorkers.Listener() {
      private boolean collecting; // the worker's own state: only its thread touches it

      @Override
      public void stepStarts() {
        if (COUNTING.get()) {
          Callgrind.toggleCollect();
          collecting = true;
        }
      }

      @Override
      public void stepEnds() {
        if (collecting) {
          Callgrind.toggleCollect();
          collecting = false;
        }
      }
    });
    for (int k = 1; k <= segments; k++) {
      // The collector's work, and what the next operation does after a collection (freeing dead
      // arrays: a sixth of mlp's step), land in whichever step a collection falls before, so a
      // change in allocation would move them in or out of a segment: collect now, uncounted, let
      // one uncounted operation absorb what follows, and count with a young generation too large
      // to fill within the segment (CountSetting).
      System.gc();
      // ND4J's deallocator threads free the dead arrays' native memory after a collection; give them
      // time, then let glibc consolidate its free lists now, not inside a counted step
      pause(200);
      Callgrind.trimMalloc();
      sink += op.getAsInt();
      COUNTING.set(true);
      Callgrind.toggleCollect();
      for (int i = 0; i < steps; i++) {
        sink += op.getAsInt();
      }
      Callgrind.toggleCollect();
      COUNTING.set(false);
      Callgrind.dump("segment-" + k);
      System.out.printf(Locale.ROOT, "segment %d/%d at %.1f s%n", k, segments, (System.nanoTime() - t0) / 1e9);
    }
    StepWorkers.listen(null);
    if (calibrate) {
      for (String kind : new String[] {"native", "java"}) {
        InjectedWork unit = new InjectedWork(kind, InjectedWork.CALIBRATION_UNITS);
        unit.run(s.batchSize); // the first call allocates the scratch array: not a unit's cost
        Callgrind.toggleCollect();
        unit.run(s.batchSize);
        Nd4j.getExecutioner().commit();
        Callgrind.toggleCollect();
        Callgrind.dump("unit-" + kind);
      }
    }
    Callgrind.stopInstrumentation();
    System.out.println("counted " + segments + " x " + steps + " ops (sink " + sink + ")");
  }
}
