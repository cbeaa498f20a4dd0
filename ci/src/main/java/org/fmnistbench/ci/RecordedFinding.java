package org.fmnistbench.ci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;

/**
 * What the nightly said of one wall-time series of a run, as the history keeps it beside the run
 * ({@code findings.json}): written by {@code Nightly record}, read by the change-point check
 * and the dashboard, through {@link #readAll} and {@link #writeAll} alone.
 *
 * @param key the series
 * @param verdict a {@link RegressionDetector.Verdict} name, or {@link #CHANGE_POINT}
 * @param change relative change (null when none applies)
 * @param describe the finding in one sentence
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RecordedFinding(@JsonProperty(value = "key", required = true) String key,
    @JsonProperty(value = "verdict", required = true) String verdict,
    @JsonProperty("change") Double change, @JsonProperty("describe") String describe) {
  /** The verdict of a change of level found over the history ({@link ChangePointDetector}). */
  public static final String CHANGE_POINT = "CHANGE_POINT";

  /** The verdicts that report a change of the series (an unconfirmed first look does not). */
  private static final Set<String> CHANGES = Set.of(RegressionDetector.Verdict.REGRESSION.name(),
      RegressionDetector.Verdict.IMPROVEMENT.name(), CHANGE_POINT);

  private static final ObjectMapper JSON = new ObjectMapper();

  public static RecordedFinding of(RegressionDetector.Finding f) {
    return new RecordedFinding(f.key(), f.verdict().name(), Double.isNaN(f.change()) ? null : f.change(), f.describe());
  }

  public static RecordedFinding of(ChangePointDetector.Finding f, String unit) {
    return new RecordedFinding(f.key(), CHANGE_POINT, f.change(), f.describe(unit));
  }

  /** Whether this reports a change of its series. */
  public boolean reportsChange() {
    return CHANGES.contains(verdict);
  }

  public static List<RecordedFinding> readAll(Path file) throws IOException {
    return List.of(JsonFiles.read(JSON, file, RecordedFinding[].class, "a list of findings (key, verdict, change, describe)"));
  }

  static void writeAll(Path file, List<RecordedFinding> findings) throws IOException {
    AtomicFiles.writeJson(file, findings);
  }
}
