package org.fmnistbench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;
import org.fmnistbench.baselines.EpochBaselines;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;

/** {@code record --missing}: recorded runs leave the plan, and a continued run whose twin left pays its whole recipe. */
class RunPlanTest {
  private static final RunCost COST = RunCost.of(EpochBaselines.read(Repo.baselinesDir()).rows());
  private static final long[] SEEDS = {1, 2, 3};

  @Test
  void skippedRunsLeaveThePlanAndAContinuedRunWithoutItsTwinCostsItsWholeRecipe() {
    Variant twin = Variant.CNN3_PAD_FLIP;
    Variant longer = Variant.CNN3_PAD_FLIP_10EP;
    List<Variant> asked = List.of(twin, longer);
    RunPlan.Run recordedTwin = new RunPlan.Run(Engine.LAYER_API, twin, 1);
    RunPlan.Run recordedLonger = new RunPlan.Run(Engine.LAYER_API, longer, 2);
    List<RunPlan.Job> all = RunPlan.record(asked, SEEDS, Tier.FULL, Engine.LAYER_API, COST, true);
    List<RunPlan.Job> missing = RunPlan.record(asked, SEEDS, Tier.FULL, Engine.LAYER_API, COST, true,
        Set.of(recordedTwin, recordedLonger)::contains);

    assertEquals(RunPlan.runs(all).size() - 2, RunPlan.runs(missing).size());
    assertFalse(RunPlan.runs(missing).contains(recordedTwin));
    assertFalse(RunPlan.runs(missing).contains(recordedLonger));
    double longerAlone = COST.seconds(longer, Tier.FULL.recipe(longer));
    RunPlan.Job seed1 = missing.stream().filter(j -> j.runs().get(0).seed() == 1).findFirst().orElseThrow();
    assertEquals(List.of(new RunPlan.Run(Engine.LAYER_API, longer, 1)), seed1.runs());
    assertEquals(longerAlone, seed1.seconds(), 1e-9, "without its twin in the job it trains every epoch");
    RunPlan.Job seed3 = missing.stream().filter(j -> j.runs().get(0).seed() == 3).findFirst().orElseThrow();
    assertEquals(2, seed3.runs().size());
    assertEquals(longerAlone, seed3.seconds(), 1e-9, "with its twin in the job the pair costs the longer run");
  }
}
