package org.fmnistbench.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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
  @EnumSource(Engine.class)
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

  @Test
  void shuffleIsAPermutationThatDependsOnTheSeed() {
    int[] a = Trainer.shuffled(1000, new java.util.SplittableRandom(1));
    int[] b = Trainer.shuffled(1000, new java.util.SplittableRandom(2));
    assertEquals(499_500, java.util.Arrays.stream(a).sum());
    assertEquals(1000, java.util.Arrays.stream(a).distinct().count());
    assertTrue(!java.util.Arrays.equals(a, b));
  }
}
