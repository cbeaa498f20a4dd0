package org.fmnistbench.baselines;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fmnistbench.variants.Variant;

/**
 * Another framework's runs of the article's full recipe ({@code pytorch-reference.csv}): figures
 * from elsewhere, transcribed with their origin in the file's comments, like the article's. The
 * reproduction report shows them as an external reference beside DL4J's, never in its verdicts.
 */
public final class ReferenceRuns {
  public static final String FILE = "pytorch-reference.csv";

  /** One run: a variant and seed, its test accuracy (fraction) and loss on the 10,000 test images. */
  @JsonPropertyOrder({"variant", "seed", "test_accuracy", "test_loss", "epochs"})
  public record Row(@JsonProperty("variant") String variant, @JsonProperty("seed") int seed,
      @JsonProperty("test_accuracy") double testAccuracy, @JsonProperty("test_loss") double testLoss,
      @JsonProperty("epochs") int epochs) {}

  private final List<Row> rows;

  private ReferenceRuns(List<Row> rows) {
    this.rows = rows;
  }

  /** Reads {@code dir/pytorch-reference.csv} ('#' lines are comments); none when the file is absent. */
  public static ReferenceRuns read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return new ReferenceRuns(List.of());
    }
    return new ReferenceRuns(CsvRows.readCommented(file, Row.class, "the reference runs"));
  }

  /** A variant's test accuracies, one per seed; empty when it has none. */
  public double[] testAccuracy(Variant v) {
    return rows.stream().filter(r -> r.variant().equals(v.id())).mapToDouble(Row::testAccuracy).toArray();
  }

  /** A variant's test losses, in the order of {@link #testAccuracy}. */
  public double[] testLoss(Variant v) {
    return rows.stream().filter(r -> r.variant().equals(v.id())).mapToDouble(Row::testLoss).toArray();
  }

  public List<Row> rows() {
    return rows;
  }
}
