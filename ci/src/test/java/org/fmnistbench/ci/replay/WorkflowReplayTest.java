package org.fmnistbench.ci.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay itself, on small workflows: jobs, matrix, outputs, artifacts, caches, permissions,
 * timeouts, and the status a job's if reads.
 */
class WorkflowReplayTest {
  @TempDir Path tmp;

  static final String WORKFLOW = """
      name: t
      on:
        workflow_dispatch:
          inputs:
            legs:
              default: "2"
      permissions:
        contents: read
      jobs:
        plan:
          runs-on: ubuntu-latest
          outputs:
            legs: ${{ steps.p.outputs.legs }}
          steps:
            - uses: actions/checkout@v4
            - id: p
              env:
                N: ${{ inputs.legs }}
              run: echo "legs=$(seq 1 "$N" | jq -sc .)" >> "$GITHUB_OUTPUT"
        work:
          needs: plan
          strategy:
            matrix:
              leg: ${{ fromJSON(needs.plan.outputs.legs) }}
          runs-on: ubuntu-latest
          timeout-minutes: 5
          steps:
            - uses: actions/cache/restore@v4
              with:
                path: ~/state
                key: state-${{ matrix.leg }}-${{ github.run_id }}
                restore-keys: state-${{ matrix.leg }}-
            - run: |
                mkdir -p out ~/state
                echo "${{ matrix.leg }}" > out/leg.txt
                touch ~/state/leg-${{ matrix.leg }}-run-$GITHUB_RUN_ID
                ls ~/state > out/state.txt
                if [ "$STOP" = "${{ matrix.leg }}" ] && [ "$GITHUB_RUN_ATTEMPT" = 1 ]; then sleep 600; fi
              env:
                STOP: ${{ vars.STOP }}
            - uses: actions/cache/save@v4
              if: always()
              with:
                path: ~/state
                key: state-${{ matrix.leg }}-${{ github.run_id }}-${{ github.run_attempt }}
            - uses: actions/upload-artifact@v4
              if: always()
              with:
                name: leg-${{ matrix.leg }}
                path: out
        push:
          needs: work
          permissions:
            contents: write
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - uses: actions/download-artifact@v4
              with:
                pattern: leg-*
                path: got
            - run: |
                cat got/*/leg.txt | sort | tr '\\n' ' ' > legs.txt
                git add legs.txt
                git -c user.name=t -c user.email=t@t commit -qm legs
                git push -q origin HEAD:refs/heads/results
        denied:
          needs: work
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: git push -q origin HEAD:refs/heads/denied
      """;

  /** A failure, and the jobs after it whose if reads their needs' status. */
  static final String CHAIN = """
      name: chain
      on: workflow_dispatch
      jobs:
        broken:
          runs-on: ubuntu-latest
          outputs:
            seen: ${{ steps.look.outputs.seen }}
          steps:
            - id: try
              continue-on-error: true
              run: exit 3
            - id: look
              run: echo "seen=${{ steps.try.outcome }}/${{ steps.try.conclusion }}/${{ job.status }}" >> "$GITHUB_OUTPUT"
            - run: exit 1
        skippedAfterFailure:
          needs: broken
          runs-on: ubuntu-latest
          steps:
            - run: true
        failureTwoUp:
          needs: skippedAfterFailure
          if: failure()
          runs-on: ubuntu-latest
          steps:
            - run: true
        cleanup:
          needs: broken
          if: always()
          runs-on: ubuntu-latest
          steps:
            - run: true
        failureBehindCleanup:
          needs: cleanup
          if: failure()
          runs-on: ubuntu-latest
          steps:
            - run: true
        never:
          if: false
          runs-on: ubuntu-latest
          steps:
            - run: true
        failureAfterSkip:
          needs: never
          if: failure()
          runs-on: ubuntu-latest
          steps:
            - run: true
        alwaysAfterSkip:
          needs: never
          if: always()
          runs-on: ubuntu-latest
          steps:
            - run: true
      """;

