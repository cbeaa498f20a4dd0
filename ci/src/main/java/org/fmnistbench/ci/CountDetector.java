package org.fmnistbench.ci;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fmnistbench.results.CountComparison;
import org.fmnistbench.results.CountLimit;
import org.fmnistbench.results.CountResults;

/**
 * Judges a night's counts: each point against the previous build counted the same night on the
 * same machine when there is one, else against the newest earlier count of the same point, CPU
 * model and JIT setting in the history; either counted under the same runtime (a point's counting
 * runtime may change: results/CountingRuntime), else the point is new. A count that moved by more than
 * {@code max(minEffect, spreads x its A/A spread)} is called (more: regression; fewer:
 * improvement), with the functions whose own instructions moved most. The A/A spread is the
 * point's from COUNTS.md's runs, or the largest of any point where the point has none.
 */
public final class CountDetector {
  /** Smallest relative change called, and how many A/A standard deviations a change must exceed. */
  public record Thresholds(double minEffect, double spreads) {
    public static final Thresholds DEFAULT = new Thresholds(CountLimit.MIN_EFFECT, CountLimit.SPREADS);

    /** Refuses limits that would call every count a change (a negative effect, no spreads) or none (infinite, NaN). */
    public Thresholds {
      if (!(minEffect >= 0 && minEffect < 1) || !(spreads > 0 && Double.isFinite(spreads))) {
        throw new IllegalArgumentException("count thresholds need 0 <= --min-effect < 1 and a finite --spreads > 0; got "
            + "--min-effect " + minEffect + ", --spreads " + spreads);
      }
    }
  }

  /** CHANGE_POINT: the point's level moved over recent nights ({@link #changePoints}); its sign says which way. */
  public enum Verdict { REGRESSION, IMPROVEMENT, UNCHANGED, NEW, FAILED, CHANGE_POINT }

  /**
   * What was said of one point.
   *
   * @param key the point
   * @param verdict the call
   * @param baseline instructions per operation compared against (NaN for NEW and FAILED)
   * @param tonight tonight's instructions per operation (NaN when it failed)
   * @param change relative change
   * @param threshold the relative change it had to exceed
   * @param basis what it was compared with: "previous build <commit>" or "history <entry>"
   * @param functions the functions that moved most, one line each
   * @param message the finding in one sentence
   */
  public record Finding(@JsonProperty("key") String key, @JsonProperty("verdict") Verdict verdict,
      @JsonProperty("baseline") double baseline, @JsonProperty("tonight") double tonight,
      @JsonProperty("change") double change, @JsonProperty("threshold") double threshold,
      @JsonProperty("basis") String basis, @JsonProperty("functions") List<String> functions,
      @JsonProperty("message") String message) {}

  private final CountLimit limit;

  /**
   * @param thresholds the limits
   * @param aaRuns the A/A counting runs (COUNTS.md's data) that set each point's spread
   * @param jit the JIT setting judged (spreads are taken from runs of the same setting)
   */
  public CountDetector(Thresholds thresholds, List<CountResults> aaRuns, String jit) {
    this.limit = new CountLimit(thresholds.minEffect(), thresholds.spreads(), aaRuns, jit);
  }

  /** The relative change a point's count must exceed to be called. */
  public double threshold(String key) {
    return limit.limit(key);
  }

  /**
   * Judges {@code tonight}.
   *
   * @param earlier the history's entries of the same CPU model and JIT setting, oldest first
   * @param previousBuild the previous build counted tonight on this machine, if it was
   */
  public List<Finding> judge(CountResults tonight, List<CountHistory.Entry> earlier, Optional<CountResults> previousBuild)
      throws IOException {
    // read newest first, each entry once, and only as far back as some point needs
    Map<Integer, CountResults> past = new HashMap<>();
    List<Finding> out = new ArrayList<>();
    String platform = tonight.setting().platform();
    for (CountResults.Point p : tonight.points()) {
      if (!p.ok()) {
        out.add(new Finding(p.key(), Verdict.FAILED, Double.NaN, Double.NaN, Double.NaN, threshold(p.key()), "",
            List.of(), p.key() + ": not counted tonight (" + p.failure() + ")"));
        continue;
      }
      // a baseline counted under another runtime (the point's counting runtime changed since) is no baseline
      Optional<CountResults.Point> base = previousBuild.flatMap(r -> r.point(p.key())).filter(CountResults.Point::ok)
          .filter(p::comparableWith);
      String basis = base.isPresent() ? "previous build " + previousBuild.get().setting().commit() : "";
      Optional<String> otherPlatform = Optional.empty();
      for (int i = earlier.size() - 1; base.isEmpty() && i >= 0; i--) {
        CountHistory.Entry e = earlier.get(i);
        if (!past.containsKey(i)) {
          past.put(i, e.counts());
        }
        Optional<CountResults.Point> q = past.get(i).point(p.key()).filter(CountResults.Point::ok).filter(p::comparableWith);
        // a count on another JDK or C library is no baseline: their update would be blamed on the build
        if (q.isPresent() && !past.get(i).setting().platform().equals(platform)) {
          if (otherPlatform.isEmpty()) {
            otherPlatform = Optional.of(past.get(i).setting().platform());
          }
          continue;
        }
        base = q;
        basis = "history " + e.id();
      }
      String firstOf = otherPlatform.map(o -> ": first count on this platform (" + tonight.setting().platformOrNotRecorded()
          + "); the history's are on " + (o.isEmpty() ? "one not recorded" : o) + ", and a JDK or C library update moves counts")
          .orElse(": first count on this CPU model and JIT setting");
      out.add(base.isPresent() ? compare(base.get(), p, basis)
          : new Finding(p.key(), Verdict.NEW, Double.NaN, p.perOp(CountResults.INSTRUCTIONS), Double.NaN,
              threshold(p.key()), "", List.of(), p.key() + firstOf
                  + (p.runtimeOverrides().isEmpty() ? "" : " under runtime overrides " + p.runtimeOverrides())));
    }
    return out;
  }

