package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fmnistbench.baselines.ArticleFigures;
import org.fmnistbench.baselines.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Slow creep, which no night-to-night comparison calls: 2 % a night for 5 nights. The nightly's
 * change-point check (E-divisive over each series' history) reports it once, at the first night
 * whose history shows it, marks it on the dashboard, and stays quiet on the flat series and on
 * the nights before the creep.
 */
class ChangePointNightlyTest {
  private static final String CNN = "trainStep/cnn/layer-api/default/b32";
  private static final String MLP = "trainStep/mlp/layer-api/default/b32";

  @SuppressWarnings("unchecked")
  @Test
  void wallTimeCreepIsReportedOnceWithoutFailingAndShownOnTheDashboard(@TempDir Path tmp) throws Exception {
    History h = new History(tmp.resolve("history"));
    for (int n = 1; n <= 20; n++) {
      Synthetic.run(h, tmp, n, 10_000, 0.01, "AMD EPYC", "cpu"); // 20 steady nights, 1 % noise
    }
    List<Integer> exits = new ArrayList<>();
    for (int n = 21; n <= 25; n++) { // then 2 % slower every night
      Path run = Synthetic.runFolder(tmp.resolve("night" + n), n, 10_000 * (1 + 0.02 * (n - 20)));
      exits.add(new CommandLine(new Nightly()).execute("record", "--results", run.toString(), "--history",
          h.root().toString(), "--dashboard", tmp.resolve("dash").toString()));
    }
    assertEquals(List.of(0, 0, 0, 0, 0), exits, "no night is 10 % slower than the median of the ten before it; "
        + "wall-time change points are reported, not failing");
    List<String> nightsReporting = new ArrayList<>();
    for (int n = 1; n <= 25; n++) {
      String prefix = String.format("202611%02d", n);
      assertTrue(!Synthetic.verdicts(h, prefix, MLP).contains(RecordedFinding.CHANGE_POINT), "the flat mlp series reported at night " + n);
      if (Synthetic.verdicts(h, prefix, CNN).contains(RecordedFinding.CHANGE_POINT)) {
        nightsReporting.add(prefix);
      }
    }
    assertEquals(1, nightsReporting.size(), "the creep is reported once, not again every night: " + nightsReporting);
    assertTrue(nightsReporting.get(0).compareTo("20261123") >= 0, "reported before three nights at the new level: " + nightsReporting);

    Map<String, Object> data = Dashboard.data(h, ArticleFigures.read(Repo.baselinesDir()));
    List<Map<String, Object>> flagged = (List<Map<String, Object>>) data.get("flagged");
    Map<String, Object> row = flagged.stream().filter(f -> f.get("verdict").equals(RecordedFinding.CHANGE_POINT)).findFirst()
        .orElseThrow(() -> new AssertionError("no change point on the dashboard: " + flagged));
    String describe = String.valueOf(row.get("describe"));
    assertTrue(describe.startsWith(CNN + ": higher since 2026112"), describe);
  }

  /** A count that creeps up 0.6 % a night: under the 1 % night-to-night limit, past it in three nights. */
  @Test
  void countCreepUnderTheNightlyLimitFailsOnceWhenItAddsUpPastIt(@TempDir Path dir) throws Exception {
    Path history = dir.resolve("history");
    Path aa = dir.resolve("aa"); // no A/A runs: the 1 % floor alone
    List<Integer> exits = new ArrayList<>();
    Random r = new Random(3);
    for (int n = 1; n <= 15; n++) {
      double level = n <= 10 ? 1 : 1 + 0.006 * (n - 10);
      double total = 100e6 * level * (1 + 1e-4 * r.nextGaussian()); // a counted point's A/A spread, about 0.01 %
      Path night = NightlyCountsTest.night(dir, String.format("2026-11-%02dT00:00:00Z", n), total, 10e6 * level);
      exits.add(new CommandLine(new Nightly()).execute("counts", "--results", night.toString(), "--history",
          history.toString(), "--aa", aa.toString(), "--no-dashboard"));
    }
    // nights 1-12: new, then unchanged (0.6 % against the night before, under 1 %); night 13 has three
    // nights at the new level, whose median is 1.2 % above the old; later nights know it
    assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0), exits);
    List<CountDetector.Finding> said = new ArrayList<>();
    for (CountHistory.Entry e : new CountHistory(history).entries()) {
      e.findingsList().stream().filter(f -> f.verdict() == CountDetector.Verdict.CHANGE_POINT).forEach(said::add);
    }
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).basis().startsWith("change point since 20261111"), said.get(0).basis());
    assertTrue(said.get(0).change() > 0.01, said.get(0).message());
  }
}