  /** The cache actions' lookup-only and fail-on-cache-miss, and inputs one of them lacks. */
  static final String CACHES = """
      name: caches
      on:
        workflow_dispatch:
          inputs:
            save-always:
              type: boolean
              default: false
      jobs:
        seed:
          runs-on: ubuntu-latest
          steps:
            - run: mkdir -p ~/c && echo one > ~/c/f
            - uses: actions/cache/save@v4
              with:
                path: ~/c
                key: c-1
        look:
          needs: seed
          runs-on: ubuntu-latest
          outputs:
            seen: ${{ steps.see.outputs.seen }}
          steps:
            - id: only
              uses: actions/cache/restore@v4
              with:
                path: ~/c
                key: c-1
                lookup-only: true
            - id: miss
              continue-on-error: true
              uses: actions/cache/restore@v4
              with:
                path: ~/d
                key: d-1
                restore-keys: d-
                fail-on-cache-miss: true
            - id: foreign
              continue-on-error: true
              uses: actions/cache/save@v4
              with:
                path: ~/c
                key: c-2
                restore-keys: c-
            - id: see
              run: |
                test ! -e ~/c/f
                echo "seen=${{ steps.only.outputs.cache-hit }}/${{ steps.miss.outcome }}/${{ steps.foreign.outcome }}" >> "$GITHUB_OUTPUT"
        failing:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/cache@v4
              with:
                path: ~/e
                key: e-${{ inputs.save-always }}
                save-always: ${{ inputs.save-always }}
            - run: mkdir -p ~/e && touch ~/e/f && exit 1
        afterFailing:
          needs: failing
          if: always()
          runs-on: ubuntu-latest
          steps:
            - uses: actions/cache/restore@v4
              with:
                path: ~/e
                key: e-${{ inputs.save-always }}
                fail-on-cache-miss: true
      """;

  /** checkout's ref, github-action-benchmark's entries, and inputs whose effect the replay does not have. */
  static final String PAGES = """
      name: pages
      on: workflow_dispatch
      permissions:
        contents: write
      jobs:
        publish:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: echo '[{"name":"a","unit":"us","value":1.5,"range":"± 0.1","other":2}]' > b.json
            - uses: benchmark-action/github-action-benchmark@v1
              with:
                name: t
                tool: customSmallerIsBetter
                output-file-path: b.json
                github-token: x
                auto-push: true
        refs:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with:
                ref: ${{ github.sha }}
                path: bySha
            - uses: actions/checkout@v4
              with:
                ref: refs/heads/gh-pages
                path: byRef
            - run: |
                test "$(git -C bySha rev-parse HEAD)" = "$GITHUB_SHA"
                test "$(git -C byRef rev-parse --abbrev-ref HEAD)" = gh-pages
        otherTool:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - uses: benchmark-action/github-action-benchmark@v1
              with:
                name: t
                tool: jmh
                output-file-path: b.json
        alerting:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - uses: benchmark-action/github-action-benchmark@v1
              with:
                name: t
                tool: customSmallerIsBetter
                output-file-path: b.json
                fail-on-alert: true
        otherRun:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/download-artifact@v4
              with:
                name: x
                run-id: 7
      """;

  /** A matrix whose first leg fails, with the default fail-fast and without it. */
  static final String LEGS = """
      name: legs
      on: workflow_dispatch
      jobs:
        fast:
          strategy:
            matrix:
              leg: [1, 2, 3]
          runs-on: ubuntu-latest
          steps:
            - run: test "${{ matrix.leg }}" != 1
        patient:
          strategy:
            fail-fast: false
            matrix:
              leg: [1, 2, 3]
          runs-on: ubuntu-latest
          steps:
            - run: test "${{ matrix.leg }}" != 1
      """;

  /** A job that fails on its first attempt and says which event it ran for. */
  static final String EVENTS = """
      name: events
      on: [schedule, workflow_dispatch]
      jobs:
        once:
          runs-on: ubuntu-latest
          outputs:
            event: ${{ steps.e.outputs.event }}
          steps:
            - id: e
              run: echo "event=$GITHUB_EVENT_NAME/${{ github.event_name }}" >> "$GITHUB_OUTPUT"
            - run: test "$GITHUB_RUN_ATTEMPT" != 1
      """;

  static Path origin(Path tmp, Map<String, String> files) throws IOException {
    Path work = tmp.resolve("author");
    Files.createDirectories(work);
    WorkflowReplay.git(work, "init", "-q", "-b", "main");
    for (var f : files.entrySet()) {
      Path p = work.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    WorkflowReplay.git(work, "add", ".");
    WorkflowReplay.git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start");
    Path origin = tmp.resolve("origin.git");
    WorkflowReplay.exec(List.of("git", "clone", "-q", "--bare", work.toString(), origin.toString()), tmp, Map.of());
    return origin;
  }

  private static boolean hasBranch(Path origin, String branch) {
    return !WorkflowReplay.git(origin, "branch", "--list", branch).isBlank();
  }

  @Test
  void jobsRunInOrderWithTheirMatrixArtifactsAndPermissions() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/t.yml", WORKFLOW));
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    WorkflowReplay.RunResult run = replay.run(".github/workflows/t.yml", "workflow_dispatch", Map.of("legs", "3"));
    assertEquals("success", run.result("plan"), run.summary());
    assertEquals(List.of("work (1)", "work (2)", "work (3)"), run.jobs().get("work").stream().map(l -> l.leg()).toList());
    assertEquals("success", run.result("push"), run.summary());
    assertEquals("1 2 3 ", WorkflowReplay.git(origin, "show", "results:legs.txt"));
    // the workflow grants contents: read; only the job that asks for write may push
    assertEquals("failure", run.result("denied"), run.summary());
    assertTrue(!hasBranch(origin, "denied"));
  }

