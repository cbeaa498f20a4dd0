package org.fmnistbench.bench.report;

import static org.fmnistbench.bench.report.Documents.us;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.math3.stat.StatUtils;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.InterleaveDesign;
import org.fmnistbench.results.InterleavedResults.Comparison;
import org.fmnistbench.results.InterleavedResults.Verdict;
import org.fmnistbench.results.JmhJson;
import org.fmnistbench.results.RunMetadata;

/**
 * An interleaved comparison's summary below its header: the design (from the comparison's design
 * file), the machine's activity, and per point the ratio, its interval and the verdict. Rendered
 * from the typed results alone.
 */
public final class InterleavedSummary {

  private InterleavedSummary() {}

  /** The summary's body for a comparison's design, its points and the activity of its invocations. */
  public static String body(InterleaveDesign design, List<Comparison> comparisons, List<RunMetadata.MachineActivity> activity) {
    int rounds = design.rounds();
    double alpha = design.alphaOrDefault();
    StringBuilder md = new StringBuilder();
    String invocations = design.points() != null
        ? "exactly the " + design.points().size() + " points named, one JMH invocation per build and group of points "
            + "sharing a benchmark, engine, batch size and configuration"
        : "the product of the selection below, one JMH invocation per build and configuration";
    md.append(String.format(Locale.ROOT, "## Design%n%n%d rounds; in each, every point measured once with each build's jar "
            + "(%s, one fork per point: %d warm-up iterations of %d s, %d measured iterations of %d s), "
            + "the builds in random order (seed %d): %s. Benchmarks %s; variants %s; engines %s; configurations %s; batch %s.%n%n",
        rounds, invocations, design.warmupIterations(), design.warmupSeconds(), design.iterations(), design.iterationSeconds(),
        design.seed(), String.join("; ", design.order()), design.benchmarks(), design.variants(), design.engines(),
        design.configs(), design.batchSizes()));
    md.append("- baseline: `").append(design.baselineJar()).append("` (SHA-256 `").append(design.baselineSha256()).append("`)\n");
    md.append("- candidate: `").append(design.candidateJar()).append("` (SHA-256 `").append(design.candidateSha256()).append("`)");
    double slowdown = design.slowdown();
    md.append(slowdown > 0 ? String.format(Locale.ROOT, ", with a TEST-ONLY slowdown of %.0f %% injected into every operation",
        100 * slowdown) : "").append('\n');
    md.append(String.format(Locale.ROOT, "- machine during the %d invocations: others' busy share up to %s, steal up to %s%n%n",
        activity.size(), maxPercent(activity, RunMetadata.MachineActivity::othersBusyFraction),
        maxPercent(activity, RunMetadata.MachineActivity::stealFraction)));
    Canary canary = comparisons.isEmpty() ? Canary.NONE : comparisons.get(0).canary();
    String over = canary == Canary.NONE ? "" : " (each iteration divided by the `" + canary.metric() + "` canary measured "
        + "after it in the same fork; the us/sample columns are the figures themselves)";
    md.append(String.format(Locale.ROOT, "## Result%n%nEach round's ratio is candidate / baseline of one fork each%s; the ratio "
            + "below is their geometric mean, with a 95 %% t interval over the rounds. A point is called slower (or faster) only "
            + "when Holm's procedure over all %d points rejects \"no slower\" (\"no faster\") at a family-wise %.1f %% each "
            + "(two-sided %.0f %%: a called point's 95 %% interval excludes 1). \"Spread "
            + "of a round\" is the standard deviation of one round's log ratio; \"rounds for 90 %%\" says how many rounds would "
            + "catch a 10 %% slowdown of that point 9 times in 10 at this alpha (normal approximation). The last column is a "
            + "diagnostic, not part of the verdict: the `%s` canary's own ratio over the same rounds (a plain-Java kernel "
            + "timed after each iteration in the same fork). Far from 1, the machine differed between the builds' forks, or "
            + "the candidate moved the canary (threads left spinning after the step, more to collect): DETECTOR.md's \"The "
            + "canary's role\" says why it is not divided out.%n%n",
        over, comparisons.size(), 50 * alpha, 100 * alpha, JmhJson.CANARY_COMPUTE));
    md.append("| benchmark | variant | engine | configuration | baseline, us/sample | candidate, us/sample | candidate / baseline, 95 % "
        + "| p (slower) | verdict | spread of a round | rounds for 90 % at +10 % | canary's own ratio, 95 % |\n"
        + "|---|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
    for (Comparison c : comparisons) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.3g | %s | %.1f %% | %.0f | %s |%n", c.benchmark(),
          c.variant(), c.engine(), c.runtime(), us(StatUtils.mean(c.baseline())), us(StatUtils.mean(c.candidate())),
          c.ratio().format(), c.ratio().pSlower(), c.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          100 * c.ratio().logSd(), c.ratio().roundsFor(1.10, alpha / 2 / comparisons.size(), 0.9),
          c.canaryRatio() == null ? "not measured" : c.canaryRatio().format()));
    }
    long slowerCount = comparisons.stream().filter(Comparison::slower).count();
    md.append(String.format(Locale.ROOT, "%n%d of %d points called slower, %d faster.%n", slowerCount, comparisons.size(),
        comparisons.stream().filter(c -> c.verdict() == Verdict.FASTER).count()));
    return md.toString();
  }

  private static String maxPercent(List<RunMetadata.MachineActivity> activity,
      Function<RunMetadata.MachineActivity, Double> field) {
    return activity.stream().map(field).filter(Objects::nonNull).mapToDouble(Double::doubleValue).max()
        .stream().mapToObj(v -> String.format(Locale.ROOT, "%.1f %%", 100 * v)).findFirst().orElse("n/a");
  }
}
