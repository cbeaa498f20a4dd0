package org.fmnistbench.baselines;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * <p>Two sets of runs are told apart only when their ranges (min to max over seeds) do not
 * overlap; with fewer than {@link Tier#minSeeds()} seeds a verdict is marked preliminary.
 */
public final class ReproductionReport {
  /** Where the committed report lives, relative to the repository root. */
  public static final String PATH = "models/reports/REPRODUCTION.md";
  private static final String TIER = Tier.FULL.id();
  /** Below this difference of medians (points), "hardly changed" holds even when ranges separate. */
  private static final double SIMILAR_POINTS = 0.5;

  private final ArticleFigures article;
  private final AccuracyBaselines accuracy;
  private final EpochBaselines epochs;
  private final String engine;

  public ReproductionReport(ArticleFigures article, AccuracyBaselines accuracy, EpochBaselines epochs, String engine) {
    this.article = article;
    this.accuracy = accuracy;
    this.epochs = epochs;
    this.engine = engine;
  }

  /** The report over the files of a {@code baselines/} directory, for one engine's runs. */
  public static ReproductionReport of(java.nio.file.Path baselinesDir, String engine) {
    return new ReproductionReport(ArticleFigures.read(baselinesDir), AccuracyBaselines.read(baselinesDir),
        EpochBaselines.read(baselinesDir), engine);
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

  Runs runs(Variant v) {
    List<AccuracyRecord> rows = accuracy.rows(v, TIER, engine).stream()
        .filter(r -> r.recipe().equals(Tier.FULL.recipe(v).describe())).toList();
    return new Runs(v, rows, rows.stream().map(epochs::of).toList());
  }

  /** How two sets of runs compare on one figure. */
  enum Relation { HIGHER, LOWER, OVERLAP }

  static Relation compare(double[] a, double[] b) {
    if (min(a) > max(b)) {
      return Relation.HIGHER;
    }
    if (max(a) < min(b)) {
      return Relation.LOWER;
    }
    return Relation.OVERLAP;
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
      new Claim("... but only up to 128 filters: a fourth, 256-filter convolution does not help",
          Variant.CNN3, Variant.CNN4, Kind.DOES_NOT_IMPROVE),
      new Claim("Dropout guards against overfitting: without it the model overfits",
          Variant.CNN3, Variant.CNN3_NODROPOUT, Kind.OVERFITS_MORE),
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

  /** The verdict on one claim: holds, does not hold, cannot tell, or not recorded yet. */
  record Verdict(String outcome, String evidence, boolean disagrees) {}

  Verdict judge(Claim c) {
    Runs before = runs(c.before());
    Runs after = runs(c.after());
    List<String> missing = new ArrayList<>();
    if (before.n() == 0) {
      missing.add(c.before().id());
    }
    if (after.n() == 0) {
      missing.add(c.after().id());
    }
    if (!missing.isEmpty()) {
      return new Verdict("not recorded yet", "no full-recipe runs of " + String.join(", ", missing), false);
    }
    String evidence = String.format(Locale.ROOT, "test accuracy %s %s -> %s %s", c.before().id(),
        spread(before.testAccuracy()), c.after().id(), spread(after.testAccuracy()));
    Relation acc = compare(after.testAccuracy(), before.testAccuracy());
    String outcome;
    boolean disagrees;
    switch (c.kind()) {
      case IMPROVES -> {
        outcome = acc == Relation.HIGHER ? "holds" : acc == Relation.LOWER ? "does not hold" : "cannot tell";
        disagrees = acc == Relation.LOWER;
      }
      case DOES_NOT_IMPROVE -> {
        outcome = acc == Relation.HIGHER ? "does not hold" : "holds";
        disagrees = acc == Relation.HIGHER;
      }
      case WORSENS -> {
        outcome = acc == Relation.LOWER ? "holds" : acc == Relation.HIGHER ? "does not hold" : "cannot tell";
        disagrees = acc == Relation.HIGHER;
      }
      case SIMILAR -> {
        double diff = points(median(after.testAccuracy()) - median(before.testAccuracy()));
        boolean similar = acc == Relation.OVERLAP || Math.abs(diff) <= SIMILAR_POINTS;
        outcome = similar ? "holds" : "does not hold";
        disagrees = !similar;
      }
      case OVERFITS_MORE -> {
        Relation loss = compare(after.testLoss(), before.testLoss());
        double[] gapAfter = after.generalisationGap();
        double[] gapBefore = before.generalisationGap();
        evidence = String.format(Locale.ROOT, "test loss %s %s -> %s %s", c.before().id(),
            lossSpread(before.testLoss()), c.after().id(), lossSpread(after.testLoss()));
        boolean wider = true;
        if (gapAfter.length > 0 && gapBefore.length > 0) {
          wider = median(gapAfter) > median(gapBefore);
          evidence += String.format(Locale.ROOT, "; train-test accuracy gap (last epoch) %s %+.2f -> %s %+.2f points",
              c.before().id(), points(median(gapBefore)), c.after().id(), points(median(gapAfter)));
        }
        if (loss == Relation.HIGHER && wider) {
          outcome = "holds";
          disagrees = false;
        } else if (loss == Relation.LOWER) {
          outcome = "does not hold";
          disagrees = true;
        } else {
          outcome = "cannot tell";
          disagrees = false;
        }
      }
      default -> throw new IllegalStateException(c.kind().toString());
    }
    int fewest = Math.min(before.n(), after.n());
    if (fewest < Tier.FULL.minSeeds()) {
      outcome += String.format(Locale.ROOT, " (preliminary: %d seed%s)", fewest, fewest == 1 ? "" : "s");
    }
    return new Verdict(outcome, evidence, disagrees);
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
        .append("DL4J version, backend, machine and date. Accuracies are in percent; \"points\" are percentage points.\n\n");

    md.append("## Test accuracy\n\n");
    md.append("| step | variant | article | DL4J median | DL4J range | seeds | DL4J - article (points) | within 1 point |\n");
    md.append("|---|---|---:|---:|---|---:|---:|---|\n");
    List<String> outside = new ArrayList<>();
    List<String> unrecorded = new ArrayList<>();
    for (Variant v : Variant.values()) {
      Runs r = runs(v);
      Optional<ArticleFigures.Row> a = article.of(v);
      Optional<Double> articleAcc = a.map(ArticleFigures.Row::testAccuracy);
      String step = a.map(ArticleFigures.Row::step).map(String::valueOf).orElse("");
      if (r.n() == 0) {
        unrecorded.add(v.id());
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | not recorded yet | | 0 | | |\n", step, v.id(),
            articleAcc.map(ReproductionReport::pct).orElse("no figure")));
        continue;
      }
      double median = median(r.testAccuracy());
      String diff = articleAcc.map(x -> String.format(Locale.ROOT, "%+.2f", points(median - x))).orElse("");
      String within = articleAcc.map(x -> Math.abs(median - x) <= 0.01 ? "yes" : "**no**").orElse("");
      if (articleAcc.isPresent() && Math.abs(median - articleAcc.get()) > 0.01) {
        outside.add(String.format(Locale.ROOT, "`%s` (%s points)", v.id(), diff));
      }
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %s | %s |\n", step, v.id(),
          articleAcc.map(ReproductionReport::pct).orElse("no figure"), pct(median), range(r.testAccuracy()),
          r.n(), diff, within));
    }

    md.append("\n## Last epoch, as Keras printed it\n\n");
    md.append("Training accuracy is Keras's progress-bar figure: each example scored in its own training step,\n")
        .append("dropout active. Time per sample is the epoch's wall time over its samples (Keras's \"us/step\"),\n")
        .append("for orientation only: the article's ran on a Tesla K80 (the MLP on a Raspberry Pi), DL4J's on the\n")
        .append("CPU named with each run, possibly beside other work; the suite's JMH benchmarks measure speed.\n\n");
    md.append("| variant | train acc: article | DL4J | test loss: article | DL4J | us/sample: article | DL4J |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Variant v : Variant.values()) {
      Runs r = runs(v);
      if (r.n() == 0) {
        continue;
      }
      Optional<ArticleFigures.Row> a = article.of(v);
      double[] trainAcc = r.lastEpoch(EpochRecord::trainAccuracy);
      double[] us = r.lastEpoch(EpochRecord::trainUsPerSample);
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |\n", v.id(),
          a.map(ArticleFigures.Row::trainAccuracy).map(ReproductionReport::pct).orElse(""),
          trainAcc.length == 0 ? "no epoch rows" : pct(median(trainAcc)),
          a.map(ArticleFigures.Row::testLoss).map(x -> String.format(Locale.ROOT, "%.4f", x)).orElse(""),
          String.format(Locale.ROOT, "%.4f", median(r.testLoss())),
          a.map(ArticleFigures.Row::trainUsPerSample).map(x -> String.format(Locale.ROOT, "%.0f", x)).orElse(""),
          us.length == 0 ? "" : String.format(Locale.ROOT, "%.0f", median(us))));
    }

    md.append("\n## The article's conclusions in DL4J\n\n");
    // Says how each kind of claim is judged, since overlapping ranges count for "does not help".
    md.append("Two variants differ only where their ranges over seeds are apart; overlapping ranges are not told\n")
        .append("apart from seed-to-seed spread. So a claim of a change (helps, lowers, overfits more: a higher test\n")
        .append("loss and a wider train-test gap) holds only on ranges apart in its direction, and reads \"cannot\n")
        .append("tell\" where they overlap; \"does not help\" and \"hardly changes\" hold unless the ranges are apart\n")
        .append("against them (\"hardly changes\" also holds when the medians are within ")
        .append(String.format(Locale.ROOT, "%.1f", SIMILAR_POINTS)).append(" points). Figures: median [min-max].\n\n");
    md.append("| conclusion | from -> to | in DL4J | evidence |\n|---|---|---|---|\n");
    List<String> contradicted = new ArrayList<>();
    for (Claim c : CLAIMS) {
      Verdict verdict = judge(c);
      if (verdict.disagrees()) {
        contradicted.add(c.statement());
      }
      md.append(String.format(Locale.ROOT, "| %s | %s -> %s | %s | %s |\n", c.statement(), c.before().id(),
          c.after().id(), verdict.disagrees() ? "**" + verdict.outcome() + "**" : verdict.outcome(), verdict.evidence()));
    }

    md.append("\n## Where DL4J disagrees with the article\n\n");
    if (unrecorded.size() == Variant.values().length) {
      md.append("Nothing is recorded yet.\n");
    } else if (outside.isEmpty() && contradicted.isEmpty()) {
      md.append("Nowhere among the recorded variants: every recorded median is within 1 point of the article's\n")
          .append("figure, and no conclusion is contradicted.\n");
    } else {
      if (!outside.isEmpty()) {
        md.append("- Test accuracy more than 1 point from the article's: ").append(String.join(", ", outside)).append(".\n");
      }
      for (String c : contradicted) {
        md.append("- Contradicted: ").append(c).append(".\n");
      }
    }
    if (!unrecorded.isEmpty()) {
      md.append("\nNot recorded yet: ").append(unrecorded.stream().map(id -> "`" + id + "`").collect(Collectors.joining(", ")))
          .append(". Record (resumable) with `./suite record --tier full --variants <ids> --seeds 1-3`, then\n")
          .append("`./suite report`.\n");
    }

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
    md.append("| variant | seed | test acc | test loss | train s | commit | recorded at | backend | machine "
        + "| others' CPU | started from |\n");
    md.append("|---|---:|---:|---:|---:|---|---|---|---|---:|---|\n");
    for (Variant v : Variant.values()) {
      for (AccuracyRecord row : runs(v).rows()) {
        String startedFrom = row.startedFrom() == null || row.startedFrom().isBlank() ? "scratch" : row.startedFrom();
        String others = row.othersBusy() == null ? "not measured" : String.format(Locale.ROOT, "%.0f %%", 100 * row.othersBusy());
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.4f | %.0f | %s | %s | %s | %s | %s | %s |\n", row.variant(),
            row.seed(), pct(row.testAccuracy()), row.testLoss(), row.trainSeconds(), shortCommit(row.commit()),
            row.recordedAt(), row.backend(), row.machine(), others, startedFrom));
      }
    }
    return md.toString();
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