  Finding compare(CountResults.Point base, CountResults.Point now, String basis) {
    CountLimit.Judgement j = limit.judge(base, now);
    CountComparison c = j.comparison();
    double change = c.relativeChange();
    Verdict v = !j.called() ? Verdict.UNCHANGED : change > 0 ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
    List<String> functions = v == Verdict.UNCHANGED ? List.of() : c.topFunctions(5);
    String message = String.format(Locale.ROOT, "%s: %s instructions/op%s against %s (%s): %+.2f %% (limit %.2f %%)%s",
        now.key(), millions(c.candidate()), j.basis() == CountLimit.Basis.ALL ? ""
            : " on " + j.basis().description() + " (all of this point's are not repeatable; COUNTS.md)",
        millions(c.baseline()), basis, 100 * change, 100 * j.limit(),
        functions.isEmpty() ? "" : "; most moved: " + String.join("; ", functions));
    return new Finding(now.key(), v, c.baseline(), c.candidate(), change, j.limit(), basis, functions, message);
  }

  /**
   * The change points of each point's history (the nights of {@code earlier} and tonight): a
   * level that moved within the last nights by at least the point's limit, found by E-divisive
   * over the history's shape, so that a count creeping up by less than the limit each night is
   * still caught. A change already flagged at a night at the new level (by {@link #judge} or as
   * a change point) is not news, and is left out.
   *
   * @param tonightId tonight's entry id in the history
   * @param tonightFindings what {@link #judge} said of tonight (a flag there makes the change known)
   */
  public List<Finding> changePoints(CountResults tonight, String tonightId, List<CountHistory.Entry> earlier,
      List<Finding> tonightFindings,
      ChangePointDetector detector) throws IOException {
    int from = Math.max(0, earlier.size() - detector.thresholds().window() + 1);
    List<CountResults> nights = new ArrayList<>();
    List<List<Finding>> said = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (CountHistory.Entry e : earlier.subList(from, earlier.size())) {
      CountResults night = e.counts();
      if (!night.setting().platform().equals(tonight.setting().platform())) {
        continue; // another JDK or C library: a level it moved to is not the build's
      }
      nights.add(night);
      said.add(e.findingsList());
      ids.add(e.id());
    }
    nights.add(tonight);
    said.add(tonightFindings);
    ids.add(tonightId);
    List<Finding> out = new ArrayList<>();
    for (CountResults.Point p : tonight.points()) {
      List<String> runs = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      List<Boolean> flagged = new ArrayList<>();
      for (int i = 0; i < nights.size(); i++) {
        Optional<CountResults.Point> q = nights.get(i).point(p.key()).filter(CountResults.Point::ok)
            .filter(p::comparableWith);
        if (q.isPresent()) {
          runs.add(ids.get(i));
          values.add(limit.basis(p.key()).of(q.get())); // on the point's basis, as its limit is
          flagged.add(said.get(i).stream().anyMatch(f -> f.key().equals(p.key()) && (f.verdict() == Verdict.REGRESSION
              || f.verdict() == Verdict.IMPROVEMENT || f.verdict() == Verdict.CHANGE_POINT)));
        }
      }
      detector.judgeNew(p.key(), runs, values, flagged, threshold(p.key())).ifPresent(c -> out.add(new Finding(p.key(),
          Verdict.CHANGE_POINT, c.before(), c.after(), c.change(), c.limit(), "change point since " + c.since(), List.of(),
          c.describe("instructions/op"))));
    }
    return out;
  }

  private static String millions(double v) {
    return String.format(Locale.ROOT, "%.3f M", v / 1e6);
  }
}
