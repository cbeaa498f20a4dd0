package org.fmnistbench.baselines;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.variants.Variant;

/**
 * Reading and writing the recorded-run CSV files of {@code baselines/} (one record type per
 * file, header row, Jackson's CSV mapper), and the order their rows are kept in: tier,
 * registry order, engine, seed, so that re-recording shows up as a small diff.
 *
 * <p>Reading is strict. Jackson's CSV reader by default skips the header row without reading it
 * and maps cells by position, fills a short row's missing cells with null and an empty cell of a
 * number field with 0. A hand-edited file with two columns swapped (test_accuracy and test_loss are
 * both numbers) would then be read without a word. Here the header must name the record's columns
 * in order, every row must have all of them, and a primitive (required) field must have a value.
 */
final class CsvRows {
  private static final CsvMapper CSV = CsvMapper.builder()
      .enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private CsvRows() {}

  /** The rows of {@code file}; a missing file has none. */
  static <T> List<T> read(Path file, Class<T> type) {
    List<T> rows = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      try (MappingIterator<T> it = CSV.readerFor(type).with(schema(type).withStrictHeaders(true))
          .readValues(file.toFile())) {
        rows.addAll(it.readAll());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  /**
   * The rows of a file typed by hand, whose '#' lines are comments (the article's figures and other
   * figures from elsewhere, with their origin); {@code what} names it in the error.
   */
  static <T> List<T> readCommented(Path file, Class<T> type, String what) {
    try (MappingIterator<T> it = CSV.readerFor(type).with(schema(type).withStrictHeaders(true))
        .with(CsvParser.Feature.ALLOW_COMMENTS).readValues(file.toFile())) {
      return it.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes all rows via a temporary file and a rename. */
  static <T> void write(Path file, Class<T> type, List<T> rows) {
    try {
      AtomicFiles.write(file, tmp -> CSV.writer(schema(type)).writeValue(tmp.toFile(), rows));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static CsvSchema schema(Class<?> type) {
    return CSV.schemaFor(type).withHeader();
  }

  /** The files' row order: tier, then registry order, engine, seed, then {@code within}. */
  static <T> Comparator<T> runOrder(Function<T, String> tier,
      Function<T, String> variant, Function<T, String> engine,
      ToLongFunction<T> seed, ToLongFunction<T> within) {
    return Comparator.comparing(tier)
        .thenComparingInt((T r) -> variantOrder(variant.apply(r)))
        .thenComparing(engine)
        .thenComparingLong(seed)
        .thenComparingLong(within);
  }

  private static int variantOrder(String id) {
    for (Variant v : Variant.values()) {
      if (v.id().equals(id)) {
        return v.ordinal();
      }
    }
    return Integer.MAX_VALUE; // rows of variants no longer in the registry sort last
  }
}
