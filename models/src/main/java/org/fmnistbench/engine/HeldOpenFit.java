package org.fmnistbench.engine;

import java.util.NoSuchElementException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeps one {@code SameDiff.fit(iterator, 1)} call open across training steps, fed one minibatch
 * per {@link #step}.
 *
 * <p>Why: M2.1's {@code fit} builds a new {@code TrainingSession} per call, and with it an empty
 * array cache, so calling {@code fit(DataSet)} once per minibatch allocates (and zeroes, and
 * page-faults) every activation and gradient array anew on every step: 20-30 % of a step of
 * {@code cnn}/{@code cnn3} here (benchmarks/reports/BREAKDOWN.md). One {@code fit} over an
 * iterator, the way SameDiff is meant to train an epoch, reuses them; this class gives that to a
 * caller that hands over one batch at a time.
 *
 * <p>The held-open {@code fit} runs on a thread of its own (it is {@code synchronized} and only
 * returns when its iterator ends), which blocks in the iterator's {@code hasNext()} until the
 * next batch or the end arrives. The caller's ND4J random state goes with it and comes back when
 * it ends, so dropout draws exactly the numbers a per-batch {@code fit} on the caller's thread
 * would. {@link #end} must be called before anything else uses the graph; an idle session ends
 * by itself after {@link #IDLE_MILLIS} ms so an abandoned model does not hold a thread.
 */
final class HeldOpenFit {
  static final long IDLE_MILLIS = 30_000;
  private static final Object END = new Object();
  private static final Object STEP_DONE = new Object();
  private static final Object ENDED = new Object();

  private final SameDiff sd;
  private final Listener listener;
  private final long idleMillis;
  private Session session;

  HeldOpenFit(SameDiff sd, Listener listener) {
    this(sd, listener, IDLE_MILLIS);
  }

  HeldOpenFit(SameDiff sd, Listener listener, long idleMillis) {
    this.sd = sd;
    this.listener = listener;
    this.idleMillis = idleMillis;
  }

  /** One training step on {@code batch}; returns when the step, listeners included, is done. */
  void step(MultiDataSet batch) {
    for (int attempt = 0; ; attempt++) {
      if (session == null || !session.thread.isAlive()) {
        end();
        session = new Session();
      }
      Object reply = session.exchange(batch);
      if (reply == STEP_DONE) {
        return;
      }
      if (reply instanceof Throwable t) {
        session = null;
        throw new IllegalStateException("SameDiff training step failed: " + t.getMessage(), t);
      }
      if (attempt > 0) { // ENDED twice: the thread did not take the batch
        throw new IllegalStateException("SameDiff's training thread ended without taking a batch");
      }
      // ENDED: the session went idle just as this batch arrived; start another
    }
  }

  /**
   * Ends the held-open fit (if any), returning the random state to the caller's thread.
   *
   * @throws IllegalStateException when the fit failed as it ended
   */
  void end() {
    Session s = session;
    session = null;
    if (s != null) {
      Throwable t = s.finish();
      if (t != null) {
        throw new IllegalStateException("SameDiff's fit failed as it ended: " + t.getMessage(), t);
      }
    }
  }

  /** One held-open fit and its thread. */
  private final class Session implements MultiDataSetIterator {
    private final SynchronousQueue<Object> commands = new SynchronousQueue<>();
    private final SynchronousQueue<Object> replies = new SynchronousQueue<>();
    private final Random callerRandom = Nd4j.getRandom();
    private final long startRoot = callerRandom.rootState();
    private final long startNode = callerRandom.nodeState();
    private final Integer device = Nd4j.getAffinityManager().getDeviceForCurrentThread();
    private final Thread thread;
    // Written by the training thread only.
    private MultiDataSet fetched;
    private boolean inStep;
    private boolean ended;
    private volatile long[] endStates;
    private volatile Throwable failure;

    Session() {
      thread = new Thread(this::train, "samediff-fit");
      thread.setDaemon(true);
      thread.start();
    }

    private void train() {
      if (Nd4j.getAffinityManager().getNumberOfDevices() > 1) {
        Nd4j.getAffinityManager().unsafeSetDevice(device); // CUDA: stay on the caller's GPU
      }
      Random random = Nd4j.getRandom();
      random.setStates(startRoot, startNode);
      try {
        sd.fit(this, 1, listener);
      } catch (Throwable t) {
        failure = t;
        if (inStep) {
          offer(t);
        }
      } finally {
        endStates = new long[] {random.rootState(), random.nodeState()};
      }
    }

    /**
     * Hands {@code command} to the training thread and waits for its reply: {@code STEP_DONE}, a
     * {@code Throwable}, or {@code ENDED} when the thread ended without taking the command.
     */
    Object exchange(Object command) {
      try {
        while (!commands.offer(command, 1, TimeUnit.SECONDS)) {
          if (!thread.isAlive()) {
            return failure != null ? failure : ENDED;
          }
        }
        if (command == END) {
          thread.join();
          return failure != null ? failure : ENDED;
        }
        while (true) {
          Object reply = replies.poll(1, TimeUnit.SECONDS);
          if (reply != null) {
            return reply;
          }
          if (!thread.isAlive()) {
            reply = replies.poll(); // a reply racing the thread's end
            return reply != null ? reply : failure != null ? failure : ENDED;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while SameDiff was training", e);
      }
    }

    /**
     * Ends the fit and gives the random state back, unless the caller has reseeded meanwhile.
     *
     * @return the fit's failure, if it failed
     */
    Throwable finish() {
      Object reply = thread.isAlive() ? exchange(END) : ENDED; // exchange(END) joins the thread
      long[] states = endStates;
      if (states != null && callerRandom.rootState() == startRoot && callerRandom.nodeState() == startNode) {
        callerRandom.setStates(states[0], states[1]);
      }
      return reply instanceof Throwable t ? t : failure;
    }

    private void offer(Object reply) {
      try {
        replies.offer(reply, 10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public boolean hasNext() {
      if (fetched != null) {
        return true; // fit asks twice before its first batch
      }
      if (ended) {
        return false;
      }
      if (inStep) {
        inStep = false;
        StepWorkers.stepEnds();
        offer(STEP_DONE);
      }
      try {
        Object command = commands.poll(idleMillis, TimeUnit.MILLISECONDS);
        if (command == null || command == END) {
          ended = true;
          return false;
        }
        fetched = (MultiDataSet) command;
        return true;
      } catch (InterruptedException e) {
        ended = true;
        return false;
      }
    }

    @Override
    public MultiDataSet next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the held-open SameDiff fit has ended");
      }
      MultiDataSet batch = fetched;
      fetched = null;
      inStep = true;
      StepWorkers.stepStarts();
      return batch;
    }

    @Override
    public MultiDataSet next(int num) {
      return next();
    }

    @Override
    public boolean resetSupported() {
      return false; // one epoch; the caller decides what the batches are
    }

    @Override
    public boolean asyncSupported() {
      return false; // no prefetching thread between the caller and the step
    }

    @Override
    public void reset() {
      // fit resets at the end of its epoch; nothing to rewind here
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
      throw new UnsupportedOperationException("the held-open SameDiff fit takes batches as they come");
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
      return null;
    }
  }
}
