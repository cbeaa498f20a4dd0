package org.fmnistbench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.fmnistbench.baselines.EpochBaselines;
import org.fmnistbench.baselines.Repo;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record --plan-out} then {@code --plan}: each machine reads back from the file exactly the
 * slice it was dealt, every run of the campaign lands on one machine, and a plan made for
 * other shards or another engine is refused rather than half-followed.
 */
class CampaignPlanTest {
  private static final RunCost COST = RunCost.of(EpochBaselines.read(Repo.baselinesDir()).rows());

  @TempDir
  Path tmp;

  private static List<RunPlan.Job> campaign() {
    return RunPlan.record(List.of(Variant.values()), new long[] {1, 2, 3}, Tier.FULL, Engine.LAYER_API, COST, true);
  }

  @Test
  void everyRunOfTheCampaignIsDealtToOneShardAndReadBackFromTheFile() {
    List<RunPlan.Job> jobs = campaign();
    Path file = tmp.resolve("plan.json");
    CampaignPlan.of("abc123", "full", Engine.LAYER_API, jobs, 3).write(file);

    CampaignPlan read = CampaignPlan.read(file);
    List<RunPlan.Run> dealt = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      List<RunPlan.Job> mine = read.jobsOf(new Shard(k, 3), Engine.LAYER_API);
      assertFalse(mine.isEmpty(), "shard " + k + " of 3 has work");
      dealt.addAll(RunPlan.runs(mine));
    }

    assertEquals("abc123", read.commit());
    assertEquals(RunPlan.runs(jobs).size(), dealt.size(), "no run dealt twice");
    assertEquals(new HashSet<>(RunPlan.runs(jobs)), new HashSet<>(dealt), "no run left out");
    assertEquals(RunPlan.runs(new Shard(2, 3).select(jobs, RunPlan.Job::seconds)),
        RunPlan.runs(read.jobsOf(new Shard(2, 3), Engine.LAYER_API)), "the slice the plan was made with");
  }

  @Test
  void refusesAPlanForAnotherNumberOfShardsOrAnotherEngineOrNoPlanAtAll() throws Exception {
    CampaignPlan plan = CampaignPlan.of("abc123", "full", Engine.LAYER_API, campaign(), 2);

    assertEquals("the campaign plan splits its runs over 2 shards, not 3 (shard 1/3)",
        assertThrows(IllegalArgumentException.class, () -> plan.jobsOf(new Shard(1, 3), Engine.LAYER_API)).getMessage());
    assertEquals("the campaign plan is for engine layer-api, not samediff",
        assertThrows(IllegalArgumentException.class, () -> plan.jobsOf(new Shard(1, 2), Engine.SAMEDIFF)).getMessage());
    Path absent = tmp.resolve("absent.json");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CampaignPlan.read(absent)).getMessage()
        .startsWith("no campaign plan at " + absent));
    Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"commit\": ");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CampaignPlan.read(broken)).getMessage()
        .startsWith(broken + " is not a campaign plan (written by ./suite record --plan-out): "));
    Path noShards = Files.writeString(tmp.resolve("no-shards.json"), "{\"commit\": \"a\", \"tier\": \"full\", \"engine\": \"layer-api\"}");
    assertEquals(noShards + " is not a campaign plan (written by ./suite record --plan-out): Missing required creator "
        + "property 'shards' (index 3)",
        assertThrows(IllegalArgumentException.class, () -> CampaignPlan.read(noShards)).getMessage());
  }

  @Test
  void aPlanOfNoShardsIsNeverWritten() {
    // it would be written, and every machine's --plan then find nothing of its own to record
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CampaignPlan.of("abc123", "full", Engine.LAYER_API, campaign(), 0));
    assertEquals("--shards must be at least 1, got 0", e.getMessage());
  }
}
