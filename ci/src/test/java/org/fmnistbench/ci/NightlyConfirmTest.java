package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code Nightly record} as ci/nightly calls it: a first look that appends nothing and names what
 * to measure again, then the judgement with the re-run, which fails the job only for a slowdown
 * that the re-run shows too.
 */
class NightlyConfirmTest {
  private static final String CNN_TRAIN = "trainStep/cnn/layer-api/default/b32";
  @TempDir Path tmp;

  private int record(History h, String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "record";
    all[1] = "--history";
    all[2] = h.root().toString();
    all[3] = "--dashboard";
    all[4] = tmp.resolve("dashboard").toString();
    all[5] = "--z=4";
    System.arraycopy(args, 0, all, 6, args.length);
    return new CommandLine(new Nightly()).execute(all);
  }

  private static long entries(History h) throws IOException {
    try (var s = Files.walk(h.root())) {
      return s.filter(p -> p.getFileName().toString().equals(History.JMH)).count();
    }
  }

  @Test
  void aFlukeIsRecordedUnconfirmedAndASlowdownSeenTwiceFails() throws Exception {
    History h = Synthetic.fourQuietRuns(tmp, "history");
    Path slowNight = Synthetic.runFolder(tmp.resolve("night5"), 5, 13_000);
    Path rerun = tmp.resolve("rerun-args.txt");
    assertEquals(0, record(h, "--results", slowNight.toString(), "--dry-run", "--rerun-args", rerun.toString()),
        "the first look never fails the job");
    assertEquals(4, entries(h), "the first look appends nothing");
    String props = Files.readString(rerun);
    assertTrue(props.contains("-Dbench.variants=cnn ") && props.contains("-Dbench.benchmarks=inference,train"), props);

    // measured again at the usual speed: recorded as unconfirmed, the job passes
    assertEquals(0, record(h, "--results", slowNight.toString(), "--confirm", Synthetic.runFolder(tmp.resolve("again5"), 6, 10_000).toString()));
    assertEquals(5, entries(h));
    List<String> verdicts = Synthetic.verdicts(h, "20261105T030000Z", CNN_TRAIN);
    assertEquals(List.of("UNCONFIRMED"), verdicts);

    // nothing slower: the first look asks for nothing
    Path quiet = Synthetic.runFolder(tmp.resolve("night9"), 9, 10_000);
    assertEquals(0, record(h, "--results", quiet.toString(), "--dry-run", "--rerun-args", rerun.toString()));
    assertEquals("", Files.readString(rerun));
  }

  @Test
  void slowerCodeIsSlowerAgainAndFailsTheJob() throws Exception {
    History h = Synthetic.fourQuietRuns(tmp, "history2");
    Path slowerCode = Synthetic.runFolder(tmp.resolve("night5"), 5, 13_000);
    assertEquals(1, record(h, "--results", slowerCode.toString(), "--confirm", Synthetic.runFolder(tmp.resolve("again5"), 6, 12_900).toString()));
    assertEquals(List.of("REGRESSION"), Synthetic.verdicts(h, "20261105T030000Z", CNN_TRAIN));
  }

}
