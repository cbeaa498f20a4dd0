package org.fmnistbench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fmnistbench.baselines.AccuracyBaselines;
import org.fmnistbench.baselines.AccuracyRecord;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's rules on synthetic baselines: no training, seconds. */
class AccuracyGateTest {
  @TempDir Path dir;

  private static AccuracyRecord row(Variant v, String recipe, long seed, double acc, double loss, double trainLoss) {
    return new AccuracyRecord(v.id(), "smoke", Engine.LAYER_API.id(), recipe, seed, acc, loss, 500, trainLoss, 10.0,
        "CpuBackend", "1.0.0-M2.1", "abc", "2026-11-28T00:00:00Z", "test", null, null);
  }

  private static List<AccuracyRecord> rows(double... accuracies) {
    List<AccuracyRecord> out = new ArrayList<>();
    for (int i = 0; i < accuracies.length; i++) {
      out.add(row(Variant.CNN, Tier.SMOKE.recipe(Variant.CNN).describe(), i + 1, accuracies[i], 0.75 + 0.01 * i,
          1.45 + 0.01 * i));
    }
    return out;
  }

  private static Trainer.RunResult run(double acc, double loss, double trainLoss) {
    return new Trainer.RunResult("cnn", Tier.SMOKE.recipe(Variant.CNN).describe(), 1, acc, loss, 500, 1000, 10, 1,
        List.of(new Trainer.EpochStats(1, trainLoss, 0.5, loss, acc, 10, 10_000, 1, "test")), null);
  }

  @Test
  void aRunInsideEveryBandPasses() {
    assertEquals(List.of(), AccuracyGate.judgeSmoke(Variant.CNN, run(0.74, 0.77, 1.47), rows(0.74, 0.73, 0.75, 0.74, 0.72)));
  }

  @Test
  void eachFigureOutsideItsBandIsNamedWithVariantTierAndSeed() {
    List<String> p = AccuracyGate.judgeSmoke(Variant.CNN, run(0.60, 0.77, 1.47), rows(0.74, 0.73, 0.75, 0.74, 0.72));
    assertEquals(1, p.size());
    assertTrue(p.get(0).startsWith("accuracy 0.6000 outside [0.7018, 0.7702]"), p.get(0));
    assertTrue(p.get(0).endsWith("(mean 0.7360, sd 0.0114, 5 runs) for cnn, tier smoke, seed 1"), p.get(0));
    assertEquals(2, AccuracyGate.judgeSmoke(Variant.CNN, run(0.74, 1.5, 3.0), rows(0.74, 0.73, 0.75, 0.74, 0.72)).size());
  }

  @Test
  void theBandIsAtLeastHalfAPointWide() {
    List<AccuracyRecord> same = rows(0.74, 0.74, 0.74, 0.74, 0.74);
    assertEquals(List.of(), AccuracyGate.judgeSmoke(Variant.CNN, run(0.7449, 0.77, 1.47), same));
    assertEquals(List.of(), AccuracyGate.judgeSmoke(Variant.CNN, run(0.7351, 0.77, 1.47), same));
    assertEquals(1, AccuracyGate.judgeSmoke(Variant.CNN, run(0.7349, 0.77, 1.47), same).size());
    assertEquals(1, AccuracyGate.judgeSmoke(Variant.CNN, run(0.7451, 0.77, 1.47), same).size());
  }

  @Test
  void tooFewSeedsOrAnotherRecipeAskForARecording() throws Exception {
    Files.copy(Repo.baselinesDir().resolve("article.csv"), dir.resolve("article.csv"));
    AccuracyBaselines b = AccuracyBaselines.read(dir);
    for (AccuracyRecord r : rows(0.74, 0.73, 0.75)) {
      b.put(r);
    }
    AccuracyGate gate = new AccuracyGate(dir);
    IllegalStateException few = assertThrows(IllegalStateException.class, () -> gate.recorded(Variant.CNN, Tier.SMOKE, 5));
    assertTrue(few.getMessage().contains("3 recorded run(s)") && few.getMessage().contains("the gate needs 5"), few.getMessage());
    assertTrue(few.getMessage().endsWith("record with ./suite record --tier smoke --variants cnn --seeds 1-5"), few.getMessage());

    b.put(row(Variant.CNN, "epochs=9 train=all test=all flip=false batch=32 adam=0.001/0.9/0.999/1E-8", 9, 0.7, 0.8, 1.4));
    IllegalStateException other = assertThrows(IllegalStateException.class,
        () -> new AccuracyGate(dir).recorded(Variant.CNN, Tier.SMOKE, 1));
    assertTrue(other.getMessage().contains("re-record with ./suite record --tier smoke --variants cnn"), other.getMessage());
  }

  private static Trainer.RunResult fullRun(Variant v, long seed, double acc) {
    return new Trainer.RunResult(v.id(), Tier.FULL.recipe(v).describe(), seed, acc, 0.3, 10000, 60000, 1000, 10,
        List.of(new Trainer.EpochStats(v.epochs(), 0.3, 0.93, 0.3, acc, 100, 1600, 10, "test")), null);
  }

  private static AccuracyRecord fullRow(Variant v, long seed, double acc) {
    return new AccuracyRecord(v.id(), "full", Engine.LAYER_API.id(), Tier.FULL.recipe(v).describe(), seed, acc, 0.3,
        10000, 0.3, 1000.0, "CpuBackend", "1.0.0-M2.1", "abc", "2026-11-28T00:00:00Z", "test", null, null);
  }

  @Test
  void theFullTierJudgesByTheArticleAndByDl4jsOwnBand() throws Exception {
    Files.copy(Repo.baselinesDir().resolve("article.csv"), dir.resolve("article.csv"));
    AccuracyGate gate = new AccuracyGate(dir, Engine.LAYER_API);
    // cnn: the article's 0.9127; no DL4J band yet
    assertTrue(gate.judgeFull(Variant.CNN, List.of(fullRun(Variant.CNN, 1, 0.915), fullRun(Variant.CNN, 2, 0.910),
        fullRun(Variant.CNN, 3, 0.912))).passed());
    List<String> far = gate.judgeFull(Variant.CNN, List.of(fullRun(Variant.CNN, 1, 0.90), fullRun(Variant.CNN, 2, 0.899),
        fullRun(Variant.CNN, 3, 0.901))).problems();
    assertEquals(List.of("median accuracy 0.9000 is more than 1.0 points from the article's 0.9127 for cnn, tier full, "
        + "seeds 1,2,3"), far);

    // avgpool: no article figure, so without a band there is nothing to judge by
    List<Trainer.RunResult> avg = List.of(fullRun(Variant.AVGPOOL, 1, 0.91), fullRun(Variant.AVGPOOL, 2, 0.912),
        fullRun(Variant.AVGPOOL, 3, 0.913));
    List<String> nothing = gate.judgeFull(Variant.AVGPOOL, avg).problems();
    assertEquals(1, nothing.size());
    assertTrue(nothing.get(0).startsWith("nothing to compare avgpool with"), nothing.get(0));

    AccuracyBaselines b = AccuracyBaselines.read(dir);
    for (long seed = 1; seed <= 3; seed++) {
      b.put(fullRow(Variant.AVGPOOL, seed, 0.930 + 0.001 * seed));
    }
    List<String> outside = new AccuracyGate(dir, Engine.LAYER_API).judgeFull(Variant.AVGPOOL, avg).problems();
    assertEquals(1, outside.size());
    assertTrue(outside.get(0).startsWith("median accuracy 0.9120 outside DL4J's recorded [0.9270, 0.9370]"), outside.get(0));
  }
}
