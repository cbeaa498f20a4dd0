package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
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
    record(Variant.CNN4, new double[] {0.914, 0.921, 0.930}, 0.22, 0.93);
    ReproductionReport r = report();
    assertEquals("holds", r.judge(claim(Variant.CNN, Variant.CNN3)).outcome());
    // cnn4's range overlaps cnn3's: "does not help" holds, as nothing shows it helping
    assertEquals("holds", r.judge(claim(Variant.CNN3, Variant.CNN4)).outcome());
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
    assertTrue(md.contains("| 1 | mlp | 87.75 | 87.50 | 87.00-88.00 | 3 | -0.25 | yes |"), md);
  }

  @Test
  void theAveragePoolingClaimComparesVariantsThatDifferOnlyInThePooling() {
    ReproductionReport.Claim avg = ReproductionReport.CLAIMS.stream()
        .filter(c -> c.after() == Variant.AVGPOOL).findFirst().orElseThrow();
    List<org.fmnistbench.variants.LayerSpec> before = avg.before().layers();
    List<org.fmnistbench.variants.LayerSpec> after = avg.after().layers();
    assertEquals(before.size(), after.size());
    long differing = IntStream.range(0, before.size()).filter(i -> !before.get(i).equals(after.get(i))).count();
    assertEquals(1, differing, avg.before() + " -> " + avg.after() + " should differ in the pooling layer alone");
  }
}
