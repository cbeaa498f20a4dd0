package org.fmnistbench.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;
import org.fmnistbench.variants.Variant;

/**
 * A recording campaign's runs, split over its shards once, at the start ({@code ./suite record
 * --plan-out}), so that every shard, and a shard re-run alone later, does exactly its own slice:
 * splitting again after some shards finished would deal the remainder over all N machines, and
 * the shard re-run would do about 1/N of what it owes.
 *
 * @param commit the code the campaign records with; a shard at another commit refuses the plan
 * @param tier smoke or full
 * @param engine engine id
 * @param shards each shard's jobs (a job's runs go together: a continued variant with its twin)
 */
public record CampaignPlan(@JsonProperty(required = true) String commit, @JsonProperty(required = true) String tier,
    @JsonProperty(required = true) String engine, @JsonProperty(required = true) List<List<List<PlannedRun>>> shards) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One run: a variant and a seed. */
  public record PlannedRun(@JsonProperty(required = true) String variant, @JsonProperty(required = true) long seed) {}

  /** The plan of {@code jobs} dealt over {@code count} shards by {@link Balance}. */
  public static CampaignPlan of(String commit, String tier, Engine engine, List<RunPlan.Job> jobs, int count) {
    if (count < 1) { // a plan of no shards records nothing, on every machine
      throw new IllegalArgumentException("--shards must be at least 1, got " + count);
    }
    List<List<List<PlannedRun>>> shards = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      shards.add(new Shard(k, count).select(jobs, RunPlan.Job::seconds).stream()
          .map(j -> j.runs().stream().map(r -> new PlannedRun(r.variant().id(), r.seed())).toList()).toList());
    }
    return new CampaignPlan(commit, tier, engine.id(), shards);
  }

  /** Shard {@code shard}'s jobs; refused when the plan was made for another number of shards. */
  public List<RunPlan.Job> jobsOf(Shard shard, Engine engine) {
    if (shard.count() != shards.size()) {
      throw new IllegalArgumentException("the campaign plan splits its runs over " + shards.size() + " shards, not "
          + shard.count() + " (shard " + shard + ")");
    }
    if (!engine.id().equals(this.engine)) {
      throw new IllegalArgumentException("the campaign plan is for engine " + this.engine + ", not " + engine.id());
    }
    return shards.get(shard.index() - 1).stream()
        .map(job -> new RunPlan.Job(job.stream().map(r -> new RunPlan.Run(engine, Variant.byId(r.variant()), r.seed()))
            .toList(), 0)).toList();
  }

  public void write(Path file) {
    try {
      AtomicFiles.writeJson(file, this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the campaign plan " + file, e);
    }
  }

  public static CampaignPlan read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no campaign plan at " + file + " (written by ./suite record --plan-out)");
    }
    try {
      return JsonFiles.read(JSON, file, CampaignPlan.class, "a campaign plan (written by ./suite record --plan-out)");
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
