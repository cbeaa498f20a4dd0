package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;

/**
 * One gate run's outcome: what {@code AccuracyGateIT} writes to {@code models/target/gate-results.json}
 * ({@link #write}) and the nightly job reads back from the history ({@link #read}); the one type
 * of that file. The band is the accepted accuracy range, where the tier had one.
 *
 * @param variant variant id
 * @param engine engine id
 * @param tier tier id
 * @param seed the run's seed
 * @param recipe the recipe's description
 * @param accuracy test accuracy
 * @param loss test loss
 * @param trainLoss last epoch's mean training loss
 * @param trainSeconds wall time of training
 * @param bandLow lower edge of the accepted accuracy range (smoke: of this run; full: of the mean of the
 *     variant's runs), or null
 * @param bandHigh upper edge, or null
 * @param passed whether the variant's verdict passed
 * @param problems why it did not
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GateResult(
    @JsonProperty(value = "variant", required = true) String variant,
    @JsonProperty("engine") String engine,
    @JsonProperty(value = "tier", required = true) String tier,
    @JsonProperty(value = "seed", required = true) long seed,
    @JsonProperty("recipe") String recipe,
    @JsonProperty(value = "test_accuracy", required = true) double accuracy,
    @JsonProperty(value = "test_loss", required = true) double loss,
    @JsonProperty("train_loss") Double trainLoss,
    @JsonProperty("train_seconds") Double trainSeconds,
    @JsonProperty("band_low") Double bandLow,
    @JsonProperty("band_high") Double bandHigh,
    @JsonProperty(value = "passed", required = true) boolean passed,
    @JsonProperty("problems") List<String> problems) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public GateResult {
    engine = engine == null ? JmhJson.ENGINE_WHEN_UNNAMED : engine; // results written before the SameDiff engine
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** True for the same variant, engine, tier and seed. */
  public boolean sameRun(GateResult other) {
    return variant.equals(other.variant) && engine.equals(other.engine) && tier.equals(other.tier) && seed == other.seed;
  }

  /** The variant, with the engine when it is not the layer API: how charts name the series. */
  public String series() {
    return engine.equals(JmhJson.ENGINE_WHEN_UNNAMED) ? variant : variant + " (" + engine + ")";
  }

  public static List<GateResult> read(Path file) throws IOException {
    return JsonFiles.read(JSON, file, new TypeReference<List<GateResult>>() {}, "the gate's results (gate-results.json, a list of runs)");
  }

  /** Writes the results as a JSON list, via a temporary file and a rename. */
  public static void write(List<GateResult> results, Path file) throws IOException {
    AtomicFiles.writeJson(file, results);
  }
}
