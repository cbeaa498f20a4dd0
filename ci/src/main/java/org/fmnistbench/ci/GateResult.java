package org.fmnistbench.ci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One variant's accuracy-gate outcome, as {@code AccuracyGateIT} writes it to
 * {@code models/target/gate-results.json}; the band is the accepted accuracy range, where the
 * tier had one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GateResult(
    @JsonProperty("variant") String variant,
    @JsonProperty("tier") String tier,
    @JsonProperty("seed") long seed,
    @JsonProperty("test_accuracy") double accuracy,
    @JsonProperty("test_loss") double loss,
    @JsonProperty("band_low") Double bandLow,
    @JsonProperty("band_high") Double bandHigh,
    @JsonProperty("passed") boolean passed) {

  boolean sameRun(GateResult other) {
    return variant.equals(other.variant) && tier.equals(other.tier) && seed == other.seed;
  }

  public static List<GateResult> read(Path file) throws IOException {
    return new ObjectMapper().readValue(file.toFile(), new TypeReference<List<GateResult>>() {});
  }
}
