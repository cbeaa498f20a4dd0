package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Two builds' counts side by side, by hand: count each build ({@code count}, the baseline with
 * {@code --classpath <its benchmarks.jar>}), then give both result folders here. Per point, the
 * change in instructions per operation against the nightly's limit and the functions whose own
 * instructions moved most: where a change in DL4J went, to the function.
 */
@Command(name = "count-compare", mixinStandardHelpOptions = true,
    description = "Compare two counting runs point by point and name the functions that moved.")
public final class CountCompareCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The baseline's counting run folder (or its counts-<jit>.json).")
  Path baseline;

  @Parameters(index = "1", description = "The candidate's counting run folder (or its counts-<jit>.json).")
  Path candidate;

  @Override
  public Integer call() throws Exception {
    CountResults before = read(baseline);
    CountResults after = read(candidate);
    if (!before.setting().jit().equals(after.setting().jit())) {
      throw new IllegalArgumentException("the runs counted under different JIT settings (" + before.setting().jit() + ", "
          + after.setting().jit() + "): their counts do not compare");
    }
    CountLimit limit = CountReportCommand.limit(after.setting().jit());
    System.out.printf(Locale.ROOT, "Baseline %s (%s), candidate %s (%s); limit max(1 %%, 6 A/A spreads)%n",
        before.setting().commit(), before.setting().cpu(), after.setting().commit(), after.setting().cpu());
    int changed = 0;
    for (CountResults.Point p : after.points()) {
      Optional<CountResults.Point> b = before.point(p.key()).filter(CountResults.Point::ok);
      if (!p.ok() || b.isEmpty()) {
        System.out.println(p.key() + ": not counted in both runs");
        continue;
      }
      if (!p.comparableWith(b.get())) {
        System.out.println(p.key() + ": not comparable, " + p.whyNotComparable(b.get()));
        continue;
      }
      CountLimit.Judgement j = limit.judge(b.get(), p);
      changed += j.called() ? 1 : 0;
      System.out.printf(Locale.ROOT, "%s: %+.3f %%%s (limit %.2f %%)%s%n", p.key(), 100 * j.comparison().relativeChange(),
          j.basis() == CountLimit.Basis.ALL ? "" : " on " + j.basis().description(), 100 * j.limit(), j.called() ? " CHANGED" : "");
      if (j.called()) {
        j.comparison().topFunctions(5).forEach(f -> System.out.println("    " + f));
      }
    }
    return changed == 0 ? 0 : 1;
  }

  private static CountResults read(Path p) throws IOException {
    if (Files.isRegularFile(p)) {
      return CountResults.read(p);
    }
    return CountResults.read(CountResults.filesIn(p, 1).stream().findFirst()
        .orElseThrow(() -> new IllegalArgumentException(p + " holds no counts-<jit>.json")));
  }
}
