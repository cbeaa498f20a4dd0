package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.fmnistbench.variants.LayerSpec;
import org.fmnistbench.variants.Tier;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproductionReportTest {
  @TempDir
  Path dir;

  /** The committed report is what the committed baselines give: no figure in it is typed. */
  @Test
  void committedReportIsCurrent() throws IOException {
    Path baselines = Repo.baselinesDir();
    Path committed = baselines.toAbsolutePath().getParent().resolve(ReproductionReport.PATH);
    String expected = ReproductionReport.of(baselines, "layer-api").markdown();
    assertTrue(Files.isRegularFile(committed), ReproductionReport.PATH + " is missing; generate it with ./suite report");
    assertEquals(expected, Files.readString(committed),
        ReproductionReport.PATH + " differs from what baselines/ give; regenerate it with ./suite report");
  }

  /** Records full-tier runs of a variant with these test accuracies (and losses, gaps). */
  private void record(Variant v, double[] accuracies, double testLoss, double trainAccuracy) {
    AccuracyBaselines acc = AccuracyBaselines.read(dir);
    EpochBaselines epochs = EpochBaselines.read(dir);
    for (int i = 0; i < accuracies.length; i++) {
      AccuracyRecord row = new AccuracyRecord(v.id(), "full", "layer-api", Tier.FULL.recipe(v).describe(), i + 1,
          accuracies[i], testLoss + 0.001 * i, 10000, 0.3, 100, "CpuBackend[test]", "1.0.0-M2.1", "abc", "2026-11-28T00:00:00Z",
          "test x2", null, 0.01);
      final int seed = i + 1;
      final double a = accuracies[i];
      epochs.put(row, IntStream.rangeClosed(1, v.epochs()).mapToObj(e -> new EpochRecord(v.id(), "full", "layer-api", seed, e,
          0.3, trainAccuracy, testLoss, a, 60000, 10, 166, 1, "abc")).toList());
      acc.put(row);
    }
  }

  private ReproductionReport report() throws IOException {
    Files.copy(Repo.baselinesDir().resolve(ArticleFigures.FILE), dir.resolve(ArticleFigures.FILE));
    return ReproductionReport.of(dir, "layer-api");
  }

  private static ReproductionReport.Claim claim(Variant before, Variant after) {
    return ReproductionReport.CLAIMS.stream().filter(c -> c.before() == before && c.after() == after).findFirst().orElseThrow();
  }

  @Test
  void anImprovementHoldsOnlyWhenTheRangesAreApart() throws IOException {
    record(Variant.CNN, new double[] {0.910, 0.912, 0.915}, 0.25, 0.92);
    record(Variant.CNN3, new double[] {0.920, 0.925, 0.926}, 0.22, 0.93);
    record(Variant.CNN4, new double[] {0.918, 0.924, 0.933}, 0.22, 0.93);
    ReproductionReport r = report();
    assertEquals("holds", r.judge(claim(Variant.CNN, Variant.CNN3)).outcome());
    // the article says the accuracy dropped with cnn4; cnn4's range overlaps cnn3's, so that cannot be told
    ReproductionReport.Verdict cnn4 = r.judge(claim(Variant.CNN3, Variant.CNN4));
    assertEquals("cannot tell", cnn4.outcome(), cnn4.evidence());
    assertTrue(cnn4.leansAgainst(), "cnn4's mean is above cnn3's: against a drop");
    assertEquals("none: the estimate is against the claim", cnn4.seeds());
    assertEquals("not recorded yet", r.judge(claim(Variant.MLP, Variant.CNN)).outcome());
  }

  @Test
  void aReversedImprovementIsADisagreementAndSaidSo() throws IOException {
    record(Variant.CNN3, new double[] {0.925, 0.926, 0.927}, 0.21, 0.93);
    record(Variant.CNN3_PAD, new double[] {0.910, 0.911, 0.912}, 0.25, 0.93);
    ReproductionReport r = report();
    ReproductionReport.Verdict v = r.judge(claim(Variant.CNN3, Variant.CNN3_PAD));
    assertEquals("does not hold", v.outcome());
    assertTrue(v.disagrees());
    String md = r.markdown();
    assertTrue(md.contains("- Contradicted: Zero padding helps a little."), md);
    assertTrue(md.contains("`cnn3-pad` (-1.74 points)"), "cnn3-pad's median 91.10 is 1.74 points under 92.84");
  }

  @Test
  void overlappingRangesCannotTellAndFewSeedsArePreliminary() throws IOException {
    record(Variant.CNN3_PAD, new double[] {0.925, 0.930}, 0.21, 0.93);
    record(Variant.CNN3_PAD_FLIP, new double[] {0.928, 0.934}, 0.20, 0.93);
    ReproductionReport.Verdict v = report().judge(claim(Variant.CNN3_PAD, Variant.CNN3_PAD_FLIP));
    assertEquals("cannot tell (preliminary: 2 seeds)", v.outcome());
    assertFalse(v.disagrees());
  }

  @Test
  void overfittingNeedsAHigherTestLossAndAWiderGap() throws IOException {
    record(Variant.CNN3, new double[] {0.925, 0.926, 0.927}, 0.21, 0.93);
    record(Variant.CNN3_NODROPOUT, new double[] {0.924, 0.925, 0.926}, 0.27, 0.97);
    ReproductionReport.Verdict v = report().judge(claim(Variant.CNN3, Variant.CNN3_NODROPOUT));
    assertEquals("holds", v.outcome(), v.evidence());
    assertTrue(v.evidence().contains("gap"), v.evidence());
  }

  @Test
  void everyRecordedRunIsListedWithItsProvenance() throws IOException {
    record(Variant.MLP, new double[] {0.87, 0.88, 0.875}, 0.35, 0.89);
    String md = report().markdown();
    List<String> runLines = md.lines().filter(l -> l.startsWith("| mlp | ") && l.contains("CpuBackend[test]")).toList();
    assertEquals(3, runLines.size(), md);
    assertTrue(md.contains("| 1 | mlp | 87.75 | 87.50 | 87.00-88.00 | 3 | -0.25 | yes | not run | inside DL4J's range |"), md);
  }

  @Test
  void aSmokeRunOfTheFullRecipeCountsAsAFullRunOncePerSeed() throws IOException {
    record(Variant.MLP, new double[] {0.87, 0.88, 0.875}, 0.35, 0.89);
    AccuracyBaselines acc = AccuracyBaselines.read(dir);
    for (int seed = 2; seed <= 5; seed++) { // seeds 2 and 3 again, then 4 and 5
      acc.put(new AccuracyRecord("mlp", "smoke", "layer-api", Tier.FULL.recipe(Variant.MLP).describe(), seed, 0.86 + 0.001 * seed,
          0.35, 10000, 0.3, 100, "CpuBackend[test]", "1.0.0-M2.1", "abc", "2026-11-28T00:00:00Z", "test x2", null, 0.01));
    }
    List<AccuracyRecord> runs = report().runs(Variant.MLP).rows();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), runs.stream().map(AccuracyRecord::seed).toList());
    assertEquals(List.of("full", "full", "full", "smoke", "smoke"), runs.stream().map(AccuracyRecord::tier).toList(),
        "the full tier's row where both have a seed");
  }

  @Test
  void doesNotHelpAndHardlyChangesAreJudgedAgainstTheMarginAndCanFail() throws IOException {
    // dense2 better by a point, tightly: "does not help" is contradicted
    record(Variant.CNN3_PAD, new double[] {0.925, 0.926, 0.927}, 0.21, 0.93);
    record(Variant.CNN3_PAD_DENSE2, new double[] {0.935, 0.936, 0.937}, 0.21, 0.95);
    // avgpool equal to cnn3 within 0.1 point, tightly: "hardly changes" holds
    record(Variant.CNN3, new double[] {0.9200, 0.9210, 0.9220}, 0.21, 0.93);
    record(Variant.AVGPOOL, new double[] {0.9205, 0.9212, 0.9218}, 0.21, 0.93);
    // cnn3-pad-flip-10ep spread wide: "does not improve" cannot be told, with the seeds it would need
    record(Variant.CNN3_PAD_FLIP, new double[] {0.930, 0.931, 0.932}, 0.20, 0.94);
    record(Variant.CNN3_PAD_FLIP_10EP, new double[] {0.925, 0.932, 0.939}, 0.24, 0.96);
    ReproductionReport r = report();
    ReproductionReport.Verdict dense2 = r.judge(claim(Variant.CNN3_PAD, Variant.CNN3_PAD_DENSE2));
    assertEquals("does not hold", dense2.outcome(), dense2.evidence());
    assertTrue(dense2.disagrees());
    ReproductionReport.Verdict avg = r.judge(claim(Variant.CNN3, Variant.AVGPOOL));
    assertEquals("holds", avg.outcome(), avg.evidence());
    ReproductionReport.Verdict tenEpochs = r.judge(ReproductionReport.CLAIMS.stream()
        .filter(c -> c.after() == Variant.CNN3_PAD_FLIP_10EP && c.kind() == ReproductionReport.Kind.DOES_NOT_IMPROVE)
        .findFirst().orElseThrow());
    assertEquals("cannot tell", tenEpochs.outcome(), tenEpochs.evidence());
    assertTrue(tenEpochs.seeds().matches("about \\d+ a variant"), tenEpochs.seeds());
    String md = r.markdown();
    assertTrue(md.startsWith("# Reproducing") && md.indexOf("## Summary") < md.indexOf("## Test accuracy"), "opens with it");
    assertTrue(md.contains("contradict 1 and"), md.substring(0, 1200));
  }

  @Test
  void aReferenceFrameworkIsJudgedInItsOwnColumnAndNeverInDl4jsVerdicts() throws IOException {
    record(Variant.CNN, new double[] {0.910, 0.912, 0.915}, 0.25, 0.92);
    record(Variant.CNN3, new double[] {0.920, 0.925, 0.926}, 0.22, 0.93);
    Files.writeString(dir.resolve(ReferenceRuns.FILE), "# made up\nvariant,seed,test_accuracy,test_loss,epochs\n"
        + "cnn,0,0.930,0.2,5\ncnn,1,0.931,0.2,5\ncnn,2,0.932,0.2,5\ncnn3,0,0.900,0.3,5\ncnn3,1,0.901,0.3,5\ncnn3,2,0.902,0.3,5\n");
    ReproductionReport r = report();
    ReproductionReport.Claim c = claim(Variant.CNN, Variant.CNN3);
    assertEquals("holds", r.judge(c).outcome(), "DL4J's verdict is DL4J's alone");
    assertEquals("does not hold", r.judgeReference(c).outcome(), "the reference's runs go the other way");
    String md = r.markdown();
    assertTrue(md.contains("| 93.10 [93.00-93.20] (3) | inside DL4J's only |"), "cnn's row: " + md);
    assertTrue(md.contains("| holds |") && md.contains("| does not hold |"), md);
    assertTrue(md.contains("contradict 0 and"), "the reference contradicts nothing in DL4J's summary: " + md);
  }

  @Test
  void theAveragePoolingClaimComparesVariantsThatDifferOnlyInThePooling() {
    ReproductionReport.Claim avg = ReproductionReport.CLAIMS.stream()
        .filter(c -> c.after() == Variant.AVGPOOL).findFirst().orElseThrow();
    List<LayerSpec> before = avg.before().layers();
    List<LayerSpec> after = avg.after().layers();
    assertEquals(before.size(), after.size());
    long differing = IntStream.range(0, before.size()).filter(i -> !before.get(i).equals(after.get(i))).count();
    assertEquals(1, differing, avg.before() + " -> " + avg.after() + " should differ in the pooling layer alone");
  }
}
