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
    @JsonProperty("engine") String engine,
    @JsonProperty("tier") String tier,
    @JsonProperty("seed") long seed,
    @JsonProperty("test_accuracy") double accuracy,
    @JsonProperty("test_loss") double loss,
    @JsonProperty("band_low") Double bandLow,
    @JsonProperty("band_high") Double bandHigh,
    @JsonProperty("passed") boolean passed) {

  public GateResult {
    engine = engine == null ? "layer-api" : engine; // results written before the SameDiff engine
  }

  boolean sameRun(GateResult other) {
    return variant.equals(other.variant) && engine.equals(other.engine) && tier.equals(other.tier) && seed == other.seed;
  }

  /** The variant, with the engine when it is not the layer API: how charts name the series. */
  public String series() {
    return engine.equals("layer-api") ? variant : variant + " (" + engine + ")";
  }

  public static List<GateResult> read(Path file) throws IOException {
    return new ObjectMapper().readValue(file.toFile(), new TypeReference<List<GateResult>>() {});
  }
}
