package org.fmnistbench.baselines;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One epoch of a recorded training run: a row of {@code baselines/epochs.csv}, what Keras's
 * epoch line shows plus the test set's figures after the epoch. Keyed to its run's row in
 * {@code accuracy.csv} (variant, tier, engine, seed), which holds the run's provenance; the
 * commit here is the one that trained this epoch, since a resumed run may span several.
 * Written only by {@code suite record}, never by hand.
 */
@JsonPropertyOrder({"variant", "tier", "engine", "seed", "epoch", "train_loss", "train_accuracy",
    "test_loss", "test_accuracy", "train_samples", "epoch_seconds", "train_us_per_sample", "eval_seconds",
    "commit"})
public record EpochRecord(
    @JsonProperty("variant") String variant,
    @JsonProperty("tier") String tier,
    @JsonProperty("engine") String engine,
    @JsonProperty("seed") long seed,
    @JsonProperty("epoch") int epoch,
    @JsonProperty("train_loss") double trainLoss,
    @JsonProperty("train_accuracy") double trainAccuracy,
    @JsonProperty("test_loss") double testLoss,
    @JsonProperty("test_accuracy") double testAccuracy,
    @JsonProperty("train_samples") int trainSamples,
    @JsonProperty("epoch_seconds") double epochSeconds,
    @JsonProperty("train_us_per_sample") double trainUsPerSample,
    @JsonProperty("eval_seconds") double evalSeconds,
    @JsonProperty("commit") String commit) {

  /** True when this row belongs to the run of {@code record}. */
  public boolean ofRun(AccuracyRecord record) {
    return variant.equals(record.variant()) && tier.equals(record.tier()) && engine.equals(record.engine())
        && seed == record.seed();
  }
}
