package org.fmnistbench.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.fmnistbench.baselines.AccuracyBaselines;
import org.fmnistbench.baselines.AccuracyBaselines.Band;
import org.fmnistbench.baselines.AccuracyRecord;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.data.FashionMnist;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.results.GateResult;
import org.fmnistbench.runtime.NativeRuntime;
import org.fmnistbench.training.RunDirs;
import org.fmnistbench.training.Trainer;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;

/**
 * The accuracy gate's rules, apart from JUnit so that the nightly job can run them too.
 *
 * <ul>
 *   <li>{@code smoke}: one seed trains with the smoke recipe; its test accuracy, test loss and
 *       last-epoch training loss must each lie in the band where one new run of unchanged code is
 *       expected (a prediction interval around this engine's recorded mean, at least 5 seeds, with
 *       the seed-to-seed spread pooled over the engines recorded for the variant; see
 *       {@link Band#forOneNewRun}). Its false-alarm rate is {@link #SMOKE_FALSE_ALARM} for a whole
 *       gate of every variant on every engine, split evenly over its checks. The bands are that wide
 *       because a run on another CPU is in effect a new seed (rounding differs, and a few dozen
 *       steps of training amplify it), not a replay of the recorded one. The losses are checked too:
 *       a breakage such as a wrong dropout rate moves the training loss more than the accuracy.
 *   <li>{@code full}: three seeds train the article's recipe, resumable; the median accuracy
 *       must be within 1 point of the article's, and the mean accuracy within DL4J's own recorded
 *       band (a prediction interval for the mean of the new runs, see {@link #fullBand}) once
 *       there is one.
 * </ul>
 */
public final class AccuracyGate {
  public static final double MIN_ACCURACY_HALF_WIDTH = 0.005;
  public static final double MIN_LOSS_HALF_WIDTH = 0.01;
  public static final double ARTICLE_TOLERANCE = 0.01;
  /** The chance that a whole smoke gate (every variant, every engine) fails on unchanged code. */
  public static final double SMOKE_FALSE_ALARM = 0.01;
  /** The chance that a whole full gate fails on unchanged code by DL4J's recorded bands. */
  public static final double FULL_FALSE_ALARM = 0.01;
  /** What the smoke tier checks per run: test accuracy, test loss, last-epoch training loss. */
  private static final int SMOKE_FIGURES = 3;
  public static final List<Long> FULL_SEEDS = List.of(1L, 2L, 3L);

  private final AccuracyBaselines baselines;
  private final ArticleFigures article;
  private final Engine engine;

  /** A gate on the engine named by the system property {@value Engine#PROPERTY}. */
  public AccuracyGate(Path baselinesDir) {
    this(baselinesDir, Engine.configured());
  }

  public AccuracyGate(Path baselinesDir, Engine engine) {
    this.baselines = AccuracyBaselines.read(baselinesDir);
    this.article = ArticleFigures.read(baselinesDir);
    this.engine = engine;
  }

