package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.fmnistbench.bench.count.CountSetting;
import org.fmnistbench.bench.report.CountsDocument;
import org.fmnistbench.bench.report.Documents;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.results.CountDrill;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.results.CountSchedule;
import org.fmnistbench.results.CountSpread;
import org.fmnistbench.runtime.CpuFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * COUNTS.md: adds the given counting runs' {@code counts-*.json} to
 * {@code benchmarks/reports/counts-data/<run folder>/} and renders the document from every run
 * kept there, so A/A runs on several days and machines accumulate into one document.
 */
@Command(name = "count-report", mixinStandardHelpOptions = true,
    description = "Add counting runs to benchmarks/reports/counts-data and regenerate COUNTS.md from all of them.")
public final class CountReportCommand implements Callable<Integer> {
  static final String DATA = "counts-data";

  @Parameters(arity = "0..*", description = "Result folders of 'count' runs to add (none: re-render what is kept).")
  List<Path> runs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path reports = Documents.reportsDir();
    Path data = reports.resolve(DATA);
    for (Path run : runs) {
      List<Path> files = CountResults.filesIn(run, 1);
      if (files.isEmpty()) {
        throw new IllegalArgumentException(run + " holds no counts-*.json: not a result folder of 'BenchDriver count'");
      }
      Path target = data.resolve(run.getFileName());
      Files.createDirectories(target);
      for (Path f : files) {
        CountResults.read(f); // refuse a broken file before it is kept
        AtomicFiles.copy(f, target.resolve(f.getFileName()));
      }
    }
    String md = render();
    AtomicFiles.writeString(reports.resolve("COUNTS.md"), md);
    System.out.println("Wrote " + reports.resolve("COUNTS.md") + " from " + kept().size() + " runs");
    return 0;
  }

  /** COUNTS.md as the runs and drills kept in counts-data render it. */
  public static String render() throws IOException {
    Map<String, CountResults> kept = kept();
    if (kept.isEmpty()) {
      throw new IllegalStateException("no counting runs under " + Documents.reportsDir().resolve(DATA)
          + "; give result folders of 'BenchDriver count'");
    }
    List<CountDrill> drills = new ArrayList<>();
    for (Path f : CountDrill.filesIn(Documents.reportsDir().resolve(DATA))) {
      drills.add(CountDrill.read(f));
    }
    return CountsDocument.markdown(
        "java -cp benchmarks/target/benchmarks.jar org.fmnistbench.bench.driver.BenchDriver count-report", kept, drills,
        CountSetting::changeOf);
  }

  /** Every counting run kept beside COUNTS.md, by its path under counts-data. */
  static Map<String, CountResults> kept() throws IOException {
    Path data = Documents.reportsDir().resolve(DATA);
    Map<String, CountResults> kept = new TreeMap<>();
    for (Path f : CountResults.filesIn(data, 2)) {
      kept.put(data.relativize(f).toString(), CountResults.read(f));
    }
    return kept;
  }

  /** The nightly's limits in JIT setting {@code jit}, from the A/A runs kept here. */
  static CountLimit limit(String jit) throws IOException {
    return new CountLimit(CountLimit.MIN_EFFECT, CountLimit.SPREADS, List.copyOf(kept().values()), jit);
  }

  /**
   * Each point's expected seconds for one counting process on this CPU model in JIT setting
   * {@code jit}, from the runs kept here ({@link CountSchedule#costsOn}).
   */
  static Map<String, Double> expectedSeconds(String jit) throws IOException {
    return CountSchedule.costsOn(CountSpread.of(List.copyOf(kept().values())), jit, CpuFeatures.detect().model());
  }
}
