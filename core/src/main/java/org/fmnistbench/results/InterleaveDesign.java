package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.io.AtomicFiles;

/**
 * An interleaved comparison's design ({@code interleave.json}), written when the comparison
 * starts and read by everything that resumes, judges or renders it: through {@link #read} and
 * {@link #write} alone. Fields an older comparison did not record are null.
 *
 * @param variants the variants measured (the union, with {@code points})
 * @param engines the engines
 * @param batchSizes the batch sizes
 * @param forks forks per point and build in a round (1)
 * @param iterations measured iterations per fork
 * @param iterationSeconds seconds per measured iteration
 * @param warmupIterations warm-up iterations per fork
 * @param warmupSeconds seconds per warm-up iteration
 * @param baselineJar the baseline build's jar
 * @param baselineLabel what the baseline is, for the summary (may be null)
 * @param baselineSha256 the baseline jar's SHA-256 when the comparison began
 * @param candidateJar the candidate build's jar
 * @param candidateSha256 its SHA-256
 * @param baselineCommit the commit the baseline jar was built from (null without a stamp)
 * @param candidateCommit the candidate's
 * @param candidateSlowdown the TEST-ONLY slowdown injected into the candidate
 * @param benchmarks train, inference
 * @param configs runtime configurations, separated by ';'
 * @param points exactly the points measured (null: the product of the selection)
 * @param rounds rounds
 * @param alpha family-wise error rate, two-sided (null: {@link #DEFAULT_ALPHA})
 * @param seed the order's seed
 * @param order each round's builds in the order measured, "baseline,candidate" or the reverse
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InterleaveDesign(@JsonProperty("variants") String variants, @JsonProperty("engines") String engines,
    @JsonProperty("batch_sizes") String batchSizes, @JsonProperty("forks") Integer forks,
    @JsonProperty("iterations") Integer iterations, @JsonProperty("iteration_seconds") Integer iterationSeconds,
    @JsonProperty("warmup_iterations") Integer warmupIterations, @JsonProperty("warmup_seconds") Integer warmupSeconds,
    @JsonProperty("baseline_jar") String baselineJar, @JsonProperty("baseline_label") String baselineLabel,
    @JsonProperty("baseline_sha256") String baselineSha256, @JsonProperty("candidate_jar") String candidateJar,
    @JsonProperty("candidate_sha256") String candidateSha256, @JsonProperty("baseline_commit") String baselineCommit,
    @JsonProperty("candidate_commit") String candidateCommit, @JsonProperty("candidate_slowdown") Double candidateSlowdown,
    @JsonProperty("benchmarks") String benchmarks, @JsonProperty("configs") String configs,
    @JsonProperty("points") List<String> points, @JsonProperty("rounds") int rounds, @JsonProperty("alpha") Double alpha,
    @JsonProperty("seed") Long seed, @JsonProperty("order") List<String> order) {
  public static final String FILE = "interleave.json";
  public static final double DEFAULT_ALPHA = 0.05;

  /** The family-wise error rate, the default where an older design left it out. */
  public double alphaOrDefault() {
    return alpha == null ? DEFAULT_ALPHA : alpha;
  }

  /** The TEST-ONLY slowdown of the candidate, 0 when none was recorded. */
  public double slowdown() {
    return candidateSlowdown == null ? 0 : candidateSlowdown;
  }

  /** The jar of a side ({@link InterleavedResults#BASELINE} or {@link InterleavedResults#CANDIDATE}). */
  public String jar(String side) {
    return side.equals(InterleavedResults.BASELINE) ? baselineJar : candidateJar;
  }

  /** A side's recorded SHA-256. */
  public String sha256(String side) {
    return side.equals(InterleavedResults.BASELINE) ? baselineSha256 : candidateSha256;
  }

  /** A side's commit, null without a stamp. */
  public String commit(String side) {
    return side.equals(InterleavedResults.BASELINE) ? baselineCommit : candidateCommit;
  }

  /** The design of the comparison in {@code dir}. */
  public static InterleaveDesign read(Path dir) throws IOException {
    return DesignFiles.read(dir, FILE, InterleaveDesign.class, "a 'BenchDriver interleave' result folder",
        "an interleaved comparison's design");
  }

  /** Writes this design into {@code dir}, atomically. */
  public void write(Path dir) throws IOException {
    AtomicFiles.writeJson(dir.resolve(FILE), this);
  }
}
