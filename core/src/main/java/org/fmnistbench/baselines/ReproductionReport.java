package org.fmnistbench.baselines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;

/**
 * The reproduction report: the article's figures beside DL4J's recorded full-recipe runs, and
 * whether the article's conclusions hold in DL4J. Generated from {@code baselines/} only (by
 * {@code ./suite report}); every DL4J figure is a median or range over the runs it lists at the
 * end, each a row of {@code accuracy.csv} with its provenance.
 *
 * <p>Each conclusion is judged as the article states it, under a rule that can come out against
 * it (a permutation test for a claimed change, equivalence bounds against {@link #MARGIN} for a
 * claimed absence of one; {@link SeedComparison}); with fewer than {@link Tier#minSeeds()} seeds a
 * verdict is marked preliminary. Another framework's runs ({@link ReferenceRuns}) are judged by
 * the same rules in a column of their own, never in DL4J's verdicts.
 */
public final class ReproductionReport {
  /** Where the committed report lives, relative to the repository root. */
  public static final String PATH = "models/reports/REPRODUCTION.md";
  private static final String TIER = Tier.FULL.id();

  private final ArticleFigures article;
  private final AccuracyBaselines accuracy;
  private final EpochBaselines epochs;
  private final ReferenceRuns reference;
  private final String engine;

  public ReproductionReport(ArticleFigures article, AccuracyBaselines accuracy, EpochBaselines epochs, ReferenceRuns reference,
      String engine) {
    this.article = article;
    this.accuracy = accuracy;
    this.epochs = epochs;
    this.reference = reference;
    this.engine = engine;
  }

  /** The report over the files of a {@code baselines/} directory, for one engine's runs. */
  public static ReproductionReport of(Path baselinesDir, String engine) {
    return new ReproductionReport(ArticleFigures.read(baselinesDir), AccuracyBaselines.read(baselinesDir),
        EpochBaselines.read(baselinesDir), ReferenceRuns.read(baselinesDir), engine);
  }

  /** The recorded full-recipe runs of one variant, with their epochs. */
  record Runs(Variant variant, List<AccuracyRecord> rows, List<List<EpochRecord>> epochs) {
    int n() {
      return rows.size();
    }

    double[] testAccuracy() {
      return rows.stream().mapToDouble(AccuracyRecord::testAccuracy).toArray();
    }

    double[] testLoss() {
      return rows.stream().mapToDouble(AccuracyRecord::testLoss).toArray();
    }

    /** Last-epoch values of an epoch figure, for the runs that have epoch rows. */
    double[] lastEpoch(ToDoubleFunction<EpochRecord> figure) {
      return epochs.stream().filter(e -> !e.isEmpty()).mapToDouble(e -> figure.applyAsDouble(e.get(e.size() - 1))).toArray();
    }

