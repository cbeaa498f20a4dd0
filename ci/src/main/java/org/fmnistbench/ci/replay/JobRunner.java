package org.fmnistbench.ci.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fmnistbench.ci.replay.WorkflowReplay.JobRun;
import org.fmnistbench.ci.replay.WorkflowReplay.RunResult;
import org.fmnistbench.ci.replay.WorkflowReplay.StepRun;

/** One job of a replayed run: its matrix legs, each on a fresh runner (see {@link WorkflowReplay}). */
final class JobRunner {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int DEFAULT_TIMEOUT_MINUTES = 360;

  private final WorkflowReplay replay;
  private final JsonNode workflow;
  private final String job;
  private final JsonNode spec;
  private final RunResult run;
  private final List<JobRun> legs;

  JobRunner(WorkflowReplay replay, JsonNode workflow, String job, RunResult run, List<JobRun> legs) {
    this.replay = replay;
    this.workflow = workflow;
    this.job = job;
    this.spec = workflow.path("jobs").path(job);
    this.run = run;
    this.legs = legs;
  }

  void runAll() {
    ObjectNode base = replay.runContexts(run);
    ObjectNode needs = base.putObject("needs");
    for (String n : WorkflowReplay.needs(workflow, job)) {
      ObjectNode need = needs.putObject(n);
      need.put("result", run.result(n));
      ObjectNode outputs = need.putObject("outputs");
      run.jobs().get(n).forEach(l -> l.outputs().forEach(outputs::put));
    }
    Expressions jobLevel = new Expressions(base, status(needsStatus(), null));
    if (!jobLevel.condition(spec.path("if").isMissingNode() ? null : spec.path("if").asText())) {
      replay.log().printf("replay:   %s skipped (if: %s)%n", job, spec.path("if").asText("success()"));
      if (legs.isEmpty()) {
        legs.add(new JobRun(job, job, NODES.objectNode(), "skipped", Map.of(), List.of(), false, List.of(), null));
      }
      return;
    }
    JsonNode failFast = spec.path("strategy").path("fail-fast");
    boolean cancelOnFailure = failFast.isMissingNode()
        || Expressions.truthy(failFast.isTextual() ? jobLevel.value(failFast.textValue()) : failFast);
    for (ObjectNode matrix : matrices(jobLevel)) {
      String leg = legName(matrix);
      if (legs.stream().anyMatch(l -> l.leg().equals(leg))) {
        continue;
      }
      if (cancelOnFailure && legs.stream().anyMatch(l -> l.result().equals("failure"))) {
        // fail-fast (GitHub's default): a failed leg cancels the legs not yet finished; the replay
        // runs legs one after another, so it cancels every leg after the failed one
        replay.log().printf("replay:   %s cancelled (fail-fast: another leg failed)%n", leg);
        legs.add(new JobRun(job, leg, matrix, "cancelled", Map.of(), List.of(), false, List.of(), null));
        continue;
      }
      legs.add(new Leg(leg, matrix, base.deepCopy()).run());
    }
  }

  /**
   * The status a job's {@code if} sees, as GitHub gives it: cancelled when a need was cancelled;
   * failure when any ancestor failed, however far up the chain (a skipped need does not hide it);
   * skipped, where success() and failure() are both false, when a need was skipped without a
   * failure above it; else success.
   */
  private String needsStatus() {
    List<String> direct = WorkflowReplay.needs(workflow, job);
    if (direct.stream().anyMatch(n -> run.result(n).equals("cancelled"))) {
      return "cancelled";
    }
    List<String> ancestors = new ArrayList<>(direct);
    for (int i = 0; i < ancestors.size(); i++) {
      WorkflowReplay.needs(workflow, ancestors.get(i)).stream()
          .filter(n -> !ancestors.contains(n)).forEach(ancestors::add);
    }
    if (ancestors.stream().anyMatch(n -> run.result(n).equals("failure"))) {
      return "failure";
    }
    return direct.stream().allMatch(n -> run.result(n).equals("success")) ? "success" : "skipped";
  }

