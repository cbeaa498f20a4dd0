package org.fmnistbench.ci.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fmnistbench.ci.replay.JobRunner.Leg;
import org.fmnistbench.ci.replay.JobRunner.StepOutcome;
import org.fmnistbench.io.FileTrees;

/**
 * Local equivalents of the actions the workflows use, each doing what the action does to the
 * repository, the runner and the run, with its inputs checked: an input the action does not
 * define is an error, as actionlint reports it, and so is a value whose effect is not replayed
 * (another run's artifacts, a benchmark alert), so that no input is accepted and then ignored.
 */
final class LocalActions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalActions() {}

  static StepOutcome run(Leg leg, String uses, Map<String, String> with, String stepName) {
    String action = uses.contains("@") ? uses.substring(0, uses.indexOf('@')) : uses;
    return switch (action) {
      case "actions/checkout" -> checkout(leg, with);
      case "actions/setup-java" -> setupJava(leg, with);
      case "actions/setup-node" -> ok();
      case "actions/upload-artifact" -> upload(leg, with);
      case "actions/download-artifact" -> download(leg, with);
      case "actions/cache" -> cache(leg, with, true, true);
      case "actions/cache/restore" -> cache(leg, with, true, false);
      case "actions/cache/save" -> cache(leg, with, false, true);
      case "benchmark-action/github-action-benchmark" -> benchmark(leg, with);
      default -> throw new IllegalArgumentException("step '" + stepName + "': action " + uses + " has no local equivalent");
    };
  }

  private static StepOutcome ok() {
    return new StepOutcome("success", Map.of());
  }

  private static StepOutcome failed(Leg leg, String why) {
    leg.log("replay: " + why);
    return new StepOutcome("failure", Map.of());
  }

  private static void allow(Map<String, String> with, String action, String... inputs) {
    List<String> known = List.of(inputs);
    for (String given : with.keySet()) {
      if (!known.contains(given)) {
        throw new IllegalArgumentException(action + " has no input '" + given + "' (it has " + known + ")");
      }
    }
  }

  /** A clone of origin at the run's commit (or the ref asked for); pushes only with a token that may write. */
  private static StepOutcome checkout(Leg leg, Map<String, String> with) {
    allow(with, "actions/checkout", "ref", "path", "fetch-depth", "persist-credentials", "token");
    Path dest = with.containsKey("path") ? leg.workspace.resolve(with.get("path")) : leg.workspace;
    String url = "file://" + leg.replayOrigin();
    List<String> clone = new ArrayList<>(List.of("git", "clone", "-q"));
    boolean shallow = !"0".equals(with.getOrDefault("fetch-depth", "1"));
    if (shallow) {
      clone.addAll(List.of("--depth", with.getOrDefault("fetch-depth", "1")));
    }
    // ref: a branch or tag, by name or as refs/heads/ or refs/tags/, or a commit's full SHA
    String ref = with.getOrDefault("ref", "").replaceFirst("^refs/(heads|tags)/", "");
    boolean commit = ref.matches("[0-9a-f]{40}");
    if (!ref.isEmpty() && !commit) {
      clone.addAll(List.of("--branch", ref));
    }
    clone.addAll(List.of(url, dest.toString()));
    try {
      Files.createDirectories(dest);
      try (Stream<Path> inside = Files.list(dest)) {
        if (inside.findAny().isPresent()) {
          return failed(leg, "checkout into a folder that is not empty: " + dest);
        }
      }
      WorkflowReplay.exec(clone, leg.workspace, Map.of());
      if (ref.isEmpty() || commit) {
        // the run's commit, which a re-run keeps even when the branch has moved on since
        String sha = commit ? ref : leg.workflowRun().sha();
        if (shallow) {
          WorkflowReplay.git(dest, "fetch", "-q", "--depth", with.getOrDefault("fetch-depth", "1"), "origin", sha);
        }
        WorkflowReplay.git(dest, "checkout", "-q", "--detach", sha);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check out into " + dest, e);
    } catch (IllegalStateException e) {
      return failed(leg, e.getMessage());
    }
    boolean persist = !"false".equals(with.getOrDefault("persist-credentials", "true"));
    if (!persist || !leg.canWriteContents) {
      // what a push meets on GitHub without a token that may write contents
      WorkflowReplay.git(dest, "config", "remote.origin.pushurl",
          "file:///nonexistent/" + (persist ? "token-without-contents-write" : "no-persisted-credentials"));
    }
    leg.log("replay: checked out " + url + (persist && leg.canWriteContents ? " (token may push)" : " (cannot push)"));
    return ok();
  }

  /** The JDK asked for must be this machine's; setup-java's own Maven cache key is recorded. */
  private static StepOutcome setupJava(Leg leg, Map<String, String> with) {
    allow(with, "actions/setup-java", "distribution", "java-version", "cache", "cache-dependency-path");
    String version = Runtime.version().feature() + "";
    if (!version.equals(with.getOrDefault("java-version", version))) {
      return failed(leg, "java-version " + with.get("java-version") + " asked for; this machine has " + version);
    }
    if ("maven".equals(with.get("cache"))) {
      // setup-java's key: runner OS, arch, package manager and the poms' hash; nothing else
      leg.cacheKeys.add("setup-java-Linux-X64-maven-" + WorkflowReplay.hashFiles(leg.workspace, List.of("**/pom.xml")));
    }
    return ok();
  }

  private static Path artifacts(Leg leg) {
    return leg.replayScratch().resolve("artifacts").resolve(Long.toString(leg.workflowRun().runId()));
  }

  /** Paths as actions take them: one a line, ~ for the runner's home, relative to the workspace. */
  private static List<Path> paths(Leg leg, String lines) {
    List<Path> out = new ArrayList<>();
    for (String line : lines.split("\n")) {
      String p = line.strip();
      if (p.isEmpty()) {
        continue;
      }
      if (p.startsWith("!") || p.contains("*")) {
        throw new IllegalArgumentException("path pattern '" + p + "' is not replayed; name files or folders");
      }
      out.add(p.startsWith("~/") ? leg.home.resolve(p.substring(2)) : leg.workspace.resolve(p).normalize());
    }
    return out;
  }

  /** upload-artifact@v4: the files under the paths' least common ancestor, once per name and run. */
  private static StepOutcome upload(Leg leg, Map<String, String> with) {
    allow(with, "actions/upload-artifact", "name", "path", "if-no-files-found", "overwrite", "retention-days",
        "compression-level", "include-hidden-files");
    String name = with.getOrDefault("name", "artifact");
    List<Path> found = paths(leg, with.getOrDefault("path", "")).stream().filter(Files::exists).toList();
    if (found.isEmpty()) {
      String mode = with.getOrDefault("if-no-files-found", "warn");
      return mode.equals("error") ? failed(leg, "upload-artifact " + name + ": no files were found at " + with.get("path"))
          : ok();
    }
    Path root = found.size() == 1 ? (Files.isDirectory(found.get(0)) ? found.get(0) : found.get(0).getParent())
        : commonAncestor(found);
    Path dest = artifacts(leg).resolve(name);
    if (Files.exists(dest)) {
      if (!"true".equals(with.get("overwrite")) && uploadedThisAttempt(leg, name)) {
        return failed(leg, "upload-artifact: an artifact named " + name + " already exists in this run");
      }
      delete(dest);
    }
    boolean hidden = "true".equals(with.get("include-hidden-files"));
    for (Path p : found) {
      copyTree(p, dest.resolve(root.relativize(p).toString()), hidden);
    }
    try {
      Files.writeString(dest.resolveSibling(name + ".attempt"), Integer.toString(leg.workflowRun().attempt()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    leg.log("replay: uploaded artifact " + name);
    return ok();
  }

  private static boolean uploadedThisAttempt(Leg leg, String name) {
    try {
      Path mark = artifacts(leg).resolve(name + ".attempt");
      return Files.exists(mark) && Files.readString(mark).equals(Integer.toString(leg.workflowRun().attempt()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path commonAncestor(List<Path> paths) {
    Path common = paths.get(0).getParent();
    for (Path p : paths) {
      while (!p.startsWith(common)) {
        common = common.getParent();
      }
    }
    return common;
  }

  /** download-artifact@v4: by name into path, or every name matching pattern into path/NAME. */
  private static StepOutcome download(Leg leg, Map<String, String> with) {
    allow(with, "actions/download-artifact", "name", "pattern", "path", "merge-multiple", "run-id", "github-token");
    if (with.containsKey("run-id")) {
      throw new IllegalArgumentException("download-artifact: run-id (another run's artifacts) is not replayed");
    }
    Path dest = leg.workspace.resolve(with.getOrDefault("path", "."));
    Path all = artifacts(leg);
    if (with.containsKey("name")) {
      Path a = all.resolve(with.get("name"));
      if (!Files.isDirectory(a)) {
        return failed(leg, "download-artifact: Artifact not found for name: " + with.get("name"));
      }
      copy(a, dest);
      return ok();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + with.getOrDefault("pattern", "*"));
    try (Stream<Path> names = Files.isDirectory(all) ? Files.list(all) : Stream.empty()) {
      for (Path a : names.filter(Files::isDirectory).filter(a -> matcher.matches(a.getFileName())).toList()) {
        copy(a, "true".equals(with.get("merge-multiple")) ? dest : dest.resolve(a.getFileName().toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ok();
  }

  /**
   * actions/cache: restore the exact key, else the newest whose key starts with a restore key;
   * save a key once (caches are immutable). Paths under the Maven repository are this machine's
   * (see {@link WorkflowReplay}): their keys are recorded, their contents not copied.
   */
  private static StepOutcome cache(Leg leg, Map<String, String> with, boolean restore, boolean save) {
    // each of the three actions' own inputs (actions/cache v4's action.yml, restore/ and save/)
    if (restore && save) {
      allow(with, "actions/cache", "path", "key", "restore-keys", "enableCrossOsArchive", "fail-on-cache-miss",
          "lookup-only", "upload-chunk-size", "save-always");
    } else if (restore) {
      allow(with, "actions/cache/restore", "path", "key", "restore-keys", "enableCrossOsArchive",
          "fail-on-cache-miss", "lookup-only");
    } else {
      allow(with, "actions/cache/save", "path", "key", "upload-chunk-size", "enableCrossOsArchive");
    }
    String key = with.get("key");
    if (key == null || key.isBlank()) {
      return failed(leg, "actions/cache: key is required");
    }
    leg.cacheKeys.add(key);
    List<Path> paths = paths(leg, with.getOrDefault("path", ""));
    Path caches = leg.replayScratch().resolve("caches");
    String hit = "false";
    if (restore) {
      Path exact = caches.resolve(slug(key));
      Path chosen = Files.isDirectory(exact) ? exact : null;
      if (chosen == null) {
        for (String prefix : with.getOrDefault("restore-keys", "").split("\n")) {
          if (!prefix.isBlank() && chosen == null) {
            chosen = newest(caches, slug(prefix.strip()));
          }
        }
      } else {
        hit = "true";
      }
      if (chosen == null && "true".equals(with.get("fail-on-cache-miss"))) {
        return failed(leg, "Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: " + key);
      }
      if (chosen != null && "true".equals(with.get("lookup-only"))) {
        leg.log("replay: cache " + chosen.getFileName() + " found; lookup-only, not restored");
      } else if (chosen != null) {
        for (int i = 0; i < paths.size(); i++) {
          if (!shared(leg, paths.get(i)) && Files.exists(chosen.resolve(Integer.toString(i)))) {
            copy(chosen.resolve(Integer.toString(i)), paths.get(i));
          }
        }
        leg.log("replay: restored cache " + chosen.getFileName());
      }
    }
    boolean exactHit = hit.equals("true");
    Runnable saveIt = () -> {
      Path dest = caches.resolve(slug(key));
      if (Files.exists(dest)) {
        leg.log("replay: cache " + key + " exists already; not saved again");
        return;
      }
      for (int i = 0; i < paths.size(); i++) {
        if (!shared(leg, paths.get(i)) && Files.exists(paths.get(i))) {
          copy(paths.get(i), dest.resolve(Integer.toString(i)));
        }
      }
      try {
        Files.createDirectories(dest);
        Files.writeString(dest.resolve(".saved"), Long.toString(System.nanoTime()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      leg.log("replay: saved cache " + key);
    };
    if (save && restore) {
      if (!exactHit) {
        // the post step saves when the job has succeeded so far, or always with save-always
        leg.postSteps.add(() -> {
          if (leg.statusSoFar().equals("success") || "true".equals(with.get("save-always"))) {
            saveIt.run();
          }
        });
      }
    } else if (save) {
      saveIt.run();
    }
    return new StepOutcome("success", Map.of("cache-hit", hit));
  }

  /** Under the Maven repository this machine lends every job (see WorkflowReplay). */
  private static boolean shared(Leg leg, Path p) {
    return p.startsWith(leg.home.resolve(".m2"));
  }

  private static String slug(String key) {
    return key.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static Path newest(Path caches, String prefix) {
    if (!Files.isDirectory(caches)) {
      return null;
    }
    try (Stream<Path> all = Files.list(caches)) {
      return all.filter(c -> c.getFileName().toString().startsWith(prefix))
          .max(Comparator.comparingLong(c -> savedAt(c))).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long savedAt(Path cache) {
    try {
      return Long.parseLong(Files.readString(cache.resolve(".saved")).strip());
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * github-action-benchmark@v1 with auto-push: fetch gh-pages (the action fails when the branch
   * does not exist), append this run's entry to {@code <dir>/data.js}, commit and push with the
   * workflow's token.
   */
  private static StepOutcome benchmark(Leg leg, Map<String, String> with) {
    allow(with, "benchmark-action/github-action-benchmark", "name", "tool", "output-file-path",
        "benchmark-data-dir-path", "github-token", "auto-push", "fail-on-alert", "comment-on-alert",
        "alert-threshold", "gh-pages-branch", "max-items-in-chart", "skip-fetch-gh-pages", "summary-always");
    String tool = with.getOrDefault("tool", "");
    if (!tool.equals("customSmallerIsBetter") && !tool.equals("customBiggerIsBetter")) {
      throw new IllegalArgumentException("github-action-benchmark: tool '" + tool + "' is not replayed"
          + " (customSmallerIsBetter and customBiggerIsBetter are)");
    }
    // inputs whose effect the replay does not have: refused rather than ignored
    for (String input : List.of("fail-on-alert", "comment-on-alert", "skip-fetch-gh-pages")) {
      if ("true".equals(with.get(input))) {
        throw new IllegalArgumentException("github-action-benchmark: " + input + ": true is not replayed");
      }
    }
    if (with.containsKey("max-items-in-chart")) {
      throw new IllegalArgumentException("github-action-benchmark: max-items-in-chart is not replayed");
    }
    String branch = with.getOrDefault("gh-pages-branch", "gh-pages");
    Path repo = leg.workspace;
    try {
      WorkflowReplay.git(repo, "fetch", "-q", "origin", branch + ":" + branch);
    } catch (IllegalStateException e) {
      return failed(leg, "github-action-benchmark: " + e.getMessage());
    }
    Path input = leg.workspace.resolve(with.getOrDefault("output-file-path", ""));
    JsonNode benches;
    try {
      benches = JSON.readTree(input.toFile());
    } catch (IOException e) {
      return failed(leg, "github-action-benchmark: cannot read " + input + ": " + e.getMessage());
    }
    if (!benches.isArray()) {
      return failed(leg, "github-action-benchmark: " + input + " is not a JSON array of benchmarks");
    }
    Path pages = leg.temp.resolve("gh-pages-worktree");
    try {
      WorkflowReplay.git(repo, "worktree", "add", "-q", pages.toString(), branch);
      Path dir = pages.resolve(with.getOrDefault("benchmark-data-dir-path", "dev/bench"));
      Files.createDirectories(dir);
      Path data = dir.resolve("data.js");
      ObjectNode all = Files.exists(data)
          ? (ObjectNode) JSON.readTree(Files.readString(data).replaceFirst("^window\\.BENCHMARK_DATA = ", ""))
          : JSON.createObjectNode();
      ObjectNode entries = all.has("entries") ? (ObjectNode) all.get("entries") : all.putObject("entries");
      String name = with.getOrDefault("name", "Benchmark");
      ArrayNode series = entries.has(name) ? (ArrayNode) entries.get(name) : entries.putArray(name);
      ObjectNode entry = series.addObject();
      entry.putObject("commit").put("id", leg.workflowRun().sha());
      entry.put("date", System.currentTimeMillis()).put("tool", tool);
      entry.set("benches", customEntries(benches));
      all.put("lastUpdate", System.currentTimeMillis());
      Files.writeString(data, "window.BENCHMARK_DATA = " + all.toPrettyString() + "\n");
      if (!Files.exists(dir.resolve("index.html"))) {
        Files.writeString(dir.resolve("index.html"), "<!doctype html><title>" + name + "</title><script src=\"data.js\"></script>\n");
      }
      WorkflowReplay.git(pages, "add", ".");
      WorkflowReplay.git(pages, "-c", "user.name=github-action-benchmark", "-c", "user.email=replay@localhost",
          "commit", "-qm", "add " + name + " benchmark result for " + leg.workflowRun().sha());
      if ("true".equals(with.get("auto-push"))) {
        if (!leg.canWriteContents) {
          return failed(leg, "github-action-benchmark: push to " + branch + " refused: the token has no contents: write");
        }
        WorkflowReplay.git(pages, "push", "-q", "file://" + leg.replayOrigin(), "HEAD:" + branch);
      }
      leg.log("replay: github-action-benchmark wrote " + dir + " on " + branch);
      return ok();
    } catch (IOException e) {
      throw new UncheckedIOException("github-action-benchmark: cannot write gh-pages", e);
    } catch (IllegalStateException e) {
      return failed(leg, "github-action-benchmark: " + e.getMessage());
    } finally {
      try {
        WorkflowReplay.git(repo, "worktree", "remove", "--force", pages.toString());
      } catch (IllegalStateException ignored) {
        // the worktree was never added
      }
    }
  }

  /** What the action keeps of a custom tool's entry: name, value, unit, range and extra; other fields are dropped. */
  private static ArrayNode customEntries(JsonNode benches) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode b : benches) {
      ObjectNode e = out.addObject();
      for (String field : List.of("name", "value", "unit", "range", "extra")) {
        if (b.has(field)) {
          e.set(field, b.get(field));
        }
      }
    }
    return out;
  }

  private static void copy(Path from, Path to) {
    copyTree(from, to, true);
  }

  /** Copies a file or a folder; without {@code hidden}, files and folders named .* inside are left out (upload-artifact@v4). */
  private static void copyTree(Path from, Path to, boolean hidden) {
    try {
      if (Files.isDirectory(from)) {
        try (Stream<Path> tree = Files.walk(from)) {
          for (Path p : tree.toList()) {
            Path rel = from.relativize(p);
            boolean isHidden = false;
            for (Path part : rel) {
              isHidden |= part.toString().startsWith(".");
            }
            if (isHidden && !hidden) {
              continue;
            }
            Path target = to.resolve(rel.toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(target);
            } else {
              Files.createDirectories(target.getParent());
              Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      } else {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  private static void delete(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
