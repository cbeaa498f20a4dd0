package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fmnistbench.ci.RegressionDetector.Verdict;
import org.fmnistbench.results.Canary;
import org.fmnistbench.results.InterleavedResults;
import org.fmnistbench.stats.PairedRatio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code Nightly record} judging beside the previous build, as ci/nightly calls it when that
 * build's jar is at hand: the first look names the points to measure ({@code --interleave-args}),
 * and the interleaved comparison ({@code --interleaved}) decides them: a first-look fluke it
 * does not call slower is UNCONFIRMED, and a slowdown it calls is a REGRESSION even where the
 * first look, blinded by the history's drift, passed it.
 */
class InterleavedNightlyTest {
  private static final String CNN_TRAIN = "trainStep/cnn/layer-api/default/b32";
  @TempDir Path tmp;

  private int record(History h, String... args) {
    List<String> all = new ArrayList<>(List.of("record", "--history", h.root().toString(), "--dashboard",
        tmp.resolve("dashboard").toString(), "--z=4"));
    all.addAll(List.of(args));
    return new CommandLine(new Nightly()).execute(all.toArray(String[]::new));
  }

  @Test
  void aFirstLookFlukeIsUnconfirmedBesideThePreviousBuild() throws Exception {
    History h = Synthetic.fourQuietRuns(tmp, "history");
    Path slowNight = Synthetic.runFolder(tmp.resolve("night5"), 5, 13_000);
    Path args = tmp.resolve("interleave-args.txt");
    assertEquals(0, record(h, "--results", slowNight.toString(), "--dry-run", "--interleave-args", args.toString()));
    assertEquals("--rounds 8 --points inference/cnn/layer-api/default/b32;" + CNN_TRAIN + "\n", Files.readString(args),
        "exactly the flagged points: cnn's, not mlp's");
    // beside the previous build the night's code is no slower (a little faster): the machine was slow, not the code
    Path notSlower = Synthetic.interleaved(tmp.resolve("not-slower"), 6, 10_000, 9_700, 0.02, 0.15);
    assertEquals(0, record(h, "--results", slowNight.toString(), "--interleaved", notSlower.toString()));
    assertEquals(List.of("UNCONFIRMED"), Synthetic.verdicts(h, "20261105T030000Z", CNN_TRAIN));
  }

  @Test
  void aSlowdownTheFirstLookPassedIsCaughtBesideThePreviousBuild() throws Exception {
    History h = Synthetic.fourQuietRuns(tmp, "history2");
    Path night = Synthetic.runFolder(tmp.resolve("night5"), 5, 10_500);
    Path args = tmp.resolve("interleave-args.txt");
    assertEquals(0, record(h, "--results", night.toString(), "--dry-run", "--interleave-args", args.toString(),
        "--interleave-scope", "TRAINING"));
    assertEquals("--rounds 8 --points " + CNN_TRAIN + ";trainStep/mlp/layer-api/default/b32\n",
        Files.readString(args), "the training scope names every training step, flagged or not");
    Path slower = Synthetic.interleaved(tmp.resolve("slower"), 8, 10_000, 11_000, 0.02, 0.15);
    assertEquals(1, record(h, "--results", night.toString(), "--interleaved", slower.toString()));
    assertEquals(List.of("REGRESSION"), Synthetic.verdicts(h, "20261105T030000Z", CNN_TRAIN));
  }

