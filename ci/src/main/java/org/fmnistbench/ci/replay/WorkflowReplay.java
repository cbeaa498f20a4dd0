package org.fmnistbench.ci.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a GitHub Actions workflow's jobs on this machine as GitHub would run them, so that a
 * workflow is proved by running it rather than by reading it (docs/fleet.md).
 *
 * <ul>
 *   <li>The repository is a local bare repository ({@code origin}) playing GitHub's: the workflow
 *       is read from its default branch, checkouts clone it, and pushes land in it.</li>
 *   <li>Jobs run in the order of their {@code needs}, each matrix leg in fresh folders (workspace,
 *       {@code RUNNER_TEMP}, {@code HOME}) with the {@code GITHUB_*} variables set; {@code run:}
 *       steps run exactly as written, through bash as the runner invokes it; {@code if:},
 *       outputs, {@code GITHUB_ENV}, step and job timeouts and fail-fast behave as on GitHub.
 *       A key the replay does not give its effect is refused before any job runs.</li>
 *   <li>Each {@code uses:} action is replaced by a local equivalent of what it does
 *       ({@link LocalActions}): checkout is a clone, artifacts and caches are folders under the
 *       scratch folder, and github-action-benchmark writes its gh-pages layout into origin.</li>
 *   <li>The job's token has the permissions the workflow grants it: a checkout whose job may not
 *       write contents, or that persists no credentials, cannot push.</li>
 * </ul>
 *
 * <p>What is not replayed, because it is the hosted machine itself: the runner image (every job
 * runs on this machine, whatever its {@code runs-on}), and the Maven repository, which each job
 * shares with this machine as a warm cache would give it (cache keys are recorded and checked,
 * the repository's contents are not copied).
 */
public final class WorkflowReplay {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Stops a running step as a job timeout would (the runner cancels the job; always() steps still run). */
  public interface Interrupt {
    Interrupt NONE = (leg, step, home) -> false;

    boolean now(String leg, String step, Path home);
  }

  /** One step's outcome: success, failure, skipped. */
  public record StepRun(String name, String outcome) {}

  /**
   * One matrix leg of a job (a job without a matrix has one).
   *
   * @param result success, failure, cancelled or skipped
   * @param canPush whether the job's token may push contents
   * @param cacheKeys the cache keys its steps restored or saved
   */
  public record JobRun(String job, String leg, JsonNode matrix, String result, Map<String, String> outputs,
      List<StepRun> steps, boolean canPush, List<String> cacheKeys, Path log) {}

  /** A workflow run: the event that triggered it, and its jobs' legs, by job id, in the order they ran. */
  public record RunResult(String workflow, String event, long runId, int attempt, String sha, ObjectNode inputs,
      Map<String, List<JobRun>> jobs) {
    /** A job's result over its legs, as {@code needs.<job>.result} says it. */
    public String result(String job) {
      List<JobRun> legs = jobs.getOrDefault(job, List.of());
      if (legs.isEmpty()) {
        return "skipped";
      }
      if (legs.stream().anyMatch(l -> l.result().equals("failure"))) {
        return "failure";
      }
      if (legs.stream().anyMatch(l -> l.result().equals("cancelled"))) {
        return "cancelled";
      }
      if (legs.stream().allMatch(l -> l.result().equals("skipped"))) {
        return "skipped";
      }
      return "success";
    }

    public JobRun leg(String job, String leg) {
      return jobs.getOrDefault(job, List.of()).stream().filter(l -> l.leg().equals(leg)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("run " + runId + " has no leg '" + leg + "' of job " + job
              + "; it has " + jobs.getOrDefault(job, List.of()).stream().map(JobRun::leg).toList()));
    }

    /** Every leg's result, e.g. {@code bench (cpu)=success}, for messages. */
    public String summary() {
      List<String> out = new ArrayList<>();
      jobs.values().forEach(legs -> legs.forEach(l -> out.add(l.leg() + "=" + l.result())));
      return String.join(", ", out);
    }
  }

  private final Path origin;
  private final Path scratch;
  private final Map<String, String> vars;
  private final PrintStream log;
  private Interrupt interrupt = Interrupt.NONE;
  private long nextRunId = 1000;

  /**
   * @param origin the bare repository that plays GitHub's
   * @param scratch where the runner machines' folders, artifacts and caches go
   * @param vars the repository's configuration variables ({@code vars.*})
   */
  public WorkflowReplay(Path origin, Path scratch, Map<String, String> vars, PrintStream log) {
    this.origin = origin.toAbsolutePath();
    this.scratch = scratch.toAbsolutePath();
    this.vars = Map.copyOf(vars);
    this.log = log;
    try {
      // hosted runners give passwordless sudo; here the replay's user runs the command itself
      Path sudo = this.scratch.resolve("bin/sudo");
      Files.createDirectories(sudo.getParent());
      Files.writeString(sudo, "#!/bin/sh\nexec \"$@\"\n");
      sudo.toFile().setExecutable(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + scratch, e);
    }
  }

  /** The next steps run are stopped where {@code interrupt} says, as a job timeout stops them. */
  public WorkflowReplay interrupting(Interrupt interrupt) {
    this.interrupt = interrupt;
    return this;
  }

  Path origin() {
    return origin;
  }

  Path scratch() {
    return scratch;
  }

  /** Runs a workflow of origin's default branch, as triggered by {@code event}. */
  public RunResult run(String workflowFile, String event, Map<String, String> inputs) {
    String sha = git(origin, "rev-parse", "HEAD").trim();
    JsonNode workflow = readWorkflow(sha, workflowFile);
    refuseUndeclaredEvent(workflow, workflowFile, event);
    ObjectNode typedInputs = inputs(workflow, event, inputs);
    RunResult result = new RunResult(workflowFile, event, nextRunId++, 1, sha, typedInputs, new LinkedHashMap<>());
    return execute(workflow, result, Map.of(), new LinkedHashSet<>(jobIds(workflow)));
  }

  /** GitHub's "re-run failed jobs": the failed and cancelled legs and every job that needs them. */
  public RunResult rerunFailed(RunResult previous) {
    JsonNode workflow = readWorkflow(previous.sha(), previous.workflow());
    Map<String, List<JobRun>> kept = new LinkedHashMap<>();
    Set<String> rerun = new LinkedHashSet<>();
    for (String job : jobIds(workflow)) {
      List<String> needs = needs(workflow, job);
      boolean dependsOnRerun = needs.stream().anyMatch(rerun::contains);
      List<JobRun> legs = previous.jobs().getOrDefault(job, List.of());
      List<JobRun> ok = legs.stream().filter(l -> l.result().equals("success")).toList();
      if (dependsOnRerun || ok.size() != legs.size() || legs.isEmpty()) {
        rerun.add(job);
        if (!dependsOnRerun) {
          kept.put(job, new ArrayList<>(ok));
        }
      } else {
        kept.put(job, new ArrayList<>(legs));
      }
    }
    // a re-run keeps its run's event (a scheduled night's re-run is still github.event_name schedule)
    RunResult result = new RunResult(previous.workflow(), previous.event(), previous.runId(), previous.attempt() + 1,
        previous.sha(), previous.inputs(), new LinkedHashMap<>());
    return execute(workflow, result, kept, rerun);
  }

  private JsonNode readWorkflow(String sha, String workflowFile) {
    try {
      return YAML.readTree(git(origin, "show", sha + ":" + workflowFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + workflowFile + " at " + sha + " as YAML", e);
    }
  }

  /** GitHub runs a workflow only for the events its on: names (one, a list, or a map's keys). */
  private static void refuseUndeclaredEvent(JsonNode workflow, String file, String event) {
    JsonNode on = workflow.path("on");
    List<String> events = new ArrayList<>();
    if (on.isTextual()) {
      events.add(on.textValue());
    } else if (on.isArray()) {
      on.forEach(e -> events.add(e.asText()));
    } else {
      events.addAll(fieldNames(on));
    }
    if (!events.contains(event)) {
      throw new IllegalArgumentException(file + " is not triggered by " + event + "; its on: names " + events);
    }
  }

  /** workflow_dispatch inputs: the given ones over the declared defaults, booleans typed. */
  private static ObjectNode inputs(JsonNode workflow, String event, Map<String, String> given) {
    ObjectNode out = NODES.objectNode();
    JsonNode declared = workflow.path("on").path(event).path("inputs");
    for (String name : given.keySet()) {
      if (!declared.has(name)) {
        throw new IllegalArgumentException("input '" + name + "' is not declared by the workflow's " + event
            + "; it declares " + fieldNames(declared));
      }
    }
    for (String name : fieldNames(declared)) {
      JsonNode spec = declared.path(name);
      String value = given.getOrDefault(name, spec.path("default").asText(""));
      out.set(name, spec.path("type").asText("").equals("boolean") ? BooleanNode.valueOf(Boolean.parseBoolean(value))
          : TextNode.valueOf(value));
    }
    return out;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static List<String> jobIds(JsonNode workflow) {
    return fieldNames(workflow.path("jobs"));
  }

  /**
   * Job {@code job}'s needs: one id or a list of them. Anything else is refused, naming the job, not
   * read as no needs: the YAML 1.1 reader takes an unquoted off, on, yes or no for a boolean, where
   * GitHub reads an id.
   */
  static List<String> needs(JsonNode workflow, String job) {
    JsonNode n = workflow.path("jobs").path(job).path("needs");
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.textValue());
    } else if (n.isArray()) {
      n.forEach(e -> out.add(e.isTextual() ? e.textValue() : null));
    }
    if (!(n.isMissingNode() || n.isTextual() || n.isArray()) || out.contains(null)) {
      throw new IllegalArgumentException("job " + job + ": needs: " + n + " is not a job id or a list of them"
          + " (an unquoted off, on, yes or no reads as a boolean here: quote it)");
    }
    return out;
  }

  private RunResult execute(JsonNode workflow, RunResult result, Map<String, List<JobRun>> kept, Set<String> rerun) {
    log.printf("replay: %s run %d attempt %d at %s%n", result.workflow(), result.runId(), result.attempt(),
        result.sha().substring(0, 12));
    // every job's keys and needs are checked before any job runs
    refuseUnreplayedKeys(workflow);
    List<String> earlier = new ArrayList<>();
    for (String job : jobIds(workflow)) {
      for (String need : needs(workflow, job)) {
        if (!earlier.contains(need)) {
          throw new IllegalArgumentException("job " + job + " needs " + need + ", which is not an earlier job");
        }
      }
      earlier.add(job);
    }
    for (String job : jobIds(workflow)) {
      List<JobRun> legs = new ArrayList<>(kept.getOrDefault(job, List.of()));
      result.jobs().put(job, legs);
      if (rerun.contains(job)) {
        new JobRunner(this, workflow, job, result, legs).runAll();
      }
    }
    log.printf("replay: %s run %d attempt %d: %s%n", result.workflow(), result.runId(), result.attempt(),
        result.summary());
    return result;
  }

  private static final List<String> WORKFLOW_KEYS = List.of("name", "run-name", "on", "permissions", "env",
      "concurrency", "jobs");
  private static final List<String> JOB_KEYS = List.of("name", "runs-on", "needs", "if", "permissions", "strategy",
      "timeout-minutes", "outputs", "steps", "env", "concurrency");
  private static final List<String> STRATEGY_KEYS = List.of("matrix", "fail-fast", "max-parallel");
  private static final List<String> STEP_KEYS = List.of("id", "name", "if", "run", "uses", "with", "env",
      "timeout-minutes", "continue-on-error", "shell", "working-directory");

  /**
   * Refuses a key the replay does not give its effect (defaults, services, a job's
   * continue-on-error...), naming where it is, so that a workflow never replays green by ignoring
   * it. concurrency and max-parallel are kept: one run and one leg at a time satisfies any of them.
   */
  static void refuseUnreplayedKeys(JsonNode workflow) {
    refuseUnlisted(workflow, WORKFLOW_KEYS, "the workflow");
    for (String job : jobIds(workflow)) {
      JsonNode spec = workflow.path("jobs").path(job);
      refuseUnlisted(spec, JOB_KEYS, "job " + job);
      refuseUnlisted(spec.path("strategy"), STRATEGY_KEYS, "job " + job + "'s strategy");
      int index = 0;
      for (JsonNode step : spec.path("steps")) {
        index++;
        refuseUnlisted(step, STEP_KEYS, "job " + job + ", step " + index);
      }
    }
  }

  private static void refuseUnlisted(JsonNode node, List<String> known, String where) {
    for (String key : fieldNames(node)) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(where + ": '" + key + "' is not replayed (the replay knows " + known + ")");
      }
    }
  }

  /** The contexts every job of a run shares. */
  ObjectNode runContexts(RunResult run) {
    ObjectNode c = NODES.objectNode();
    ObjectNode github = c.putObject("github");
    github.put("event_name", run.event()).put("run_id", Long.toString(run.runId()))
        .put("run_attempt", Integer.toString(run.attempt())).put("sha", run.sha()).put("ref", "refs/heads/main")
        .put("ref_name", "main").put("repository", "replay/dl4j-fmnist-suite").put("server_url", "file://" + origin)
        .put("actor", "replay").put("token", "replay-token");
    c.set("inputs", run.inputs());
    ObjectNode v = c.putObject("vars");
    vars.forEach(v::put);
    c.putObject("secrets").put("GITHUB_TOKEN", "replay-token");
    return c;
  }

  /** Runs git in {@code dir}; fails with git's message. */
  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    return exec(command, dir, Map.of());
  }

  static String exec(List<String> command, Path dir, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }

  /** GitHub's hashFiles: SHA-256 over the SHA-256 of each matching file, sorted by path; '' when none. */
  static String hashFiles(Path workspace, List<String> patterns) {
    try (Stream<Path> files = Files.walk(workspace)) {
      List<PathMatcher> matchers = patterns.stream()
          .map(p -> workspace.getFileSystem().getPathMatcher("glob:" + p)).toList();
      TreeMap<String, Path> matched = new TreeMap<>();
      files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/.git/")).forEach(f -> {
        Path rel = workspace.relativize(f);
        // '**/x' must also match 'x' at the root, as GitHub's globber does
        if (matchers.stream().anyMatch(m -> m.matches(rel) || m.matches(Path.of("root").resolve(rel)))) {
          matched.put(rel.toString(), f);
        }
      });
      if (matched.isEmpty()) {
        return "";
      }
      MessageDigest all = MessageDigest.getInstance("SHA-256");
      for (Path f : matched.values()) {
        all.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
      }
      return HexFormat.of().formatHex(all.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash files in " + workspace, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Interrupt interrupt() {
    return interrupt;
  }

  PrintStream log() {
    return log;
  }
}