  private static Expressions.Runtime status(String status, Path workspace) {
    return new Expressions.Runtime() {
      @Override
      public String status() {
        return status;
      }

      @Override
      public String hashFiles(List<String> patterns) {
        return WorkflowReplay.hashFiles(workspace, patterns);
      }
    };
  }

  /** The matrix's legs: the product of its keys' values (include/exclude are not used here, so refused). */
  private List<ObjectNode> matrices(Expressions expressions) {
    JsonNode m = spec.path("strategy").path("matrix");
    List<ObjectNode> out = new ArrayList<>();
    out.add(NODES.objectNode());
    if (m.isMissingNode()) {
      return out;
    }
    for (var it = m.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("include") || e.getKey().equals("exclude")) {
        throw new IllegalArgumentException("job " + job + ": matrix " + e.getKey() + " is not replayed");
      }
      JsonNode values = e.getValue().isTextual() ? expressions.value(e.getValue().textValue()) : e.getValue();
      if (!values.isArray() || values.isEmpty()) {
        throw new IllegalArgumentException("job " + job + ": matrix." + e.getKey() + " is not a non-empty list: " + values);
      }
      List<ObjectNode> next = new ArrayList<>();
      for (ObjectNode partial : out) {
        for (JsonNode v : values) {
          ObjectNode leg = partial.deepCopy();
          leg.set(e.getKey(), v);
          next.add(leg);
        }
      }
      out = next;
    }
    return out;
  }

  /** GitHub's leg name: the job id and the matrix values, e.g. {@code record (2)}. */
  private String legName(ObjectNode matrix) {
    if (matrix.isEmpty()) {
      return job;
    }
    List<String> parts = new ArrayList<>();
    matrix.forEach(v -> parts.add(v.isObject() ? v.path("name").asText(v.toString()) : Expressions.text(v)));
    return job + " (" + String.join(", ", parts) + ")";
  }

  /** The token's contents permission: the job's permissions, else the workflow's, else read. */
  private String contentsPermission() {
    JsonNode p = spec.has("permissions") ? spec.path("permissions") : workflow.path("permissions");
    if (p.isMissingNode()) {
      return "read";
    }
    if (p.isTextual()) {
      return p.textValue().equals("write-all") ? "write" : p.textValue().equals("read-all") ? "read" : "none";
    }
    return p.path("contents").asText("none");
  }

  /** One matrix leg on a fresh runner. */
  final class Leg {
    final String name;
    final ObjectNode contexts;
    final Path workspace;
    final Path temp;
    final Path home;
    final Path logFile;
    final Map<String, String> env = new LinkedHashMap<>();
    final boolean canWriteContents;
    final List<String> cacheKeys = new ArrayList<>();
    final List<Runnable> postSteps = new ArrayList<>();
    private final ObjectNode matrix;
    private String status = "success";

    Leg(String name, ObjectNode matrix, ObjectNode contexts) {
      this.name = name;
      this.matrix = matrix;
      this.contexts = contexts;
      Path root = replay.scratch().resolve("runs").resolve(run.runId() + "-" + run.attempt())
          .resolve(name.replaceAll("[^A-Za-z0-9._-]+", "_"));
      this.workspace = root.resolve("work");
      this.temp = root.resolve("temp");
      this.home = root.resolve("home");
      this.logFile = root.resolve("log.txt");
      this.canWriteContents = contentsPermission().equals("write");
      try {
        Files.createDirectories(workspace);
        Files.createDirectories(temp);
        Files.createDirectories(home);
        Path userHome = Path.of(System.getProperty("user.home"));
        for (String shared : List.of(".m2", ".npm")) {
          if (Files.isDirectory(userHome.resolve(shared)) && !Files.exists(home.resolve(shared))) {
            Files.createSymbolicLink(home.resolve(shared), userHome.resolve(shared));
          }
        }
        Files.writeString(logFile, "");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make the runner folders of " + name, e);
      }
    }

    Expressions expressions() {
      return new Expressions(contexts, status(status, workspace));
    }

    void log(String line) {
      try {
        Files.writeString(logFile, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + logFile, e);
      }
    }

    /** The environment of a step: the runner's, GitHub's variables, then workflow, job and step env. */
    Map<String, String> stepEnvironment(JsonNode stepEnv) {
      Map<String, String> out = new LinkedHashMap<>(System.getenv());
      out.keySet().removeIf(k -> k.startsWith("GITHUB_") || k.startsWith("RUNNER_") || k.startsWith("MAVEN_")
          || k.equals("CI") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("PWD") || k.equals("OLDPWD"));
      out.put("HOME", home.toString());
      out.put("PATH", replay.scratch().resolve("bin") + ":" + System.getenv("PATH"));
      out.put("CI", "true");
      out.put("GITHUB_ACTIONS", "true");
      out.put("GITHUB_WORKSPACE", workspace.toString());
      out.put("GITHUB_RUN_ID", Long.toString(run.runId()));
      out.put("GITHUB_RUN_ATTEMPT", Integer.toString(run.attempt()));
      out.put("GITHUB_SHA", run.sha());
      out.put("GITHUB_REF", "refs/heads/main");
      out.put("GITHUB_REPOSITORY", "replay/dl4j-fmnist-suite");
      out.put("GITHUB_EVENT_NAME", run.event());
      out.put("GITHUB_JOB", job);
      out.put("RUNNER_TEMP", temp.toString());
      out.put("RUNNER_OS", "Linux");
      out.put("RUNNER_ARCH", "X64");
      out.putAll(env);
      if (stepEnv != null) {
        stepEnv.fields().forEachRemaining(e -> out.put(e.getKey(), expressions().interpolate(e.getValue().asText())));
      }
      return out;
    }

    JobRun run() {
      ObjectNode runner = contexts.putObject("runner");
      runner.put("temp", temp.toString()).put("os", "Linux").put("arch", "X64").put("name", name);
      contexts.set("matrix", matrix);
      contexts.putObject("strategy");
      ObjectNode steps = contexts.putObject("steps");
      contexts.putObject("job").put("status", "success");
      replay.log().printf("replay:   %s (runs-on %s)%n", name,
          Expressions.text(expressions().value(spec.path("runs-on").toString().replaceAll("^\"|\"$", ""))));
      for (JsonNode source : List.of(workflow.path("env"), spec.path("env"))) {
        source.fields().forEachRemaining(e -> env.put(e.getKey(), expressions().interpolate(e.getValue().asText())));
      }
      ObjectNode envContext = contexts.putObject("env");
      env.forEach(envContext::put);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(spec.path("timeout-minutes")
          .asLong(DEFAULT_TIMEOUT_MINUTES));
      List<StepRun> stepRuns = new ArrayList<>();
      int index = 0;
      for (JsonNode step : spec.path("steps")) {
        index++;
        String stepName = stepName(step);
        String condition = step.has("if") ? step.path("if").asText() : null;
        boolean runIt;
        try {
          runIt = expressions().condition(condition);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(name + ", step '" + stepName + "': " + e.getMessage(), e);
        }
        if (!runIt) {
          stepRuns.add(new StepRun(stepName, "skipped"));
          log("== " + stepName + ": skipped");
          continue;
        }
        log("== " + stepName);
        long started = System.nanoTime();
        StepOutcome outcome;
        try {
          outcome = step.has("uses") ? LocalActions.run(this, step.path("uses").asText(), with(step), stepName)
              : script(step, index, stepName, deadline);
        } catch (RuntimeException e) {
          log("replay: " + e.getMessage());
          outcome = new StepOutcome("failure", Map.of());
        }
        // continue-on-error: the step's outcome stays failure, its conclusion (and the job) success
        boolean tolerated = outcome.outcome().equals("failure") && step.path("continue-on-error").asBoolean(false);
        String conclusion = tolerated ? "success" : outcome.outcome();
        if (conclusion.equals("cancelled")) {
          status = "cancelled";
        } else if (conclusion.equals("failure") && !status.equals("cancelled")) {
          status = "failure";
        }
        stepRuns.add(new StepRun(stepName, outcome.outcome()));
        // the step's duration, as GitHub shows it beside each step
        replay.log().printf("replay:     %s: %s (%.1f s)%n", stepName, outcome.outcome(),
            (System.nanoTime() - started) / 1e9);
        if (step.has("id")) {
          ObjectNode s = steps.putObject(step.path("id").asText());
          s.put("outcome", outcome.outcome()).put("conclusion", conclusion);
          ObjectNode outputs = s.putObject("outputs");
          outcome.outputs().forEach(outputs::put);
        }
        ((ObjectNode) contexts.path("job")).put("status", status);
        if (System.nanoTime() > deadline && !status.equals("cancelled")) {
          log("replay: the job passed its timeout-minutes");
          status = "cancelled";
        }
      }
      for (int i = postSteps.size() - 1; i >= 0; i--) {
        postSteps.get(i).run();
      }
      Map<String, String> outputs = new LinkedHashMap<>();
      spec.path("outputs").fields().forEachRemaining(e -> outputs.put(e.getKey(),
          expressions().interpolate(e.getValue().asText())));
      replay.log().printf("replay:   %s: %s%n", name, status);
      return new JobRun(job, name, matrix, status, outputs, stepRuns, canWriteContents, List.copyOf(cacheKeys), logFile);
    }

    private Map<String, String> with(JsonNode step) {
      Map<String, String> out = new LinkedHashMap<>();
      step.path("with").fields().forEachRemaining(e -> out.put(e.getKey(), expressions().interpolate(e.getValue().asText())));
      return out;
    }

    private String stepName(JsonNode step) {
      if (step.has("name")) {
        return expressions().interpolate(step.path("name").asText());
      }
      if (step.has("uses")) {
        return "Run " + step.path("uses").asText();
      }
      return "Run " + step.path("run").asText().strip().lines().findFirst().orElse("");
    }

    /** A run: step, as the runner runs it: bash -e, or GitHub's bash invocation for shell: bash. */
    private StepOutcome script(JsonNode step, int index, String stepName, long jobDeadline) {
      String body = expressions().interpolate(step.path("run").asText());
      try {
        Path file = temp.resolve("step-" + index + ".sh");
        Files.writeString(file, body);
        Path output = temp.resolve("output-" + index);
        Path envFile = temp.resolve("env-" + index);
        Files.writeString(output, "");
        Files.writeString(envFile, "");
        String shell = step.path("shell").asText("");
        List<String> command = switch (shell) {
          case "" -> List.of("bash", "-e", file.toString());
          case "bash" -> List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", file.toString());
          default -> throw new IllegalArgumentException("shell " + shell + " is not replayed");
        };
        Map<String, String> environment = stepEnvironment(step.path("env"));
        environment.put("GITHUB_OUTPUT", output.toString());
        environment.put("GITHUB_ENV", envFile.toString());
        environment.put("GITHUB_STEP_SUMMARY", temp.resolve("summary-" + index).toString());
        Path dir = step.has("working-directory") ? workspace.resolve(step.path("working-directory").asText()) : workspace;
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p = pb.start();
        long stepDeadline = step.has("timeout-minutes")
            ? System.nanoTime() + TimeUnit.MINUTES.toNanos(step.path("timeout-minutes").asLong()) : Long.MAX_VALUE;
        String stopped = null;
        while (!p.waitFor(1, TimeUnit.SECONDS)) {
          if (replay.interrupt().now(name, stepName, home)) {
            stopped = "cancelled";
          } else if (System.nanoTime() > jobDeadline) {
            stopped = "cancelled";
          } else if (System.nanoTime() > stepDeadline) {
            stopped = "failure";
          }
          if (stopped != null) {
            log("replay: stopping the step (" + (stopped.equals("cancelled") ? "the job timed out" : "step timeout") + ")");
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            return new StepOutcome(stopped, Map.of());
          }
        }
        env.putAll(KeyValueFile.read(envFile));
        Map<String, String> outputs = KeyValueFile.read(output);
        return new StepOutcome(p.exitValue() == 0 ? "success" : "failure", outputs);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run step '" + stepName + "' of " + name, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    Path replayOrigin() {
      return replay.origin();
    }

    Path replayScratch() {
      return replay.scratch();
    }

    String statusSoFar() {
      return status;
    }

    RunResult workflowRun() {
      return JobRunner.this.run;
    }
  }

  /** A step's outcome (success, failure or cancelled) and its outputs. */
  record StepOutcome(String outcome, Map<String, String> outputs) {}
}
