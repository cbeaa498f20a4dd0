package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Two builds' counts side by side, by hand: count each build ({@code count}, the baseline with
 * {@code --classpath <its benchmarks.jar>}), then give both result folders here. Per point, the
 * change in instructions per operation against the nightly's limit and the functions whose own
 * instructions moved most: where a change in DL4J went, to the function. A build counted in
 * several processes per point ({@code --processes}) is compared by its median process.
 */
@Command(name = "count-compare", mixinStandardHelpOptions = true,
    description = "Compare two counting runs point by point and name the functions that moved.")
public final class CountCompareCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The baseline's counting run folder (or its counts-<jit>.json).")
  Path baseline;

  @Parameters(index = "1", description = "The candidate's counting run folder (or its counts-<jit>.json).")
  Path candidate;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CountResults before = read(baseline);
    CountResults after = read(candidate);
    if (!before.setting().jit().equals(after.setting().jit())) {
      throw new IllegalArgumentException("the runs counted under different JIT settings (" + before.setting().jit() + ", "
          + after.setting().jit() + "): their counts do not compare");
    }
    CountLimit limit = CountReportCommand.limit(after.setting().jit());
    out.printf(Locale.ROOT, "Baseline %s (%s), candidate %s (%s); limit max(1 %%, 6 A/A spreads)%n",
        before.setting().commit(), before.setting().cpu(), after.setting().commit(), after.setting().cpu());
    if (!before.setting().platform().equals(after.setting().platform())) {
      out.printf(Locale.ROOT, "The runs were counted on different platforms (%s; %s): a JDK or C library update moves counts, "
          + "so a change below may be the platform's, not the build's%n", before.setting().platformOrNotRecorded(),
          after.setting().platformOrNotRecorded());
    }
    int changed = 0;
    int compared = 0;
    // the baseline's points too: one the candidate lacks is named, not left out
    List<String> keys = Stream.concat(before.keys().stream(), after.keys().stream()).distinct().toList();
    for (String key : keys) {
      Optional<CountResults.Point> a = after.medianProcess(key);
      Optional<CountResults.Point> b = before.medianProcess(key);
      if (a.isEmpty() || b.isEmpty()) {
        out.println(key + ": not counted in both runs (" + (b.isEmpty() ? "baseline" : "candidate") + " lacks it)");
        continue;
      }
      CountResults.Point p = a.get();
      if (!p.comparableWith(b.get())) {
        out.println(key + ": not comparable, " + p.whyNotComparable(b.get()));
        continue;
      }
      CountLimit.Judgement j = limit.judge(b.get(), p);
      compared++;
      changed += j.called() ? 1 : 0;
      long processesBefore = before.processesCounted(key);
      long processesAfter = after.processesCounted(key);
      out.printf(Locale.ROOT, "%s: %+.3f %%%s (limit %.2f %%)%s%s%n", key, 100 * j.comparison().relativeChange(),
          j.basis() == CountLimit.Basis.ALL ? "" : " on " + j.basis().description(), 100 * j.limit(),
          processesBefore > 1 || processesAfter > 1
              ? String.format(Locale.ROOT, ", median processes of %d and %d", processesBefore, processesAfter) : "",
          j.called() ? " CHANGED" : "");
      if (j.called()) {
        j.comparison().topFunctions(5).forEach(f -> out.println("    " + f));
      }
    }
    out.printf(Locale.ROOT, "%d of %d points compared, %d changed%n", compared, keys.size(), changed);
    out.flush();
    if (compared == 0) {
      throw new IllegalArgumentException("no point was counted comparably in both runs: nothing to compare");
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
