package org.fmnistbench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.engine.Nd4jTensor;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The training loop on small synthetic data: resume, NaN detection, shuffling. */
class TrainerTest {
  @TempDir Path tmp;

  /** 200 training and 50 test images of noise, labels cycling 0..9. */
  private static FashionMnist synthetic() {
    Random r = new Random(7);
    return new FashionMnist(split(200, r), split(50, r));
  }

  private static FashionMnist.Split split(int n, Random r) {
    byte[] x = new byte[n * FashionMnist.PIXELS];
    r.nextBytes(x);
    byte[] y = new byte[n];
    for (int i = 0; i < n; i++) {
      y[i] = (byte) (i % 10);
    }
    return new FashionMnist.Split(x, y);
  }

  private static final Recipe SMALL = Recipe.article(Variant.MLP).withEpochs(3).withBatchSize(16);

  @ParameterizedTest
  @EnumSource(value = Engine.class, names = {"LAYER_API", "SAMEDIFF"}) // the engines that checkpoint
  void aResumedRunEqualsAnUninterruptedOne(Engine engine) throws Exception {
    FashionMnist data = synthetic();
    Trainer.RunResult straight = new Trainer(Variant.MLP, SMALL, 5, engine).run(data, Optional.empty());

    Path dir = tmp.resolve("ckpt");
    // "Interrupted" after one epoch: a run of the first epoch only, checkpointed under the full
    // recipe's name, is what an interruption leaves behind.
    new Trainer(Variant.MLP, SMALL, 5, engine).runEpochs(data, dir, 1);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.filter(p -> !p.toString().endsWith(".part")).count(), "state + one model");
    }
    Trainer.RunResult resumed = new Trainer(Variant.MLP, SMALL, 5, engine).run(data, Optional.of(dir));

    assertEquals(straight.testAccuracy(), resumed.testAccuracy(), 0.0);
    assertEquals(straight.testLoss(), resumed.testLoss(), 1e-6);
    for (int e = 0; e < 3; e++) {
      assertEquals(straight.epochs().get(e).trainLoss(), resumed.epochs().get(e).trainLoss(), 1e-6, "epoch " + e);
    }
    // A finished run is not redone: the stored result comes back.
    Trainer.RunResult again = new Trainer(Variant.MLP, SMALL, 5, engine).run(data, Optional.of(dir));
    assertEquals(resumed, again);
  }

  /** A finished run another commit trained (an earlier campaign's cache) is trained again, not relabelled. */
  @Test
  void aFinishedRunOfAnotherCommitIsTrainedAgain() throws Exception {
    FashionMnist data = synthetic();
    Path dir = tmp.resolve("ckpt");
    Trainer.RunResult first = new Trainer(Variant.MLP, SMALL, 5).run(data, Optional.of(dir));
    String now = CommitId.current().full();
    Path result = dir.resolve("result.json");
    String stale = "0123456789abcdef0123456789abcdef01234567";
    Files.writeString(result, Files.readString(result).replace(now, stale));
    Trainer.RunResult again = new Trainer(Variant.MLP, SMALL, 5).run(data, Optional.of(dir));
    assertTrue(again.epochs().stream().allMatch(e -> e.commit().equals(now)), again.epochs().toString());
    assertEquals(first.testAccuracy(), again.testAccuracy(), 0.0, "trained again from scratch, same seed");
    assertTrue(Files.readString(result).contains(now) && !Files.readString(result).contains(stale));
  }

  @Test
  void aCheckpointOfAnotherRecipeIsRefused() {
    FashionMnist data = synthetic();
    Path dir = tmp.resolve("ckpt");
    new Trainer(Variant.MLP, SMALL, 5).runEpochs(data, dir, 1);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Trainer(Variant.MLP, SMALL.withBatchSize(32), 5).run(data, Optional.of(dir)));
    assertTrue(e.getMessage().contains("delete it to start over"), e.getMessage());
  }

  @Test
  void aDivergingLossStopsTheRunNamingWhere() {
    Recipe explosive = new Recipe(1, 0, 0, 16, 1e30, 0.9, 0.999, 1e-8, false);
    NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
        () -> new Trainer(Variant.MLP, explosive, 1).run(synthetic(), Optional.empty()));
    assertTrue(e.getMessage().startsWith("mlp seed 1: loss is "), e.getMessage());
    assertTrue(e.getMessage().contains("epoch 1, step"), e.getMessage());
  }

  /** A small recipe of cnn3-pad-flip(-10ep): 30 images (60 with their mirrors), 20 test images. */
  private static final Recipe FLIP_2_EPOCHS =
      Recipe.article(Variant.CNN3_PAD_FLIP).withEpochs(2).withTrainPerClass(3).withTestPerClass(2);
  private static final Recipe FLIP_4_EPOCHS = FLIP_2_EPOCHS.withEpochs(4);

  @ParameterizedTest
  @EnumSource(value = Engine.class, names = {"LAYER_API", "SAMEDIFF"}) // the engines that checkpoint
  void aRunContinuingItsShorterTwinEqualsOneFromScratch(Engine engine) throws Exception {
    FashionMnist data = synthetic();
    Path scratchDir = tmp.resolve("scratch");
    Path shortDir = tmp.resolve("short");
    Path continuedDir = tmp.resolve("continued");
    Trainer.RunResult scratch = new Trainer(Variant.CNN3_PAD_FLIP_10EP, FLIP_4_EPOCHS, 3, engine)
        .run(data, Optional.of(scratchDir));
    new Trainer(Variant.CNN3_PAD_FLIP, FLIP_2_EPOCHS, 3, engine).run(data, Optional.of(shortDir));
    Trainer.RunResult continued = new Trainer(Variant.CNN3_PAD_FLIP_10EP, FLIP_4_EPOCHS, 3, engine)
        .run(data, Optional.of(continuedDir), Optional.of(new Continuation(Variant.CNN3_PAD_FLIP, FLIP_2_EPOCHS, shortDir)));

    assertEquals(null, scratch.startedFrom());
    assertTrue(continued.startedFrom().startsWith("cnn3-pad-flip seed 3 after 2 epochs (commit "), continued.startedFrom());
    assertEquals(scratch.testAccuracy(), continued.testAccuracy(), 0.0);
    assertEquals(scratch.testLoss(), continued.testLoss(), 0.0);
    for (int e = 0; e < 4; e++) {
      Trainer.EpochStats a = scratch.epochs().get(e);
      Trainer.EpochStats b = continued.epochs().get(e);
      assertEquals(a.trainLoss(), b.trainLoss(), 0.0, "epoch " + (e + 1) + " training loss");
      assertEquals(a.testLoss(), b.testLoss(), 0.0, "epoch " + (e + 1) + " test loss");
    }
    Map<String, INDArray> fromScratch = finalWeights(engine, scratchDir);
    Map<String, INDArray> fromContinued = finalWeights(engine, continuedDir);
    assertEquals(fromScratch.keySet(), fromContinued.keySet());
    for (String name : fromScratch.keySet()) {
      double diff = fromScratch.get(name).sub(fromContinued.get(name)).amaxNumber().doubleValue();
      assertEquals(0.0, diff, 0.0, name + ": largest difference of the final weights");
    }
    // The shorter run's files are read, never written.
    assertEquals(2, Checkpoints.stateIn(shortDir).epochsDone());
  }

  private static Map<String, INDArray> finalWeights(Engine engine, Path dir) throws Exception {
    return Nd4jTensor.unwrap(
        engine.load(Variant.CNN3_PAD_FLIP_10EP, dir.resolve(Checkpoints.stateIn(dir).model()),
            NativeRuntime.active()).weights());
  }

  @Test
  void aShorterRunThatDiffersInMoreThanItsEpochsIsRefusedWithTheReasons() {
    FashionMnist data = synthetic();
    Path shortDir = tmp.resolve("short");
    Recipe otherBatch = FLIP_2_EPOCHS.withBatchSize(16);
    new Trainer(Variant.CNN3_PAD_FLIP, otherBatch, 3).run(data, Optional.of(shortDir));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Trainer(Variant.CNN3_PAD_FLIP_10EP, FLIP_4_EPOCHS, 3).run(data, Optional.of(tmp.resolve("long")),
            Optional.of(new Continuation(Variant.CNN3_PAD_FLIP, otherBatch, shortDir))));
    assertTrue(e.getMessage().contains("differs from") && e.getMessage().contains("in more than the epochs"), e.getMessage());
    assertTrue(e.getMessage().contains("--no-continue"), e.getMessage());
    IllegalStateException seed = assertThrows(IllegalStateException.class,
        () -> new Trainer(Variant.CNN3_PAD, FLIP_4_EPOCHS.withTrainPerClass(5), 4).run(data, Optional.empty(),
            Optional.of(new Continuation(Variant.CNN3_PAD_FLIP, otherBatch, shortDir))));
    assertTrue(seed.getMessage().contains("its augmentation is HORIZONTAL_FLIP, not NONE")
        && seed.getMessage().contains("its seed is 3, not 4"), seed.getMessage());
  }

  @Test
  void withoutAFinishedShorterRunTheLongerOneTrainsFromScratch() {
    FashionMnist data = synthetic();
    Path shortDir = tmp.resolve("short");
    new Trainer(Variant.CNN3_PAD_FLIP, FLIP_2_EPOCHS, 3).runEpochs(data, shortDir, 1); // interrupted
    Trainer.RunResult r = new Trainer(Variant.CNN3_PAD_FLIP_10EP, FLIP_2_EPOCHS.withEpochs(3), 3)
        .run(data, Optional.empty(), Optional.of(new Continuation(Variant.CNN3_PAD_FLIP, FLIP_2_EPOCHS, shortDir)));
    assertEquals(null, r.startedFrom());
    assertEquals(3, r.epochs().size());
  }

  @Test
  void theRegistryKnowsWhichVariantOnlyTrainsAnotherLonger() {
    assertEquals(Optional.of(Variant.CNN3_PAD_FLIP), Variant.CNN3_PAD_FLIP_10EP.shorterTwin());
    assertEquals(Optional.empty(), Variant.CNN3_PAD_FLIP.shorterTwin());
    assertEquals(Optional.empty(), Variant.CNN3_PAD.shorterTwin());
    for (Tier tier : Tier.values()) {
      Continuation c = RunDirs.continuation(tmp, tier, Variant.CNN3_PAD_FLIP_10EP, 2, Engine.SAMEDIFF).orElseThrow();
      assertEquals(RunDirs.of(tmp, tier, Variant.CNN3_PAD_FLIP, 2, Engine.SAMEDIFF), c.dir());
      assertEquals(tier.recipe(Variant.CNN3_PAD_FLIP), c.recipe());
    }
  }

  @Test
  void shuffleIsAPermutationThatDependsOnTheSeed() {
    int[] a = Trainer.shuffled(1000, new SplittableRandom(1));
    int[] b = Trainer.shuffled(1000, new SplittableRandom(2));
    assertEquals(499_500, Arrays.stream(a).sum());
    assertEquals(1000, Arrays.stream(a).distinct().count());
    assertTrue(!Arrays.equals(a, b));
  }
}
