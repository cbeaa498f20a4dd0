package org.fmnistbench.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;

/**
 * The training runs a recording or a full gate asks for, grouped into the jobs that must stay on
 * one machine, with their expected cost, so that {@link Shard} can spread the jobs over machines.
 * A variant that continues its shorter twin ({@code cnn3-pad-flip-10ep} after {@code cnn3-pad-flip})
 * shares a job with the twin's run of the same seed and engine when both are asked, because the
 * continuation needs the twin's checkpoint on the same disk; that job costs the longer run alone.
 */
public final class RunPlan {
  private RunPlan() {}

  /** One training run. */
  public record Run(Engine engine, Variant variant, long seed) {
    @Override
    public String toString() {
      return variant + " seed " + seed + (engine == Engine.LAYER_API ? "" : " (" + engine.id() + ")");
    }
  }

  /** Runs that one machine does together, in order, and what they are expected to cost. */
  public record Job(List<Run> runs, double seconds) {
    @Override
    public String toString() {
      return runs + String.format(Locale.ROOT, " ~%.0f min", seconds / 60);
    }
  }

  /**
   * The jobs of {@code ./suite record}: one per variant and seed, except that a continued variant
   * and its twin share one per seed.
   *
   * @param chain whether runs may continue their twin (false with {@code --no-continue})
   */
  public static List<Job> record(List<Variant> variants, long[] seeds, Tier tier, Engine engine, RunCost cost,
      boolean chain) {
    return record(variants, seeds, tier, engine, cost, chain, run -> false);
  }

  /**
   * The same, without the runs {@code skip} accepts ({@code --missing}: those already recorded).
   * A continued run whose twin is skipped keeps a job of its own and costs its whole recipe: it
   * continues the twin's checkpoint only where that is on this machine's disk.
   */
  public static List<Job> record(List<Variant> variants, long[] seeds, Tier tier, Engine engine, RunCost cost,
      boolean chain, Predicate<Run> skip) {
    Map<Object, List<Run>> groups = new LinkedHashMap<>();
    for (Variant v : variants) {
      for (long seed : seeds) {
        Run run = new Run(engine, v, seed);
        if (!skip.test(run)) {
          groups.computeIfAbsent(groupKey(v, seed, variants, chain), k -> new ArrayList<>()).add(run);
        }
      }
    }
    return jobs(groups, tier, cost);
  }

  /**
   * The jobs of the full gate: one per engine and variant (the gate judges a variant on all its
   * seeds together), a continued variant with its twin.
   */
  public static List<Job> gate(List<Engine> engines, List<Variant> variants, List<Long> seeds, Tier tier,
      RunCost cost) {
    Map<Object, List<Run>> groups = new LinkedHashMap<>();
    for (Engine e : engines) {
      for (Variant v : variants) {
        for (long seed : seeds) {
          groups.computeIfAbsent(List.of(e, groupKey(v, -1, variants, true)), k -> new ArrayList<>()).add(new Run(e, v, seed));
        }
      }
    }
    return jobs(groups, tier, cost);
  }

  /** The variant whose runs a run of {@code v} goes with: its twin when that is asked too. */
  private static Object groupKey(Variant v, long seed, List<Variant> asked, boolean chain) {
    Variant head = chain ? v.shorterTwin().filter(asked::contains).orElse(v) : v;
    return List.of(head, seed);
  }

  private static List<Job> jobs(Map<Object, List<Run>> groups, Tier tier, RunCost cost) {
    List<Job> out = new ArrayList<>();
    for (List<Run> group : groups.values()) {
      // The twin first, whatever order the variants were asked in.
      List<Run> runs = group.stream().sorted(Comparator.comparingInt((Run r) -> r.variant().ordinal())
          .thenComparingLong(Run::seed)).toList();
      double seconds = 0;
      for (Run r : runs) {
        seconds += cost.seconds(r.variant(), tier.recipe(r.variant()));
        // A continued run trains only the epochs its twin (in this job) did not.
        Optional<Variant> twin = r.variant().shorterTwin().filter(t -> runs.contains(new Run(r.engine(), t, r.seed())));
        if (twin.isPresent()) {
          seconds -= cost.seconds(twin.get(), tier.recipe(twin.get()));
        }
      }
      out.add(new Job(runs, seconds));
    }
    return out;
  }

  /** {@code jobs} without the runs {@code skip} accepts; a job left with none is dropped. */
  public static List<Job> without(List<Job> jobs, Predicate<Run> skip) {
    return jobs.stream().map(j -> new Job(j.runs().stream().filter(skip.negate()).toList(), j.seconds()))
        .filter(j -> !j.runs().isEmpty()).toList();
  }

  /** The runs of {@code jobs}, job by job. */
  public static List<Run> runs(List<Job> jobs) {
    return jobs.stream().flatMap(j -> j.runs().stream()).toList();
  }
}