  @Test
  void aTimedOutLegRunsItsAlwaysStepsAndARerunDoesOnlyTheFailedLeg() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/t.yml", WORKFLOW));
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of("STOP", "2"), System.out)
        .interrupting((leg, step, home) -> leg.equals("work (2)") && Files.isDirectory(home.resolve("state")));
    WorkflowReplay.RunResult first = replay.run(".github/workflows/t.yml", "workflow_dispatch", Map.of());
    assertEquals("cancelled", first.leg("work", "work (2)").result(), first.summary());
    assertEquals("success", first.leg("work", "work (1)").result(), first.summary());
    // cancelled work: the jobs that need it are skipped, and the always() steps saved and uploaded
    assertEquals("skipped", first.result("push"), first.summary());
    assertTrue(first.leg("work", "work (2)").steps().stream().anyMatch(s -> s.name().contains("upload-artifact")
        && s.outcome().equals("success")), first.leg("work", "work (2)").steps().toString());

    WorkflowReplay.RunResult again = replay.interrupting(WorkflowReplay.Interrupt.NONE).rerunFailed(first);
    assertEquals(2, again.attempt());
    assertEquals("success", again.result("work"), again.summary());
    assertEquals("success", again.result("push"), again.summary());
    // leg 1 was not run again; leg 2 restored its own state from the cancelled attempt
    Path leg2 = tmp.resolve("scratch/runs/" + again.runId() + "-2/work_2_/work/out/state.txt");
    assertEquals(List.of("leg-2-run-" + first.runId()), Files.readAllLines(leg2));
    assertTrue(Files.notExists(tmp.resolve("scratch/runs/" + again.runId() + "-2/work_1_")));
  }

  @Test
  void aJobsIfSeesItsAncestorsAsGitHubGivesThem() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/chain.yml", CHAIN));
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    WorkflowReplay.RunResult run = replay.run(".github/workflows/chain.yml", "workflow_dispatch", Map.of());
    // continue-on-error: the step's outcome is failure, its conclusion and the job so far success
    assertEquals("failure/success/success", run.jobs().get("broken").get(0).outputs().get("seen"), run.summary());
    assertEquals("failure", run.result("broken"), run.summary());
    assertEquals("skipped", run.result("skippedAfterFailure"), run.summary());
    // failure() holds when any ancestor failed, through a skipped job and through a job that succeeded
    assertEquals("success", run.result("failureTwoUp"), run.summary());
    assertEquals("success", run.result("cleanup"), run.summary());
    assertEquals("success", run.result("failureBehindCleanup"), run.summary());
    // a need skipped with no failure above it: neither success() nor failure(), only always()
    assertEquals("skipped", run.result("never"), run.summary());
    assertEquals("skipped", run.result("failureAfterSkip"), run.summary());
    assertEquals("success", run.result("alwaysAfterSkip"), run.summary());
  }

  @Test
  void theCacheActionsLookUpFailOnAMissAndTakeOnlyTheirOwnInputs() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/caches.yml", CACHES));
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    WorkflowReplay.RunResult run = replay.run(".github/workflows/caches.yml", "workflow_dispatch", Map.of());
    // lookup-only: a hit, nothing restored (the step after it checks ~/c/f is absent); a miss
    // under fail-on-cache-miss fails; save has no restore-keys input
    assertEquals("true/failure/failure", run.jobs().get("look").get(0).outputs().get("seen"), run.summary());
    assertEquals("success", run.result("look"), run.summary());
    // a failed job saves its cache only under save-always
    assertEquals("failure", run.result("afterFailing"), run.summary());
    WorkflowReplay.RunResult always = replay.run(".github/workflows/caches.yml", "workflow_dispatch",
        Map.of("save-always", "true"));
    assertEquals("success", always.result("afterFailing"), always.summary());
  }

  @Test
  void refsAndBenchmarkEntriesAsTheActionsTakeThemAndUnreplayedInputsFail() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/pages.yml", PAGES));
    WorkflowReplay.git(origin, "branch", "gh-pages", "main");
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    WorkflowReplay.RunResult run = replay.run(".github/workflows/pages.yml", "workflow_dispatch", Map.of());
    assertEquals("success", run.result("publish"), run.summary());
    assertEquals("success", run.result("refs"), run.summary());
    String data = WorkflowReplay.git(origin, "show", "gh-pages:dev/bench/data.js");
    assertTrue(data.contains("\"range\" : \"± 0.1\"") && !data.contains("other"), data);
    Map<String, String> refusals = Map.of("otherTool", "tool 'jmh' is not replayed",
        "alerting", "fail-on-alert: true is not replayed", "otherRun", "run-id (another run's artifacts) is not replayed");
    for (var r : refusals.entrySet()) {
      WorkflowReplay.JobRun leg = run.jobs().get(r.getKey()).get(0);
      assertEquals("failure", leg.result(), run.summary());
      String log = Files.readString(leg.log());
      assertTrue(log.contains(r.getValue()), log);
    }
  }

  @Test
  void aFailedLegCancelsTheOthersUnlessFailFastIsOff() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/legs.yml", LEGS));
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    WorkflowReplay.RunResult run = replay.run(".github/workflows/legs.yml", "workflow_dispatch", Map.of());
    assertEquals(List.of("failure", "cancelled", "cancelled"),
        run.jobs().get("fast").stream().map(WorkflowReplay.JobRun::result).toList(), run.summary());
    assertEquals(List.of("failure", "success", "success"),
        run.jobs().get("patient").stream().map(WorkflowReplay.JobRun::result).toList(), run.summary());
  }

  @Test
  void keysTheReplayDoesNotGiveTheirEffectAreRefused() throws Exception {
    // each: the workflow, and the start of its refusal
    List<List<String>> cases = List.of(
        List.of(LEGS.replace("jobs:\n", "defaults:\n  run:\n    working-directory: sub\njobs:\n"),
            "the workflow: 'defaults' is not replayed"),
        List.of(LEGS.replaceFirst("!= 1\n", "!= 1\n        continue-on-eror: true\n"),
            "job fast, step 1: 'continue-on-eror' is not replayed"),
        List.of(LEGS.replace("fail-fast: false", "fail-fast: false\n      max-paralel: 1"),
            "job patient's strategy: 'max-paralel' is not replayed"));
    for (int i = 0; i < cases.size(); i++) {
      String refusal = refusedBeforeAnyJob(Files.createDirectories(tmp.resolve("case" + i)), cases.get(i).get(0));
      assertTrue(refusal.startsWith(cases.get(i).get(1)), refusal);
    }
  }

  /** The refusal of a workflow_dispatch run of {@code workflow}, replayed in {@code at}, after checking no job ran. */
  private static String refusedBeforeAnyJob(Path at, String workflow) throws Exception {
    Path origin = origin(at, Map.of(".github/workflows/w.yml", workflow));
    WorkflowReplay replay = new WorkflowReplay(origin, at.resolve("scratch"), Map.of(), System.out);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> replay.run(".github/workflows/w.yml", "workflow_dispatch", Map.of()));
    assertTrue(Files.notExists(at.resolve("scratch/runs")), "a job ran");
    return e.getMessage();
  }

  @Test
  void aRunIsForAnEventItsWorkflowNamesAndARerunKeepsIt() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/events.yml", EVENTS));
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> replay.run(".github/workflows/events.yml", "push", Map.of()));
    assertTrue(e.getMessage().endsWith("is not triggered by push; its on: names [schedule, workflow_dispatch]"),
        e.getMessage());
    WorkflowReplay.RunResult first = replay.run(".github/workflows/events.yml", "schedule", Map.of());
    assertEquals("failure", first.result("once"), first.summary());
    WorkflowReplay.RunResult again = replay.rerunFailed(first);
    assertEquals("success", again.result("once"), again.summary());
    assertEquals("schedule/schedule", again.jobs().get("once").get(0).outputs().get("event"));
  }

  @Test
  void needsThatAreNotJobIdsAreRefused() throws Exception {
    // unquoted, YAML 1.1 reads the job id off as false; GitHub would read it as the id
    String refusal = refusedBeforeAnyJob(tmp, CHAIN.replace("needs: never", "needs: off"));
    assertTrue(refusal.startsWith("job failureAfterSkip: needs: false is not a job id"), refusal);
  }

  @Test
  void anInputTheWorkflowDoesNotDeclareIsRefused() throws Exception {
    Path origin = origin(tmp, Map.of(".github/workflows/t.yml", WORKFLOW));
    WorkflowReplay replay = new WorkflowReplay(origin, tmp.resolve("scratch"), Map.of(), System.out);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> replay.run(".github/workflows/t.yml", "workflow_dispatch", Map.of("shards", "2")));
    assertTrue(e.getMessage().contains("legs"), e.getMessage());
  }
}
