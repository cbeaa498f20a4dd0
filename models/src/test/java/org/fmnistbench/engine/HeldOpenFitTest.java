package org.fmnistbench.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training through one held-open SameDiff fit must be exactly DL4J's per-batch
 * {@code fit(DataSet)}: the same weights after the same batches, dropout on (so the random
 * stream must travel to the training thread and back), across an idle end and an explicit end.
 */
class HeldOpenFitTest {
  private static final Variant VARIANT = Variant.byId("cnn");
  private static final int STEPS = 4;

  private static SameDiffEngine.SameDiffModel model() {
    return SameDiffEngine.build(VARIANT, Recipe.article(VARIANT), 7, NativeRuntime.active(), true);
  }

  private static INDArray[][] batches() {
    Nd4j.getRandom().setSeed(5);
    INDArray[][] b = new INDArray[STEPS][];
    for (int i = 0; i < STEPS; i++) {
      INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
      for (int r = 0; r < 32; r++) {
        y.putScalar(r, (r * 7 + i) % 10, 1f);
      }
      b[i] = new INDArray[] {Nd4j.rand(DataType.FLOAT, 32, 1, 28, 28), y};
    }
    return b;
  }

  private static final class Quiet extends BaseListener {
    @Override
    public boolean isActive(Operation operation) {
      return false;
    }
  }

  @Test
  void trainsExactlyAsPerBatchFitDoes() throws InterruptedException {
    INDArray[][] b = batches();

    SameDiffEngine.SameDiffModel perBatch = model();
    SameDiff plain = perBatch.graph();
    Nd4j.getRandom().setSeed(11);
    for (INDArray[] xy : b) {
      plain.fit(new DataSet(xy[0], xy[1]));
    }
    long[] plainRandom = {Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState()};

    SameDiffEngine.SameDiffModel held = model();
    HeldOpenFit fit = new HeldOpenFit(held.graph(), new Quiet(), 300);
    Nd4j.getRandom().setSeed(11);
    fit.step(new MultiDataSet(b[0][0], b[0][1]));
    fit.step(new MultiDataSet(b[1][0], b[1][1]));
    Thread.sleep(1000); // the session ends by itself; the next step starts another
    fit.step(new MultiDataSet(b[2][0], b[2][1]));
    fit.end();
    fit.step(new MultiDataSet(b[3][0], b[3][1]));
    fit.end();
    long[] heldRandom = {Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState()};

    assertArrayEquals(plainRandom, heldRandom, "the caller's random state after training");
    Map<String, INDArray> expected = Nd4jTensor.unwrap(perBatch.weights());
    Map<String, INDArray> actual = Nd4jTensor.unwrap(held.weights());
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, w) -> assertArrayEquals(w.data().asFloat(), actual.get(name).data().asFloat(),
        name + " after " + STEPS + " steps"));
  }

  @Test
  void aFailedStepSaysWhyAndTheNextStepTrains() {
    INDArray[][] b = batches();
    SameDiffEngine.SameDiffModel model = model();
    INDArray wrongShape = Nd4j.rand(DataType.FLOAT, 32, 1, 20, 20);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.fit(new Nd4jTensor(wrongShape), new Nd4jTensor(b[0][1])));
    assertTrue(e.getMessage().contains("SameDiff training step failed"), e.getMessage());
    double loss = model.fit(new Nd4jTensor(b[0][0]), new Nd4jTensor(b[0][1])).loss();
    assertTrue(Double.isFinite(loss) && loss > 0, "loss of the next step: " + loss);
    model.output(new Nd4jTensor(b[0][0])); // ends the session
  }

  /** The counting mode follows SameDiff's steps onto the training thread by these announcements. */
  @Test
  void eachStepIsAnnouncedOnTheTrainingThreadAsItStartsAndEnds() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    StepWorkers.listen(new StepWorkers.Listener() {
      @Override
      public void stepStarts() {
        heard.add("start on " + Thread.currentThread().getName());
      }

      @Override
      public void stepEnds() {
        heard.add("end on " + Thread.currentThread().getName());
      }
    });
    try {
      INDArray[][] b = batches();
      HeldOpenFit fit = new HeldOpenFit(model().graph(), new Quiet());
      fit.step(new MultiDataSet(b[0][0], b[0][1]));
      fit.step(new MultiDataSet(b[1][0], b[1][1]));
      fit.end();
    } finally {
      StepWorkers.listen(null);
    }
    assertEquals(List.of("start on samediff-fit", "end on samediff-fit", "start on samediff-fit",
        "end on samediff-fit"), heard);
  }
}
