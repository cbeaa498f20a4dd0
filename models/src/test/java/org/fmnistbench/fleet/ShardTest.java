package org.fmnistbench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.fmnistbench.baselines.EpochBaselines;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;

/** Shards: every run in exactly one, balanced within LPT's bound, continued runs beside their twin. */
class ShardTest {
  private static final RunCost COST = RunCost.of(EpochBaselines.read(Repo.baselinesDir()).rows());
  private static final long[] SEEDS = {1, 2, 3};

  @Test
  void everyRunOfTheFullTierIsInExactlyOneShard() {
    List<RunPlan.Job> jobs = RunPlan.record(List.of(Variant.values()), SEEDS, Tier.FULL, Engine.LAYER_API, COST, true);
    assertEquals(Variant.values().length * SEEDS.length, RunPlan.runs(jobs).size());
    for (int n = 1; n <= 8; n++) {
      List<RunPlan.Run> seen = new ArrayList<>();
      for (int k = 1; k <= n; k++) {
        seen.addAll(RunPlan.runs(new Shard(k, n).select(jobs, RunPlan.Job::seconds)));
      }
      assertEquals(RunPlan.runs(jobs).size(), seen.size(), n + " shards: runs done more than once or lost");
      assertEquals(new HashSet<>(RunPlan.runs(jobs)), new HashSet<>(seen), n + " shards");
    }
  }

  @Test
  void shardsStayWithinTheMeanPlusTheLargestJob() {
    Random random = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      List<Double> jobs = new ArrayList<>();
      int count = 1 + random.nextInt(40);
      for (int i = 0; i < count; i++) {
        jobs.add(random.nextDouble() * (random.nextBoolean() ? 10 : 1));
      }
      int n = 1 + random.nextInt(8);
      List<List<Double>> split = Balance.split(jobs, Double::doubleValue, n);
      double total = jobs.stream().mapToDouble(Double::doubleValue).sum();
      double largest = jobs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      for (List<Double> shard : split) {
        double load = shard.stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(load <= total / n + largest + 1e-9, "trial " + trial + ": load " + load + " over the bound");
      }
    }
  }

  @Test
  void theFullTierOnThreeMachinesIsBalancedAndTheFlipChainStaysTogether() {
    List<RunPlan.Job> jobs = RunPlan.record(List.of(Variant.values()), SEEDS, Tier.FULL, Engine.LAYER_API, COST, true);
    double total = jobs.stream().mapToDouble(RunPlan.Job::seconds).sum();
    double largest = jobs.stream().mapToDouble(RunPlan.Job::seconds).max().orElseThrow();
    for (int k = 1; k <= 3; k++) {
      List<RunPlan.Job> mine = new Shard(k, 3).select(jobs, RunPlan.Job::seconds);
      double load = mine.stream().mapToDouble(RunPlan.Job::seconds).sum();
      assertTrue(load <= total / 3 + largest, "shard " + k + "/3: " + load + " s of " + total);
      List<RunPlan.Run> runs = RunPlan.runs(mine);
      for (RunPlan.Run r : runs) {
        if (r.variant() == Variant.CNN3_PAD_FLIP_10EP) {
          int at = runs.indexOf(r);
          int twin = runs.indexOf(new RunPlan.Run(r.engine(), Variant.CNN3_PAD_FLIP, r.seed()));
          assertTrue(twin >= 0 && twin < at, "shard " + k + ": " + r + " without its twin before it: " + runs);
        }
      }
    }
    // The chain costs the 10-epoch run alone: its first 5 epochs are the twin's.
    RunPlan.Job chain = jobs.stream().filter(j -> j.runs().size() == 2).findFirst().orElseThrow();
    assertEquals(COST.seconds(Variant.CNN3_PAD_FLIP_10EP, Tier.FULL.recipe(Variant.CNN3_PAD_FLIP_10EP)), chain.seconds(), 1e-6);
    // Without continuing, the two are separate jobs.
    assertEquals(Variant.values().length * SEEDS.length,
        RunPlan.record(List.of(Variant.values()), SEEDS, Tier.FULL, Engine.LAYER_API, COST, false).size());
  }

  @Test
  void theGateShardsByEngineAndVariantSoEachVerdictHasAllItsSeeds() {
    List<Engine> engines = List.of(Engine.values());
    List<RunPlan.Job> jobs = RunPlan.gate(engines, List.of(Variant.values()), List.of(1L, 2L, 3L), Tier.FULL, COST);
    Set<String> owners = new HashSet<>();
    for (int k = 1; k <= 4; k++) {
      for (RunPlan.Run r : RunPlan.runs(new Shard(k, 4).select(jobs, RunPlan.Job::seconds))) {
        owners.add(r.engine() + " " + r.variant() + " -> " + k);
      }
    }
    // every (engine, variant) pair has exactly one owner
    assertEquals(engines.size() * Variant.values().length, owners.size());
  }

  @Test
  void badShardSpecsAreRefusedSayingWhatIsExpected() {
    assertEquals(new Shard(2, 3), Shard.parse("2/3"));
    for (String bad : new String[] {"0/3", "4/3", "3", "a/b", "", "1/0"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
      assertTrue(e.getMessage().contains("K/N"), e.getMessage());
    }
  }

  @Test
  void theCostFollowsRecordedSpeedOrModelSize() {
    // cnn3-pad records slower per sample than cnn (more work); the 10-epoch run trains the same model
    // twice as long, but each variant's speed is the median of its own recorded runs (their code, runtime
    // and machine), so only about twice
    assertTrue(COST.seconds(Variant.CNN3_PAD, Tier.FULL.recipe(Variant.CNN3_PAD))
        > COST.seconds(Variant.CNN, Tier.FULL.recipe(Variant.CNN)));
    assertTrue(COST.seconds(Variant.CNN3_PAD_FLIP_10EP, Tier.FULL.recipe(Variant.CNN3_PAD_FLIP_10EP))
        > 1.5 * COST.seconds(Variant.CNN3_PAD_FLIP, Tier.FULL.recipe(Variant.CNN3_PAD_FLIP)));
    // the flip doubles an epoch's samples
    assertEquals(2 * RunCost.trainSamples(Tier.FULL.recipe(Variant.CNN3_PAD)),
        RunCost.trainSamples(Tier.FULL.recipe(Variant.CNN3_PAD_FLIP)));
    RunCost nothingRecorded = RunCost.of(List.of());
    assertTrue(nothingRecorded.seconds(Variant.CNN4, Tier.FULL.recipe(Variant.CNN4))
        > nothingRecorded.seconds(Variant.MLP, Tier.FULL.recipe(Variant.MLP)));
  }
}
