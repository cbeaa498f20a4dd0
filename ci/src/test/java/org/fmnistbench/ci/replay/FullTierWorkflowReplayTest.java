package org.fmnistbench.ci.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * full-tier.yml, replayed as GitHub would run it (see {@link WorkflowReplay}), at the smoke tier
 * of cnn (one epoch of 1000 images a run): a two-shard campaign whose second shard is stopped
 * half way (as a job timeout stops it) and re-run alone, then a campaign at a new commit that
 * records committed runs again. Seeds 11-14: the committed smoke baselines hold 1-10.
 */
class FullTierWorkflowReplayTest {
  private static final String WORKFLOW = ".github/workflows/full-tier.yml";
  private final Path tmp = ReplayFolders.fresh("full-tier");

  private static List<String> rows(Path origin, String ref, String variant, String tier) {
    return WorkflowReplay.git(origin, "show", ref + ":baselines/accuracy.csv").lines()
        .filter(l -> l.startsWith(variant + "," + tier + ",")).toList();
  }

  private static String seedAndCommit(String row) {
    Matcher m = Pattern.compile("\",(\\d+),.*\"([0-9a-f]{40})\"").matcher(row);
    assertTrue(m.find(), row);
    return m.group(1) + "@" + m.group(2);
  }

  /** The seeds a job's log shows recorded (a row written). */
  private static Set<String> seedsRecorded(Path log) throws Exception {
    return seeds(log, "recorded cnn smoke seed (\\d+)");
  }

  /** The seeds a job's log shows training (progress lines), as opposed to reusing a finished run. */
  private static Set<String> seedsTrained(Path log) throws Exception {
    return seeds(log, "cnn seed (\\d+) epoch 1/1");
  }

  private static Set<String> seeds(Path log, String pattern) throws Exception {
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile(pattern).matcher(Files.readString(log));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void aKilledShardReRunAloneFinishesItsSliceAndARecordingAtANewCommitReplacesByName() throws Exception {
    Path origin = NightlyWorkflowReplayTest.freshOrigin(tmp);
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    Map<String, String> campaign = Map.of("shards", "2", "variants", "cnn", "seeds", "11-14", "tier", "smoke");

    // shard 2 stops once its first run has finished: its checkpoint folder holds a result
    replay.interrupting((leg, step, home) -> leg.equals("record (2)") && step.startsWith("Record")
        && hasResult(home.resolve(".cache/dl4j-fmnist-suite/runs")));
    WorkflowReplay.RunResult first = replay.run(WORKFLOW, "workflow_dispatch", campaign);
    assertEquals("success", first.leg("record", "record (1)").result(), first.summary());
    assertEquals("cancelled", first.leg("record", "record (2)").result(), first.summary());
    assertEquals("skipped", first.result("merge"), first.summary());

    WorkflowReplay.RunResult again = replay.interrupting(WorkflowReplay.Interrupt.NONE).rerunFailed(first);
    assertEquals("success", again.result("record"), again.summary());
    assertEquals("success", again.result("merge"), again.summary());
    // the re-run trained only what shard 2 had left: its finished run came back from the cache
    // (the second run may have started before the stop; it had not finished, so it is trained again)
    // (stopped once one run had finished, and a run takes seconds: exactly one was left)
    Set<String> trainedAfter = seedsTrained(again.leg("record", "record (2)").log());
    Set<String> recordedAfter = seedsRecorded(again.leg("record", "record (2)").log());
    assertEquals(2, recordedAfter.size(), recordedAfter.toString());
    assertEquals(1, trainedAfter.size(), trainedAfter.toString());
    assertTrue(recordedAfter.containsAll(trainedAfter), recordedAfter + " " + trainedAfter);
    String branch = "full-tier/" + first.runId();
    List<String> recorded = rows(origin, branch, "cnn", "smoke");
    String sha = first.sha();
    List<String> campaignRows = recorded.stream().filter(r -> r.contains(sha)).toList();
    assertEquals(List.of("11@" + sha, "12@" + sha, "13@" + sha, "14@" + sha),
        campaignRows.stream().map(FullTierWorkflowReplayTest::seedAndCommit).sorted().toList());
    // every row ran oneDNN capped at AVX2, as the committed rows did
    assertTrue(campaignRows.stream().allMatch(r -> r.contains("onednn-max-isa=avx2")), campaignRows.toString());

    // a maintainer merges the campaign; a later campaign at that commit records seeds 6-7 again
    String defaultBranch = WorkflowReplay.git(origin, "symbolic-ref", "HEAD").strip();
    WorkflowReplay.git(origin, "update-ref", defaultBranch, "refs/heads/" + branch);
    String newSha = WorkflowReplay.git(origin, "rev-parse", "HEAD").strip();
    WorkflowReplay.RunResult rerecord = replay.run(WORKFLOW, "workflow_dispatch",
        Map.of("shards", "2", "variants", "cnn", "seeds", "11-12", "tier", "smoke", "missing", "false"));
    assertEquals("success", rerecord.result("merge"), rerecord.summary());
    Set<String> trained = new TreeSet<>();
    for (WorkflowReplay.JobRun leg : rerecord.jobs().get("record")) {
      trained.addAll(seedsTrained(leg.log()));
    }
    // trained again at the new commit: the earlier campaign's checkpoints were not restored
    assertEquals(Set.of("11", "12"), trained);
    List<String> after = rows(origin, "full-tier/" + rerecord.runId(), "cnn", "smoke").stream()
        .filter(r -> r.contains(sha) || r.contains(newSha)).map(FullTierWorkflowReplayTest::seedAndCommit).sorted().toList();
    assertEquals(List.of("11@" + newSha, "12@" + newSha, "13@" + sha, "14@" + sha), after);
    String mergeLog = Files.readString(rerecord.leg("merge", "merge").log());
    assertTrue(mergeLog.contains("replaced cnn smoke layer-api seed 11") && mergeLog.contains("replaced cnn smoke layer-api seed 12"),
        mergeLog);
  }

  private static boolean hasResult(Path runs) {
    if (!Files.isDirectory(runs)) {
      return false;
    }
    try (var tree = Files.walk(runs)) {
      return tree.anyMatch(p -> p.getFileName().toString().equals("result.json"));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }
}