  /**
   * What the gate found for one variant: empty problems means it passed.
   *
   * @param band the accepted accuracy range, where the tier had a recorded one
   */
  public record Verdict(Variant variant, Engine engine, Tier tier, List<Trainer.RunResult> runs, List<String> problems,
      Optional<Band> band) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  /**
   * The recorded runs the gate compares against, after checking that there are enough of them
   * and that they were recorded with the recipe the code now uses.
   *
   * @throws IllegalStateException naming the command that (re-)records them
   */
  public List<AccuracyRecord> recorded(Variant variant, Tier tier, int minRuns) {
    List<AccuracyRecord> rows = baselines.rows(variant, tier.id(), engine.id());
    String rerecord = "./suite record --tier " + tier.id() + " --variants " + variant.id()
        + " --seeds 1-" + Math.max(minRuns, tier.minSeeds());
    String recipe = tier.recipe(variant).describe();
    List<String> recipes = rows.stream().map(AccuracyRecord::recipe).distinct().toList();
    if (!recipes.isEmpty() && !recipes.equals(List.of(recipe))) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "%s, tier %s: baselines were recorded with recipe %s but the code now uses '%s'; re-record with %s",
          variant, tier.id(), recipes, recipe, rerecord));
    }
    if (rows.size() < minRuns) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "%s, tier %s: %d recorded run(s) in baselines/%s, the gate needs %d; record with %s",
          variant, tier.id(), rows.size(), AccuracyBaselines.FILE, minRuns, rerecord));
    }
    return rows;
  }

  /** The smoke tier for one variant, training {@code seed} (default: the first recorded seed). */
  public Verdict smoke(Variant variant, Optional<Long> seed, FashionMnist data) {
    Tier tier = Tier.SMOKE;
    List<AccuracyRecord> rows = recorded(variant, tier, tier.minSeeds());
    long s = seed.orElseGet(() -> rows.stream().mapToLong(AccuracyRecord::seed).min().orElseThrow());
    String recipe = tier.recipe(variant).describe();
    Collection<List<AccuracyRecord>> engines = baselines.rows(variant, tier.id()).stream()
        .filter(r -> r.recipe().equals(recipe))
        .collect(Collectors.groupingBy(AccuracyRecord::engine, TreeMap::new, Collectors.toList())).values();
    Trainer.RunResult run = new Trainer(variant, tier.recipe(variant), s, engine).run(data, Optional.empty());
    return new Verdict(variant, engine, tier, List.of(run), judgeSmoke(variant, run, rows, engines),
        Optional.of(smokeBand(rows, engines, AccuracyRecord::testAccuracy, MIN_ACCURACY_HALF_WIDTH)));
  }

  /** The false-alarm rate of one smoke check: {@link #SMOKE_FALSE_ALARM} over all of a whole gate's checks. */
  static double smokeCheckAlpha() {
    return checkAlpha(SMOKE_FALSE_ALARM, SMOKE_FIGURES);
  }

  /** A whole gate's false-alarm rate shared by its checks (Bonferroni): every suite variant and engine, {@code figures} each. */
  private static double checkAlpha(double wholeGate, int figures) {
    return wholeGate / (figures * Variant.suite().size() * Engine.values().length);
  }

  /**
   * The smoke tier's judgement of one run against this engine's recorded rows, with the spread
   * pooled over {@code engines} (the variant's rows of every engine, this one's included): one
   * message per figure outside its band (test accuracy, test loss, last-epoch training loss).
   */
  static List<String> judgeSmoke(Variant variant, Trainer.RunResult run, List<AccuracyRecord> rows,
      Collection<List<AccuracyRecord>> engines) {
    String where = String.format(Locale.ROOT, "for %s, tier %s, seed %d", variant, Tier.SMOKE.id(), run.seed());
    List<String> problems = new ArrayList<>();
    check(problems, "accuracy", run.testAccuracy(),
        smokeBand(rows, engines, AccuracyRecord::testAccuracy, MIN_ACCURACY_HALF_WIDTH), where);
    check(problems, "test loss", run.testLoss(),
        smokeBand(rows, engines, AccuracyRecord::testLoss, MIN_LOSS_HALF_WIDTH), where);
    check(problems, "last-epoch training loss", run.finalTrainLoss(),
        smokeBand(rows, engines, AccuracyRecord::trainLoss, MIN_LOSS_HALF_WIDTH), where);
    return problems;
  }

  private static Band smokeBand(List<AccuracyRecord> rows, Collection<List<AccuracyRecord>> engines,
      ToDoubleFunction<AccuracyRecord> figure, double minHalfWidth) {
    return Band.forOneNewRun(values(rows, figure), engines.stream().map(e -> values(e, figure)).toList(), "engines",
        smokeCheckAlpha(), minHalfWidth);
  }

  private static List<Double> values(List<AccuracyRecord> rows, ToDoubleFunction<AccuracyRecord> figure) {
    return rows.stream().map(figure::applyAsDouble).toList();
  }

  /**
   * The full tier's band for the mean accuracy of {@code newRuns} new runs of {@code variant}: a
   * prediction interval around this engine's recorded mean, the seed-to-seed spread pooled over
   * this engine's full-recipe rows of every variant (3 seeds each give 2 degrees of freedom alone;
   * the recorded variants' spreads are alike, 0.1-0.3 points), at {@link #FULL_FALSE_ALARM} for a
   * whole full gate.
   */
  private Band fullBand(List<AccuracyRecord> rows, int newRuns) {
    List<List<Double>> variants = Arrays.stream(Variant.values())
        .map(v -> baselines.rows(v, Tier.FULL.id(), engine.id()).stream()
            .filter(r -> r.recipe().equals(Tier.FULL.recipe(v).describe())).toList())
        .map(r -> values(r, AccuracyRecord::testAccuracy))
        .toList();
    return Band.forMeanOfNewRuns(values(rows, AccuracyRecord::testAccuracy), variants, "variants", newRuns,
        checkAlpha(FULL_FALSE_ALARM, 1), MIN_ACCURACY_HALF_WIDTH);
  }

  private static void check(List<String> problems, String what, double value, Band band, String where) {
    if (!band.contains(value)) {
      problems.add(String.format(Locale.ROOT, "%s %.4f outside %s %s", what, value, band, where));
    }
  }

  /**
   * The full tier for one variant: {@link #FULL_SEEDS}, each resumable from per-epoch
   * checkpoints under {@code runsDir}, so an interrupted gate continues where it stopped (an
   * engine that cannot checkpoint trains each seed in one go).
   */
  public Verdict full(Variant variant, Path runsDir, FashionMnist data) {
    Tier tier = Tier.FULL;
    Recipe recipe = tier.recipe(variant);
    List<Trainer.RunResult> runs = new ArrayList<>();
    for (long seed : FULL_SEEDS) {
      Trainer trainer = new Trainer(variant, recipe, seed, engine);
      runs.add(engine.savesTrainingState()
          ? trainer.run(data, Optional.of(RunDirs.of(runsDir, tier, variant, seed, engine)),
              RunDirs.continuation(runsDir, tier, variant, seed, engine))
          : trainer.run(data, Optional.empty()));
    }
    return judgeFull(variant, runs);
  }

  /**
   * The full tier's judgement of a variant's runs: the median accuracy within
   * {@link #ARTICLE_TOLERANCE} of the article's figure where it gives one, and the mean accuracy
   * inside DL4J's recorded band ({@link #fullBand}) where there is one; with neither, there is
   * nothing to judge by, which fails.
   */
  Verdict judgeFull(Variant variant, List<Trainer.RunResult> runs) {
    Tier tier = Tier.FULL;
    double median = new Median().evaluate(runs.stream().mapToDouble(Trainer.RunResult::testAccuracy).toArray());
    String seeds = runs.stream().map(r -> String.valueOf(r.seed())).collect(Collectors.joining(","));
    List<String> problems = new ArrayList<>();
    Optional<Double> articleAccuracy = article.of(variant).map(ArticleFigures.Row::testAccuracy);
    if (articleAccuracy.isPresent()
        && Math.abs(median - articleAccuracy.get()) > ARTICLE_TOLERANCE) {
      problems.add(String.format(Locale.ROOT,
          "median accuracy %.4f is more than %.1f points from the article's %.4f for %s, tier full, seeds %s",
          median, ARTICLE_TOLERANCE * 100, articleAccuracy.get(), variant, seeds));
    }
    List<AccuracyRecord> rows = baselines.rows(variant, tier.id(), engine.id());
    Optional<Band> recordedBand = Optional.empty();
    if (rows.size() >= tier.minSeeds()) {
      Band band = fullBand(recorded(variant, tier, tier.minSeeds()), runs.size());
      double mean = runs.stream().mapToDouble(Trainer.RunResult::testAccuracy).average().orElseThrow();
      if (!band.contains(mean)) {
        problems.add(String.format(Locale.ROOT, "mean accuracy %.4f outside DL4J's recorded %s for %s, tier full, seeds %s",
            mean, band, variant, seeds));
      }
      recordedBand = Optional.of(band);
    }
    if (articleAccuracy.isEmpty() && recordedBand.isEmpty()) {
      problems.add(String.format(Locale.ROOT,
          "nothing to compare %s with: the article gives no accuracy and baselines/%s has %d of the %d full runs "
              + "a band needs; record them with ./suite record --tier full --variants %s --seeds 1-%d",
          variant, AccuracyBaselines.FILE, rows.size(), tier.minSeeds(), variant.id(), tier.minSeeds()));
    }
    return new Verdict(variant, engine, tier, runs, problems, recordedBand);
  }

  /**
   * Where the full gate keeps its runs under a runs directory: apart from the recordings'
   * ({@code <runs>/full/...}) and per commit and runtime configuration, so that the gate trains
   * anew when the code, DL4J's version (in the pom) or the configuration changed and is never
   * handed the very runs its band was recorded from, while an interrupted gate of the same code
   * still resumes. A dirty work tree shares its commit's directory.
   */
  public static Path fullGateRunsDir(Path runsDir) {
    String code = CommitId.current().abbreviated();
    String config = NativeRuntime.active().id().replaceAll("[^A-Za-z0-9._=-]", "_");
    return runsDir.resolve("gate").resolve(code + "@" + config);
  }

  /**
   * Writes the verdicts as a JSON list, one object per run (variant, tier, seed, test accuracy
   * and loss, last-epoch training loss, passed, problems), via a temporary file and a rename.
   */
  public static void writeResults(List<Verdict> verdicts, Path file) throws IOException {
    List<GateResult> out = new ArrayList<>();
    for (Verdict v : verdicts) {
      for (Trainer.RunResult r : v.runs()) {
        out.add(new GateResult(r.variant(), v.engine().id(), v.tier().id(), r.seed(), r.recipe(), r.testAccuracy(),
            r.testLoss(), r.finalTrainLoss(), r.trainSeconds(), v.band().map(Band::low).orElse(null),
            v.band().map(Band::high).orElse(null), v.passed(), v.problems()));
      }
    }
    GateResult.write(out, file);
  }


  /** True when the article gives a test accuracy for this variant. */
  public boolean articleHasFigure(Variant variant) {
    return article.of(variant).map(ArticleFigures.Row::testAccuracy).isPresent();
  }
}