    /** Train accuracy minus test accuracy at the last epoch, per run with epoch rows. */
    double[] generalisationGap() {
      List<Double> gaps = new ArrayList<>();
      for (List<EpochRecord> e : epochs) {
        if (!e.isEmpty()) {
          EpochRecord last = e.get(e.size() - 1);
          gaps.add(last.trainAccuracy() - last.testAccuracy());
        }
      }
      return gaps.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  /**
   * A variant's runs of the full recipe: the full tier's, and any other tier's whose recipe is the
   * full one (the MLP's smoke tier trains it in full, being cheap), one run per seed, the full
   * tier's where both have a seed (the same seed and recipe give the same run).
   */
  Runs runs(Variant v) {
    String full = Tier.FULL.recipe(v).describe();
    Map<Long, AccuracyRecord> bySeed = new TreeMap<>();
    for (Tier t : Tier.values()) {
      for (AccuracyRecord r : accuracy.rows(v, t.id(), engine)) {
        if (r.recipe().equals(full) && (t == Tier.FULL || !bySeed.containsKey(r.seed()))) {
          bySeed.put(r.seed(), r);
        }
      }
    }
    List<AccuracyRecord> rows = List.copyOf(bySeed.values());
    return new Runs(v, rows, rows.stream().map(epochs::of).toList());
  }

  /** What the article concludes from one step to the next, and how to test it on runs. */
  enum Kind {
    /** {@code after} has a higher test accuracy than {@code before}. */
    IMPROVES,
    /** {@code after}'s test accuracy is not higher than {@code before}'s. */
    DOES_NOT_IMPROVE,
    /** {@code after}'s test accuracy is lower. */
    WORSENS,
    /** The test accuracies hardly differ. */
    SIMILAR,
    /** {@code after} overfits more: a wider train-test accuracy gap and a higher test loss. */
    OVERFITS_MORE
  }

  /** One of the article's conclusions. */
  record Claim(String statement, Variant before, Variant after, Kind kind) {}

  /** The article's conclusions, in its order. */
  static final List<Claim> CLAIMS = List.of(
      new Claim("A CNN (Keras's mnist_cnn) beats the MLP", Variant.MLP, Variant.CNN, Kind.IMPROVES),
      new Claim("More convolutions help: a third, 128-filter convolution", Variant.CNN, Variant.CNN3, Kind.IMPROVES),
      new Claim("... but only up to 128 filters: with a fourth, 256-filter convolution the accuracy dropped",
          Variant.CNN3, Variant.CNN4, Kind.WORSENS),
      new Claim("Dropout guards against overfitting: without it the model overfits",
          Variant.CNN3, Variant.CNN3_NODROPOUT, Kind.OVERFITS_MORE),
      // The article's one sentence on other rates, split into what it claims (see Variant's rate variants).
      new Claim("Other dropout rates: lower rates overfit more", Variant.CNN3, Variant.CNN3_DROPOUT_LOWER,
          Kind.OVERFITS_MORE),
      new Claim("... higher rates lower the accuracy", Variant.CNN3, Variant.CNN3_DROPOUT_HIGHER, Kind.WORSENS),
      new Claim("... so the sample's rates suit Fashion-MNIST: lower rates do not beat them", Variant.CNN3,
          Variant.CNN3_DROPOUT_LOWER, Kind.DOES_NOT_IMPROVE),
      new Claim("... nor do higher rates", Variant.CNN3, Variant.CNN3_DROPOUT_HIGHER, Kind.DOES_NOT_IMPROVE),
      new Claim("Zero padding helps a little", Variant.CNN3, Variant.CNN3_PAD, Kind.IMPROVES),
      new Claim("A second Dense(128) layer does not help", Variant.CNN3_PAD, Variant.CNN3_PAD_DENSE2,
          Kind.DOES_NOT_IMPROVE),
      new Claim("Horizontal-flip augmentation helps", Variant.CNN3_PAD, Variant.CNN3_PAD_FLIP, Kind.IMPROVES),
      new Claim("10 epochs instead of 5 do not improve the test accuracy", Variant.CNN3_PAD_FLIP,
          Variant.CNN3_PAD_FLIP_10EP, Kind.DOES_NOT_IMPROVE),
      new Claim("... they only overfit", Variant.CNN3_PAD_FLIP, Variant.CNN3_PAD_FLIP_10EP, Kind.OVERFITS_MORE),
      // avgpool is cnn3 with AveragePooling2D (the article does not say which model it changed):
      // compared with cnn3, the one difference is the pooling.
      new Claim("Average pooling instead of max pooling: accuracy hardly changes", Variant.CNN3, Variant.AVGPOOL,
          Kind.SIMILAR),
      new Claim("An extra max pooling in cnn4 lowers the accuracy further", Variant.CNN4, Variant.CNN4_MAXPOOL,
          Kind.WORSENS));

  /** Half a point: the margin inside which "does not help" and "hardly changes" are judged (equivalence). */
  static final double MARGIN = 0.005;

  /**
   * The verdict on one claim: holds, does not hold, cannot tell, or not recorded yet.
   *
   * @param leansAgainst for "cannot tell": the estimate lies on the side the claim denies
   * @param seeds for "cannot tell": how many seeds a variant would need for a verdict, in words; empty otherwise
   */
  record Verdict(String outcome, String evidence, boolean disagrees, boolean leansAgainst, String seeds) {}

  /** One side of a comparison: its test accuracies, test losses and last-epoch train-test gaps (empty where unknown). */
  record Side(String id, double[] accuracy, double[] loss, double[] gap) {}

  private Side side(Runs r) {
    return new Side(r.variant().id(), r.testAccuracy(), r.testLoss(), r.generalisationGap());
  }

  private Side referenceSide(Variant v) {
    return new Side(v.id(), reference.testAccuracy(v), reference.testLoss(v), new double[0]);
  }

  Verdict judge(Claim c) {
    Runs before = runs(c.before());
    Runs after = runs(c.after());
    return judge(c, side(before), side(after), Tier.FULL.minSeeds());
  }

  /** The same claim on the reference framework's runs; "not recorded" where it has none. */
  Verdict judgeReference(Claim c) {
    return judge(c, referenceSide(c.before()), referenceSide(c.after()), Tier.FULL.minSeeds());
  }

  static Verdict judge(Claim c, Side before, Side after, int minSeeds) {
    List<String> missing = new ArrayList<>();
    if (before.accuracy().length == 0) {
      missing.add(before.id());
    }
    if (after.accuracy().length == 0) {
      missing.add(after.id());
    }
    if (!missing.isEmpty()) {
      return new Verdict("not recorded yet", "no full-recipe runs of " + String.join(", ", missing), false, false, "");
    }
    SeedComparison acc = new SeedComparison(before.accuracy(), after.accuracy());
    double d = acc.difference();
    String evidence = String.format(Locale.ROOT, "test accuracy %s %s -> %s %s; difference of means %+.2f points",
        before.id(), spread(before.accuracy()), after.id(), spread(after.accuracy()), points(d));
    String outcome;
    boolean leans;
    String seeds = "";
    switch (c.kind()) {
      case IMPROVES, WORSENS -> {
        boolean up = c.kind() == Kind.IMPROVES;
        double pClaim = acc.permutationP(up);
        double pAgainst = acc.permutationP(!up);
        evidence += String.format(Locale.ROOT, " (permutation p = %.3f for %s)", pClaim, up ? "higher" : "lower");
        outcome = pClaim <= SeedComparison.ALPHA ? "holds" : pAgainst <= SeedComparison.ALPHA ? "does not hold" : "cannot tell";
        leans = up ? d <= 0 : d >= 0;
        if (outcome.equals("cannot tell")) {
          seeds = leans ? "none: the estimate is against the claim" : seedsText(acc.seedsFor(Math.abs(d)));
        }
      }
      case DOES_NOT_IMPROVE -> {
        if (!acc.hasSpread()) {
          return preliminary(new Verdict("cannot tell", evidence + "; one seed gives no spread", false, false,
              "at least 2 a variant"), before, after, minSeeds);
        }
        evidence += String.format(Locale.ROOT, "; one-sided 95 %% upper bound %+.2f against the margin of %+.2f (Welch)",
            points(acc.upper()), points(MARGIN));
        outcome = acc.upper() < MARGIN ? "holds" : acc.lower() > MARGIN ? "does not hold" : "cannot tell";
        leans = d > MARGIN;
        if (outcome.equals("cannot tell")) {
          seeds = d < MARGIN ? seedsText(acc.seedsFor(MARGIN - d)) : "none: the estimate is beyond the margin";
        }
      }
      case SIMILAR -> {
        if (!acc.hasSpread()) {
          return preliminary(new Verdict("cannot tell", evidence + "; one seed gives no spread", false, false,
              "at least 2 a variant"), before, after, minSeeds);
        }
        evidence += String.format(Locale.ROOT, "; 90 %% interval [%+.2f, %+.2f] against the margin of ±%.2f (Welch, two "
            + "one-sided tests)", points(acc.lower()), points(acc.upper()), points(MARGIN));
        outcome = acc.lower() > -MARGIN && acc.upper() < MARGIN ? "holds"
            : acc.lower() > MARGIN || acc.upper() < -MARGIN ? "does not hold" : "cannot tell";
        leans = Math.abs(d) > MARGIN;
        if (outcome.equals("cannot tell")) {
          seeds = Math.abs(d) < MARGIN ? seedsText(acc.seedsFor(MARGIN - Math.abs(d))) : "none: the estimate is beyond the margin";
        }
      }
      case OVERFITS_MORE -> {
        SeedComparison loss = new SeedComparison(before.loss(), after.loss());
        double pHigher = loss.permutationP(true);
        evidence = String.format(Locale.ROOT, "test loss %s %s -> %s %s (permutation p = %.3f for higher)", before.id(),
            lossSpread(before.loss()), after.id(), lossSpread(after.loss()), pHigher);
        boolean wider = true;
        if (before.gap().length > 0 && after.gap().length > 0) {
          wider = median(after.gap()) > median(before.gap());
          evidence += String.format(Locale.ROOT, "; train-test accuracy gap (last epoch) %s %+.2f -> %s %+.2f points",
              before.id(), points(median(before.gap())), after.id(), points(median(after.gap())));
        } else {
          evidence += "; no train accuracy recorded, so the gap is not judged";
        }
        outcome = pHigher <= SeedComparison.ALPHA && wider ? "holds"
            : loss.permutationP(false) <= SeedComparison.ALPHA ? "does not hold" : "cannot tell";
        leans = loss.difference() <= 0 || !wider;
        if (outcome.equals("cannot tell")) {
          seeds = leans ? "none: the estimate is against the claim" : seedsText(loss.seedsFor(loss.difference()));
        }
      }
      default -> throw new IllegalStateException(c.kind().toString());
    }
    return preliminary(new Verdict(outcome, evidence, outcome.equals("does not hold"),
        outcome.equals("cannot tell") && leans, seeds), before, after, minSeeds);
  }

  private static Verdict preliminary(Verdict v, Side before, Side after, int minSeeds) {
    int fewest = Math.min(before.accuracy().length, after.accuracy().length);
    if (fewest >= minSeeds) {
      return v;
    }
    return new Verdict(v.outcome() + String.format(Locale.ROOT, " (preliminary: %d seed%s)", fewest, fewest == 1 ? "" : "s"),
        v.evidence(), v.disagrees(), v.leansAgainst(), v.seeds());
  }

  private static String seedsText(int n) {
    return n == 0 ? "" : "about " + n + " a variant";
  }

  /** The report as markdown. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Reproducing the article with DL4J: the full recipe\n\n");
    md.append("Generated by `./suite report` from `baselines/article.csv`, `baselines/accuracy.csv` and\n")
        .append("`baselines/epochs.csv`; do not edit (a test fails when it differs from what the baselines give).\n")
        .append(String.format(Locale.ROOT, "Engine `%s`, tier `%s`: the article's recipe (5 epochs, or 10 for\n", engine, TIER))
        .append("`cnn3-pad-flip-10ep`; all 60,000 training images, 120,000 with the flips; batch 32; Adam 1e-3;\n")
        .append("evaluated on the 10,000 test images). Every DL4J figure is a median or a range (min-max) over\n")
        .append("the recorded runs listed at the end, each a row of `baselines/accuracy.csv` with its commit,\n")
        .append("DL4J version, backend, machine and date. Accuracies are in percent; \"points\" are percentage points.\n")
        .append("PyTorch's runs of the same recipe (`baselines/pytorch-reference.csv`, one NVIDIA H200) are an external\n")
        .append("reference from elsewhere, shown beside DL4J's and never counted in its verdicts.\n\n");
    StringBuilder body = new StringBuilder();
    body.append("## Test accuracy\n\n");
    body.append("| step | variant | article | DL4J median | DL4J range | seeds | DL4J - article (points) | within 1 point "
        + "| PyTorch (external) | the article's figure |\n");
    body.append("|---|---|---:|---:|---|---:|---:|---|---|---|\n");
    List<String> outside = new ArrayList<>();
    List<String> unrecorded = new ArrayList<>();
    for (Variant v : Variant.values()) {
      Runs r = runs(v);
      Optional<ArticleFigures.Row> a = article.of(v);
      Optional<Double> articleAcc = a.map(ArticleFigures.Row::testAccuracy);
      String step = a.map(ArticleFigures.Row::step).map(String::valueOf).orElse("");
      double[] ref = reference.testAccuracy(v);
      String refCell = ref.length == 0 ? "not run" : spread(ref) + " (" + ref.length + ")";
      if (r.n() == 0) {
        unrecorded.add(v.id());
        body.append(String.format(Locale.ROOT, "| %s | %s | %s | not recorded yet | | 0 | | | %s | |\n", step, v.id(),
            articleAcc.map(ReproductionReport::pct).orElse("no figure"), refCell));
        continue;
      }
      double median = median(r.testAccuracy());
      String diff = articleAcc.map(x -> String.format(Locale.ROOT, "%+.2f", points(median - x))).orElse("");
      String within = articleAcc.map(x -> Math.abs(median - x) <= 0.01 ? "yes" : "**no**").orElse("");
      if (articleAcc.isPresent() && Math.abs(median - articleAcc.get()) > 0.01) {
        outside.add(String.format(Locale.ROOT, "`%s` (%s points)", v.id(), diff));
      }
      body.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %s | %s | %s | %s |\n", step, v.id(),
          articleAcc.map(ReproductionReport::pct).orElse("no figure"), pct(median), range(r.testAccuracy()),
          r.n(), diff, within, refCell, articleAcc.map(x -> whereTheArticleStands(x, r.testAccuracy(), ref)).orElse("")));
    }
    body.append("\n\"The article's figure\" places it against the two frameworks' ranges over seeds: inside both, inside ")
        .append("one, between them, or above (below) both, where the article stands alone.\n");

    Map<String, String> configs = configurationLetters();
    body.append("\n## Last epoch, as Keras printed it\n\n");
    body.append("Training accuracy is Keras's progress-bar figure: each example scored in its own training step,\n")
        .append("dropout active. Time per sample is the epoch's wall time over its samples (Keras's \"us/step\"),\n")
        .append("for orientation only: the article's ran on a Tesla K80 (the MLP on a Raspberry Pi), DL4J's on the\n")
        .append("CPU named with each run, possibly beside other work; the suite's JMH benchmarks measure speed. DL4J's\n")
        .append("times are given per runtime configuration (the letters of the legend below), never mixed.\n\n");
    body.append(legend(configs));
    body.append("| variant | train acc: article | DL4J | test loss: article | DL4J | us/sample: article | DL4J, by configuration |\n");
    body.append("|---|---:|---:|---:|---:|---:|---|\n");
    for (Variant v : Variant.values()) {
      Runs r = runs(v);
      if (r.n() == 0) {
        continue;
      }
      Optional<ArticleFigures.Row> a = article.of(v);
      double[] trainAcc = r.lastEpoch(EpochRecord::trainAccuracy);
      double[] us = r.lastEpoch(EpochRecord::trainUsPerSample);
      body.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |\n", v.id(),
          a.map(ArticleFigures.Row::trainAccuracy).map(ReproductionReport::pct).orElse(""),
          trainAcc.length == 0 ? "no epoch rows" : pct(median(trainAcc)),
          a.map(ArticleFigures.Row::testLoss).map(x -> String.format(Locale.ROOT, "%.4f", x)).orElse(""),
          String.format(Locale.ROOT, "%.4f", median(r.testLoss())),
          a.map(ArticleFigures.Row::trainUsPerSample).map(x -> String.format(Locale.ROOT, "%.0f", x)).orElse(""),
          us.length == 0 ? "" : usByConfiguration(r, configs)));
    }

    body.append("\n## The article's conclusions in DL4J\n\n");
    body.append(String.format(Locale.ROOT, "Each conclusion is judged as the article states it, on the seeds' test accuracies, "
        + "under rules that can come out against it:%n%n"
        + "- a claimed change (helps, lowers) holds when an exact permutation test on the difference of means (every split "
        + "of the pooled seeds) finds it at one-sided 5 %% in the claimed direction, and does not hold when it finds the "
        + "opposite; with 3 seeds a side that means the ranges apart;%n"
        + "- \"does not help\" holds when the one-sided 95 %% upper bound of the difference (Welch) lies below a margin of "
        + "%.1f points, and does not hold when the lower bound lies above it;%n"
        + "- \"hardly changes\" holds when the 90 %% interval lies within ±%.1f points (two one-sided tests), and does not "
        + "hold when it lies wholly outside;%n"
        + "- \"overfits more\" holds on a higher test loss (the permutation test) with a wider train-test gap;%n"
        + "- anything else is \"cannot tell\", with the seeds a variant would need for a verdict at the observed "
        + "spread and difference (a one-sided test at 5 %% seeing it 4 times in 5), or why no number would do.%n%n"
        + "Figures: median [min-max]. The configurations are the legend's letters with each side's CPU; a pair whose "
        + "sides ran under different configurations is flagged. The last column judges the same claim, by the same rules, "
        + "on PyTorch's runs (an external reference).%n%n", points(MARGIN), points(MARGIN)));
    body.append("| conclusion | from -> to | in DL4J | evidence | seeds for a verdict | configurations | on PyTorch's runs "
        + "(external) |\n|---|---|---|---|---|---|---|\n");
    List<String> contradicted = new ArrayList<>();
    int[] tally = new int[5]; // holds, cannot tell, of which leaning against, does not hold, not recorded
    for (Claim c : CLAIMS) {
      Verdict verdict = judge(c);
      if (verdict.disagrees()) {
        contradicted.add(c.statement());
      }
      String o = verdict.outcome();
      tally[o.startsWith("holds") ? 0 : o.startsWith("cannot tell") ? 1 : o.startsWith("does not hold") ? 3 : 4]++;
      tally[2] += verdict.leansAgainst() ? 1 : 0;
      String shown = verdict.disagrees() ? "**" + o + "**" : verdict.leansAgainst() ? o + ", leans against" : o;
      Verdict ref = judgeReference(c);
      body.append(String.format(Locale.ROOT, "| %s | %s -> %s | %s | %s | %s | %s | %s |\n", c.statement(), c.before().id(),
          c.after().id(), shown, verdict.evidence(), verdict.seeds(), sides(c, configs),
          ref.outcome() + (ref.leansAgainst() ? ", leans against" : "")));
    }

    body.append("\n## Where DL4J disagrees with the article\n\n");
    if (unrecorded.size() == Variant.values().length) {
      body.append("Nothing is recorded yet.\n");
    } else if (outside.isEmpty() && contradicted.isEmpty()) {
      body.append("Nowhere among the recorded variants: every recorded median is within 1 point of the article's\n")
          .append("figure, and no conclusion is contradicted; \"cannot tell\" above is not agreement.\n");
    } else {
      if (!outside.isEmpty()) {
        body.append("- Test accuracy more than 1 point from the article's: ").append(String.join(", ", outside)).append(".\n");
      }
      for (String c : contradicted) {
        body.append("- Contradicted: ").append(c).append(".\n");
      }
    }
    if (!unrecorded.isEmpty()) {
      body.append("\nNot recorded yet: ").append(unrecorded.stream().map(id -> "`" + id + "`").collect(Collectors.joining(", ")))
          .append(". Record (resumable) with `./suite record --tier full --variants <ids> --seeds 1-3`, then\n")
          .append("`./suite report`.\n");
    }
    md.append(summary(tally, outside, contradicted)).append(body);

    md.append("\n## Per epoch (medians over seeds)\n");
    for (Variant v : Variant.values()) {
      Runs r = runs(v);
      List<List<EpochRecord>> withEpochs = r.epochs().stream().filter(e -> !e.isEmpty()).toList();
      if (withEpochs.isEmpty()) {
        continue;
      }
      md.append(String.format(Locale.ROOT, "\n### %s (%d seed%s)\n\n", v.id(), withEpochs.size(),
          withEpochs.size() == 1 ? "" : "s"));
      md.append("| epoch | train loss | train acc | test loss | test acc | s | us/sample |\n")
          .append("|---:|---:|---:|---:|---:|---:|---:|\n");
      int epochsN = withEpochs.stream().mapToInt(List::size).max().orElse(0);
      for (int k = 1; k <= epochsN; k++) {
        final int epoch = k;
        List<EpochRecord> at = withEpochs.stream().flatMap(List::stream).filter(e -> e.epoch() == epoch).toList();
        md.append(String.format(Locale.ROOT, "| %d | %.4f | %s | %.4f | %s | %.0f | %.0f |\n", epoch,
            median(at, EpochRecord::trainLoss), pct(median(at, EpochRecord::trainAccuracy)),
            median(at, EpochRecord::testLoss), pct(median(at, EpochRecord::testAccuracy)),
            median(at, EpochRecord::epochSeconds), median(at, EpochRecord::trainUsPerSample)));
      }
    }

    md.append("\n## Recorded runs\n\n");
    md.append("\"Recorded as\" is the tier a run was recorded under: a tier other than `full` whose recipe is the full one ")
        .append("(the MLP's smoke tier) counts as a full-recipe run.\n\n");
    md.append("| variant | seed | recorded as | test acc | test loss | train s | commit | recorded at | backend | machine "
        + "| others' CPU | started from |\n");
    md.append("|---|---:|---|---:|---:|---:|---|---|---|---|---:|---|\n");
    for (Variant v : Variant.values()) {
      for (AccuracyRecord row : runs(v).rows()) {
        String startedFrom = row.startedFrom() == null || row.startedFrom().isBlank() ? "scratch" : row.startedFrom();
        String others = row.othersBusy() == null ? "not measured" : String.format(Locale.ROOT, "%.0f %%", 100 * row.othersBusy());
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.4f | %.0f | %s | %s | %s | %s | %s | %s |\n", row.variant(),
            row.seed(), row.tier(), pct(row.testAccuracy()), row.testLoss(), row.trainSeconds(), shortCommit(row.commit()),
            row.recordedAt(), row.backend(), row.machine(), others, startedFrom));
      }
    }
    return md.toString();
  }

  /** The summary the report opens with: the verdicts counted, the accuracies, and what they mean for a DL4J user. */
  private static String summary(int[] tally, List<String> outside, List<String> contradicted) {
    StringBuilder md = new StringBuilder("## Summary\n\n");
    md.append(String.format(Locale.ROOT, "Of the article's %d conclusions, DL4J's runs reproduce %d, contradict %d and cannot "
        + "tell %d apart from seed-to-seed spread (%d of those leaning against the article); %d %s not recorded yet. ",
        CLAIMS.size(), tally[0], tally[3], tally[1], tally[2], tally[4], tally[4] == 1 ? "is" : "are"));
    md.append(outside.isEmpty() ? "Every recorded variant's median test accuracy is within 1 point of the article's. "
        : "Medians more than 1 point from the article's: " + String.join(", ", outside) + ". ");
    if (contradicted.isEmpty() && outside.isEmpty()) {
      md.append("For a DL4J user: DL4J trains these models to the article's accuracies and contradicts none of its "
          + "conclusions, but the conclusions it cannot tell are differences too small for these seeds to separate from "
          + "the spread between seeds, in DL4J as in the article's single runs; the table below says how many seeds each "
          + "would need.\n\n");
    } else {
      md.append("For a DL4J user: where a conclusion is contradicted or an accuracy is off, DL4J does not reproduce the "
          + "article, and the sections below say where.\n\n");
    }
    return md.toString();
  }

  /** The runtime configurations of the recorded runs (their backends), lettered A, B, ... in registry order. */
  private Map<String, String> configurationLetters() {
    Map<String, String> letters = new LinkedHashMap<>();
    for (Variant v : Variant.values()) {
      for (AccuracyRecord row : runs(v).rows()) {
        letters.computeIfAbsent(row.backend(), b -> String.valueOf((char) ('A' + letters.size())));
      }
    }
    return letters;
  }

  private static String legend(Map<String, String> letters) {
    if (letters.isEmpty()) {
      return "";
    }
    return "Runtime configurations of the recorded runs: " + letters.entrySet().stream()
        .map(e -> e.getValue() + " = `" + e.getKey() + "`").collect(Collectors.joining("; ")) + ".\n\n";
  }

  /** A variant's last-epoch us/sample, the median per configuration, never mixed: "6695 (A)" or "6695 (A); 3436 (B)". */
  private static String usByConfiguration(Runs r, Map<String, String> letters) {
    Map<String, List<Double>> byBackend = new LinkedHashMap<>();
    for (int i = 0; i < r.rows().size(); i++) {
      List<EpochRecord> e = r.epochs().get(i);
      if (!e.isEmpty()) {
        byBackend.computeIfAbsent(r.rows().get(i).backend(), b -> new ArrayList<>()).add(e.get(e.size() - 1).trainUsPerSample());
      }
    }
    return byBackend.entrySet().stream().map(e -> String.format(Locale.ROOT, "%.0f (%s)",
        median(e.getValue().stream().mapToDouble(Double::doubleValue).toArray()), letters.get(e.getKey())))
        .collect(Collectors.joining("; "));
  }

  /** Each side's configurations and CPUs, flagged where the sides' configurations differ. */
  private String sides(Claim c, Map<String, String> letters) {
    List<AccuracyRecord> before = runs(c.before()).rows();
    List<AccuracyRecord> after = runs(c.after()).rows();
    if (before.isEmpty() || after.isEmpty()) {
      return "";
    }
    Set<String> b = before.stream().map(AccuracyRecord::backend).collect(Collectors.toCollection(TreeSet::new));
    Set<String> a = after.stream().map(AccuracyRecord::backend).collect(Collectors.toCollection(TreeSet::new));
    return side(c.before().id(), before, letters) + "; " + side(c.after().id(), after, letters)
        + (b.equals(a) ? "" : "; **configurations differ**");
  }

  private static String side(String id, List<AccuracyRecord> rows, Map<String, String> letters) {
    return id + " " + rows.stream().map(r -> letters.get(r.backend())).distinct().sorted().collect(Collectors.joining("+"))
        + " on " + rows.stream().map(AccuracyRecord::machine).distinct().sorted().collect(Collectors.joining(", "));
  }

  /** Where the article's figure lies against DL4J's and the reference's ranges over seeds. */
  static String whereTheArticleStands(double article, double[] dl4j, double[] ref) {
    boolean inDl4j = article >= min(dl4j) && article <= max(dl4j);
    if (ref.length == 0) {
      return inDl4j ? "inside DL4J's range" : article > max(dl4j) ? "above DL4J's range" : "below DL4J's range";
    }
    boolean inRef = article >= min(ref) && article <= max(ref);
    if (inDl4j || inRef) {
      return inDl4j && inRef ? "inside both" : inDl4j ? "inside DL4J's only" : "inside PyTorch's only";
    }
    if (article > Math.max(max(dl4j), max(ref))) {
      return "**above both**";
    }
    return article < Math.min(min(dl4j), min(ref)) ? "**below both**" : "between them";
  }

  private static String shortCommit(String commit) {
    return CommitId.parse(commit).abbreviated();
  }

  static double median(double[] values) {
    return new Median().evaluate(values);
  }

  private static double median(List<EpochRecord> rows, ToDoubleFunction<EpochRecord> figure) {
    return median(rows.stream().mapToDouble(figure).toArray());
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElseThrow();
  }

  private static double points(double fraction) {
    return 100 * fraction;
  }

  private static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.2f", points(fraction));
  }

  private static String range(double[] v) {
    return v.length == 1 ? "(one seed)" : pct(min(v)) + "-" + pct(max(v));
  }

  private static String spread(double[] v) {
    return pct(median(v)) + " [" + (v.length == 1 ? "one seed" : pct(min(v)) + "-" + pct(max(v))) + "]";
  }

  private static String lossSpread(double[] v) {
    return String.format(Locale.ROOT, "%.4f [%s]", median(v),
        v.length == 1 ? "one seed" : String.format(Locale.ROOT, "%.4f-%.4f", min(v), max(v)));
  }
}
