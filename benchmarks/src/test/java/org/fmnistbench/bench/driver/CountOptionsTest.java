package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counting commands refuse options that would count nothing, divide by nothing, or fail only
 * after minutes of counting (the drill's kinds and shares are used after its baseline is counted),
 * with the option's name and what it takes. They were taken silently: {@code count --jobs 0
 * --dry-run} printed "About 5 min with 0 at once", and {@code count-drill --kinds foo} would have
 * failed on a missing unit after counting the point's baseline.
 */
class CountOptionsTest {
  @Test
  void countRefusesAWholeNumberOptionBelowItsLeastWithItsName() {
    assertDoesNotThrow(new CountCommand()::checkOptions);
    CountCommand jobs = new CountCommand();
    jobs.jobs = 0;
    assertEquals("--jobs must be at least 1, got 0", refusal(jobs::checkOptions));
    CountCommand segments = new CountCommand();
    segments.segments = 0;
    assertEquals("--segments must be at least 1, got 0", refusal(segments::checkOptions));
    CountCommand steps = new CountCommand();
    steps.steps = -1;
    assertThrows(IllegalArgumentException.class, steps::checkOptions);
    CountCommand processes = new CountCommand();
    processes.processes = 0;
    assertEquals("--processes must be at least 1, got 0", refusal(processes::checkOptions));
    CountCommand warmup = new CountCommand();
    warmup.warmup = 0;
    assertDoesNotThrow(warmup::checkOptions, "no warm-up is a choice, not an error");
    warmup.warmup = -1;
    assertThrows(IllegalArgumentException.class, warmup::checkOptions);
  }

  @Test
  void aBatchOfNoSamplesIsRefusedWhenThePointsAreListed() {
    CountPoints points = new CountPoints();
    points.batchSize = 0;
    assertEquals("--batch-size must be at least 1, got 0", refusal(points::specs));
  }

  @Test
  void theDrillRefusesAKindOrShareItCannotInjectBeforeCountingAnything() {
    assertDoesNotThrow(new CountDrillCommand()::checkOptions);
    CountDrillCommand kind = new CountDrillCommand();
    kind.kinds = List.of("native", "foo");
    assertEquals("--kinds takes native and java, got 'foo'", refusal(kind::checkOptions));
    for (double bad : new double[] {0, -0.02, 2, Double.NaN}) {
      CountDrillCommand share = new CountDrillCommand();
      share.shares = List.of(0.02, bad);
      assertThrows(IllegalArgumentException.class, share::checkOptions, "share " + bad);
    }
  }

  /** The message an option check refuses with. */
  private static String refusal(Executable check) {
    return assertThrows(IllegalArgumentException.class, check).getMessage();
  }

  @Test
  void resumeTakesOnlyACountingRunOfTheSameJitSetting(@TempDir Path tmp) throws Exception {
    CountCommand typo = new CountCommand();
    typo.resume = tmp.resolve("20261207T000000Z-counts-typo");
    assertEquals("--resume " + typo.resume + ": no such folder (a new run takes --out)", refusal(typo::checkOptions));
    assertTrue(!Files.exists(typo.resume), "nothing created");

    Path tiered = Files.createDirectories(tmp.resolve("tiered-run"));
    Files.writeString(tiered.resolve("counts-tiered.json"), "{}");
    CountCommand c1 = new CountCommand();
    c1.resume = tiered;
    assertEquals("--resume " + tiered + " holds counts-tiered.json, not counts-c1.json: give the --jit it was counted "
        + "under", refusal(c1::checkOptions));
    c1.jit = "tiered";
    assertDoesNotThrow(c1::checkOptions);

    CountCommand cutOff = new CountCommand(); // stopped before its first point: no counts file yet
    cutOff.resume = Files.createDirectories(tmp.resolve("cut-off/points"));
    assertDoesNotThrow(cutOff::checkOptions);
  }

  @Test
  void nightWithoutTonightIsRefusedNotIgnored() {
    CountCommand night = new CountCommand();
    night.night = 20_000L;
    assertEquals("--night goes with --tonight", refusal(night::checkOptions));
    night.tonight = true;
    assertDoesNotThrow(night::checkOptions);
  }
}