  @Test
  void theSentinelsAreMeasuredBesideThePreviousBuildEveryNight() throws Exception {
    History h = Synthetic.fourQuietRuns(tmp, "history4");
    Path quietNight = Synthetic.runFolder(tmp.resolve("night5"), 5, 10_000);
    Path args = tmp.resolve("interleave-args.txt");
    assertEquals(0, record(h, "--results", quietNight.toString(), "--dry-run", "--interleave-args", args.toString()));
    assertEquals("", Files.readString(args), "nothing flagged, nothing measured beside in the FLAGGED scope");
    // the default sentinels are cnn's and cnn3's; this night measured no cnn3, which is said, not fatal
    assertEquals(0, record(h, "--results", quietNight.toString(), "--dry-run", "--interleave-args", args.toString(),
        "--interleave-scope", "SENTINELS"));
    assertEquals("--rounds " + Nightly.SENTINEL_ROUNDS + " --points " + CNN_TRAIN + "\n", Files.readString(args));
    assertEquals(0, record(h, "--results", quietNight.toString(), "--dry-run", "--interleave-args", args.toString(),
        "--interleave-scope", "SENTINELS", "--sentinels", "inference/mlp/layer-api/default/b32", "--interleave-rounds", "5"));
    assertEquals("--rounds 5 --points inference/mlp/layer-api/default/b32\n", Files.readString(args));
  }

  @Test
  void theComparisonDecidesOnlyThePointsItMeasured() {
    RegressionDetector d = new RegressionDetector(RegressionDetector.Thresholds.defaults());
    RegressionDetector.Finding flagged = d.judge(CNN_TRAIN, 10_000, 13_000, 0.01, 4);
    assertEquals(Verdict.REGRESSION, flagged.verdict());
    assertEquals(flagged, d.judgeBeside(flagged, null), "a point not measured beside keeps its first look");
    InterleavedResults.Comparison notSlower = comparison(CNN_TRAIN, InterleavedResults.Verdict.NO_DIFFERENCE, 1.01);
    RegressionDetector.Finding judged = d.judgeBeside(flagged, notSlower);
    assertEquals(Verdict.UNCONFIRMED, judged.verdict());
    assertTrue(judged.describe().contains("interleaved rounds beside the previous build: ratio 1.010"), judged.describe());
    RegressionDetector.Finding passed = d.judge(CNN_TRAIN, 10_000, 10_100, 0.05, 4);
    RegressionDetector.Finding caught = d.judgeBeside(passed, comparison(CNN_TRAIN, InterleavedResults.Verdict.SLOWER, 1.08));
    assertEquals(Verdict.REGRESSION, caught.verdict());
    assertTrue(caught.describe().startsWith(CNN_TRAIN + ": REGRESSION, 10,000 -> 10,800"), caught.describe());
    assertThrows(IllegalArgumentException.class,
        () -> d.judgeBeside(flagged, comparison("trainStep/mlp/layer-api/default/b32", InterleavedResults.Verdict.SLOWER, 1.2)));
    assertNull(d.judgeBeside(passed, comparison(CNN_TRAIN, InterleavedResults.Verdict.FASTER, 0.9)).beside(),
        "a point called faster beside keeps the first look");
  }

  @Test
  void oneConfirmationAtATime() throws Exception {
    History h = Synthetic.fourQuietRuns(tmp, "history3");
    Path n = Synthetic.runFolder(tmp.resolve("night5"), 5, 10_000);
    Path same = Synthetic.interleaved(tmp.resolve("same3"), 3, 10_000, 10_000, 0.02, 0.1);
    assertNotEquals(0, record(h, "--results", n.toString(), "--confirm", n.toString(), "--interleaved", same.toString()));
    assertNotEquals(0, record(h, "--results", n.toString(), "--interleaved", n.toString()),
        "a folder without interleave.json is refused");
  }

  private static InterleavedResults.Comparison comparison(String key, InterleavedResults.Verdict v, double ratio) {
    String[] k = key.split("/");
    double[] base = {10_000, 10_000, 10_000};
    double[] cand = {10_000 * ratio, 10_000 * ratio, 10_000 * ratio};
    return new InterleavedResults.Comparison(k[0], k[1], k[2], k[3], Integer.parseInt(k[4].substring(1)), base, cand,
        new PairedRatio(ratio, ratio - 0.01, ratio + 0.01, 0.95, v == InterleavedResults.Verdict.SLOWER ? 0.001 : 0.4, 0.5, 0.01, 3), v,
        Canary.NONE, null);
  }

}
