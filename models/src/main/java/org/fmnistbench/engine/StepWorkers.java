package org.fmnistbench.engine;

/**
 * Where an engine runs a step on a thread other than the caller's (SameDiff's held-open fit),
 * that thread announces the step's start and end here, on itself. A per-thread observer, the
 * counting mode's Callgrind collection, follows the step onto that thread this way; without
 * one listening nothing happens.
 */
public final class StepWorkers {
  /** Called on the worker thread, at the start and at the end of each step it runs for a caller. */
  public interface Listener {
    void stepStarts();

    void stepEnds();
  }

  private static final Listener NONE = new Listener() {
    @Override
    public void stepStarts() {}

    @Override
    public void stepEnds() {}
  };

  private static volatile Listener listener = NONE;

  private StepWorkers() {}

  /** Listens from the next step on; set it between steps, so every start it sees has its end. */
  public static void listen(Listener l) {
    listener = l == null ? NONE : l;
  }

  static void stepStarts() {
    listener.stepStarts();
  }

  static void stepEnds() {
    listener.stepEnds();
  }
}
