package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import org.fmnistbench.io.AtomicFiles;

/**
 * A stability experiment's design ({@code experiment.json}): what each of its runs measures and
 * how often, written when it starts, extended by {@code --resume} and {@code --quick-run}, and
 * read back by the analysis, through {@link #read} and {@link #write} alone.
 *
 * @param variants the variants, comma-separated
 * @param engines the engines, comma-separated
 * @param batchSizes the batch sizes, comma-separated
 * @param runs runs of the whole set, one after another
 * @param forks forks per point in a run
 * @param iterations measured iterations per fork
 * @param iterationSeconds seconds per measured iteration
 * @param warmupIterations warm-up iterations per fork
 * @param warmupSeconds seconds per warm-up iteration
 * @param quickRun the quick-level suite run kept beside the experiment (null: none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StabilityDesign(@JsonProperty("variants") String variants, @JsonProperty("engines") String engines,
    @JsonProperty("batch_sizes") String batchSizes, @JsonProperty("runs") int runs, @JsonProperty("forks") int forks,
    @JsonProperty("iterations") int iterations, @JsonProperty("iteration_seconds") int iterationSeconds,
    @JsonProperty("warmup_iterations") int warmupIterations, @JsonProperty("warmup_seconds") int warmupSeconds,
    @JsonProperty("quick_run") String quickRun) {
  public static final String FILE = "experiment.json";

  /** This design with {@code runs} runs (an extended experiment). */
  public StabilityDesign withRuns(int runs) {
    return new StabilityDesign(variants, engines, batchSizes, runs, forks, iterations, iterationSeconds, warmupIterations,
        warmupSeconds, quickRun);
  }

  /** This design with the quick-level run {@code folderName} kept beside it. */
  public StabilityDesign withQuickRun(String folderName) {
    return new StabilityDesign(variants, engines, batchSizes, runs, forks, iterations, iterationSeconds, warmupIterations,
        warmupSeconds, folderName);
  }

  /** The design of the experiment in {@code dir}. */
  public static StabilityDesign read(Path dir) throws IOException {
    return DesignFiles.read(dir, FILE, StabilityDesign.class, "a stability experiment's result folder",
        "a stability experiment's design");
  }

  /** Writes this design into {@code dir}, atomically. */
  public void write(Path dir) throws IOException {
    AtomicFiles.writeJson(dir.resolve(FILE), this);
  }
}
