package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fmnistbench.io.AtomicFiles;

/**
 * How far a point's figure moves between runs on unchanged code, from the recorded A/A
 * experiment ({@code run-spread.json} beside STABILITY.md, written when STABILITY.md is): the
 * run level that an interval over one run's forks leaves out. A suite run's table sets it beside
 * each figure, so that "± x % over this run's forks" is not read as the precision of the figure
 * against another day's. Read and written here alone.
 *
 * @param experiment the A/A experiment's run id
 * @param commits the commits it measured
 * @param cpu the machine's CPU model
 * @param points one per point of the experiment (the default configuration)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunSpread(@JsonProperty("experiment") String experiment, @JsonProperty("commits") String commits,
    @JsonProperty("cpu") String cpu, @JsonProperty("points") List<Point> points) {
  public static final String FILE = "run-spread.json";

  /**
   * One point.
   *
   * @param relativeRunSd the run level's standard deviation over the mean (sqrt(T3) / mean; VarianceComponents)
   * @param relativeRunDifferenceSd the standard deviation of the difference of two runs' figures at the experiment's
   *     forks and iterations, over the mean: what comparing with another run faces
   * @param runs the runs it was estimated from
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Point(@JsonProperty("benchmark") String benchmark, @JsonProperty("variant") String variant,
      @JsonProperty("engine") String engine, @JsonProperty("batch_size") int batchSize,
      @JsonProperty("relative_run_sd") double relativeRunSd,
      @JsonProperty("relative_run_difference_sd") double relativeRunDifferenceSd, @JsonProperty("runs") int runs) {}

  /** The point measured in the default configuration, if the experiment had it. */
  public Optional<Point> find(String benchmark, String variant, String engine, int batchSize) {
    return points.stream().filter(p -> p.benchmark().equals(benchmark) && p.variant().equals(variant)
        && p.engine().equals(engine) && p.batchSize() == batchSize).findFirst();
  }

  /** The spread kept in {@code reportsDir}, empty where no experiment wrote one. */
  public static Optional<RunSpread> read(Path reportsDir) throws IOException {
    Path file = reportsDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(DesignFiles.read(reportsDir, FILE, RunSpread.class, "a reports folder",
        "the run-to-run spread of an A/A experiment"));
  }

  public void write(Path reportsDir) throws IOException {
    AtomicFiles.writeJson(reportsDir.resolve(FILE), this);
  }
}
