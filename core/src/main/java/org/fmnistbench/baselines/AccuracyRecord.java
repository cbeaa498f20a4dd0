package org.fmnistbench.baselines;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One recorded training run: a row of {@code baselines/accuracy.csv}. Written only by
 * {@code suite record}, never by hand.
 */
@JsonPropertyOrder({"variant", "tier", "engine", "recipe", "seed", "test_accuracy", "test_loss",
    "test_samples", "train_loss", "train_seconds", "backend", "dl4j_version", "commit", "recorded_at", "machine",
    "started_from", "others_busy"})
public record AccuracyRecord(
    @JsonProperty("variant") String variant,
    @JsonProperty("tier") String tier,
    @JsonProperty("engine") String engine,
    @JsonProperty("recipe") String recipe,
    @JsonProperty("seed") long seed,
    @JsonProperty("test_accuracy") double testAccuracy,
    @JsonProperty("test_loss") double testLoss,
    @JsonProperty("test_samples") int testSamples,
    @JsonProperty("train_loss") double trainLoss,
    @JsonProperty("train_seconds") double trainSeconds,
    @JsonProperty("backend") String backend,
    @JsonProperty("dl4j_version") String dl4jVersion,
    @JsonProperty("commit") String commit,
    @JsonProperty("recorded_at") String recordedAt,
    @JsonProperty("machine") String machine,
    @JsonProperty("started_from") String startedFrom,
    @JsonProperty("others_busy") Double othersBusy) {

  /** True when this row is for the same (variant, tier, engine, seed) as {@code other}. */
  public boolean sameKey(AccuracyRecord other) {
    return variant.equals(other.variant) && tier.equals(other.tier) && engine.equals(other.engine)
        && seed == other.seed;
  }
}
