package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baselines CSV file whose columns do not match its record is refused, naming the file and the
 * column, instead of being read by position into the wrong fields.
 */
class CsvRowsTest {
  @TempDir Path dir;

  /** accuracy.csv as {@code suite record} writes it, with one run: accuracy 0.8685, loss 0.3644. */
  private String recorded() throws Exception {
    AccuracyBaselines.read(dir).put(new AccuracyRecord("mlp", "full", "layer-api", "epochs=5", 1, 0.8685, 0.3644,
        10000, 0.29, 150.0, "CpuBackend[build=onednn-avx2]", "1.0.0-M2.1", "abc", "2026-11-30T00:00:00Z", "m", "",
        0.0));
    return Files.readString(dir.resolve(AccuracyBaselines.FILE));
  }

  private String refusal(String text) throws Exception {
    Files.writeString(dir.resolve(AccuracyBaselines.FILE), text);
    String message = assertThrows(UncheckedIOException.class, () -> AccuracyBaselines.read(dir)).getMessage();
    assertTrue(message.contains(dir.resolve(AccuracyBaselines.FILE).toString()), message);
    return message;
  }

  @Test
  void writtenFileReadsBack() throws Exception {
    recorded();
    AccuracyRecord row = AccuracyBaselines.read(dir).rows().get(0);
    assertEquals(0.8685, row.testAccuracy());
    assertEquals(0.3644, row.testLoss());
  }

  @Test
  void swappedColumnsAreRefusedNotReadIntoEachOther() throws Exception {
    String text = recorded();
    // test_accuracy and test_loss are both numbers: read by position, they would swap silently
    String swapped = text.replaceFirst("test_accuracy,test_loss", "test_loss,test_accuracy")
        .replace("0.8685,0.3644", "0.3644,0.8685");
    String message = refusal(swapped);
    assertTrue(message.contains("test_accuracy") && message.contains("test_loss"), message);
  }

  @Test
  void renamedMissingAndExtraColumnsAreRefused() throws Exception {
    String text = recorded();
    assertTrue(refusal(text.replaceFirst("test_samples", "samples")).contains("samples"));
    String header = text.lines().findFirst().orElseThrow();
    String row = text.lines().skip(1).findFirst().orElseThrow();
    assertTrue(refusal(header.replace(",others_busy", "") + "\n" + row.replaceFirst(",0\\.0$", "") + "\n")
        .contains("others_busy"));
    assertTrue(refusal(header + ",extra\n" + row + ",1\n").contains("extra"));
  }

  @Test
  void shortRowAndEmptyRequiredCellAreRefused() throws Exception {
    String text = recorded();
    String header = text.lines().findFirst().orElseThrow();
    String row = text.lines().skip(1).findFirst().orElseThrow();
    refusal(header + "\n" + row.replaceFirst(",0\\.0$", "") + "\n"); // one cell short
    assertTrue(row.startsWith("mlp,full,layer-api,epochs=5,1,"), row);
    String message = refusal(header + "\n" + row.replaceFirst(",1,", ",,") + "\n"); // no seed
    assertTrue(message.contains("seed"), message);
  }

  @Test
  void anEmptyOptionalCellIsStillNull() throws Exception {
    String text = recorded();
    Files.writeString(dir.resolve(AccuracyBaselines.FILE), text.replaceFirst(",0\\.0\n", ",\n"));
    assertNull(AccuracyBaselines.read(dir).rows().get(0).othersBusy());
  }

  @Test
  void commentedFilesAreCheckedTheSameWay() throws Exception {
    String header = "step,variant,epochs,train_samples,train_accuracy,test_loss,test_accuracy,"
        + "train_us_per_sample,eval_us_per_sample,epoch_seconds,hardware,note";
    String row = "1,mlp,5,60000,0.89,0.35,0.87,,,,K80,\n";
    Files.writeString(dir.resolve(ArticleFigures.FILE), "# origin\n" + header + "\n" + row);
    List<ArticleFigures.Row> rows = ArticleFigures.read(dir).rows();
    assertEquals(0.87, rows.get(0).testAccuracy());
    assertNull(rows.get(0).trainUsPerSample());

    Files.writeString(dir.resolve(ArticleFigures.FILE),
        "# origin\n" + header.replace("test_loss,test_accuracy", "test_accuracy,test_loss") + "\n" + row);
    String message = assertThrows(UncheckedIOException.class, () -> ArticleFigures.read(dir)).getMessage();
    assertTrue(message.contains("the article's figures") && message.contains("test_loss"), message);
  }
}
