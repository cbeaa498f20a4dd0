package org.fmnistbench.baselines;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fmnistbench.variants.Variant;

/**
 * The article's recorded figures, {@code baselines/article.csv} (documented in
 * {@code baselines/README.md}). Variants the article tried without giving figures have empty
 * cells.
 */
public final class ArticleFigures {
  public static final String FILE = "article.csv";

  /** One row: the article's final-epoch figures for one variant. Units are in the names. */
  @JsonPropertyOrder({"step", "variant", "epochs", "train_samples", "train_accuracy", "test_loss",
      "test_accuracy", "train_us_per_sample", "eval_us_per_sample", "epoch_seconds", "hardware", "note"})
  public record Row(
      @JsonProperty("step") Integer step,
      @JsonProperty("variant") String variant,
      @JsonProperty("epochs") int epochs,
      @JsonProperty("train_samples") int trainSamples,
      @JsonProperty("train_accuracy") Double trainAccuracy,
      @JsonProperty("test_loss") Double testLoss,
      @JsonProperty("test_accuracy") Double testAccuracy,
      @JsonProperty("train_us_per_sample") Double trainUsPerSample,
      @JsonProperty("eval_us_per_sample") Double evalUsPerSample,
      @JsonProperty("epoch_seconds") Double epochSeconds,
      @JsonProperty("hardware") String hardware,
      @JsonProperty("note") String note) {}

  private final List<Row> rows;

  private ArticleFigures(List<Row> rows) {
    this.rows = rows;
  }

  /** Reads {@code dir/article.csv}; '#' lines are comments. */
  public static ArticleFigures read(Path dir) {
    return new ArticleFigures(CsvRows.readCommented(dir.resolve(FILE), Row.class, "the article's figures"));
  }

  public List<Row> rows() {
    return rows;
  }

  /** The article's row for a variant, if it has one. */
  public Optional<Row> of(Variant variant) {
    return rows.stream().filter(r -> r.variant().equals(variant.id())).findFirst();
  }
}
