package org.fmnistbench.bench.count;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.fmnistbench.bench.Backend;
import org.fmnistbench.results.CallgrindProfile;
import org.fmnistbench.results.CountResults;
import org.fmnistbench.runtime.RuntimeConfig;

/**
 * Counts one point: starts {@link CountHarness} under Callgrind in a folder of its own, reads the
 * segments' dumps and digests them. The retry rule: a process that dies (the JVM under Valgrind
 * can crash in code it is patching) or leaves a segment's dump missing is started again, up to
 * {@code attempts} times; a point that still fails is reported as failed with the last error,
 * never dropped.
 *
 * @param setting the JIT setting
 * @param classpath the classpath of the counted JVM (this build's, or another build's jar)
 * @param warmupOps uninstrumented operations first
 * @param steps operations per segment
 * @param segments segments per process
 * @param cacheSimulation whether Callgrind simulates the caches
 * @param attempts processes at most
 * @param timeoutSeconds one process's limit
 * @param injected TEST-ONLY: the drill's extra work per operation ({@link InjectedWork#NONE} normally)
 * @param calibrate TEST-ONLY: also count one unit of each kind of injected work
 * @param runtimeOverrides what the run changes of each point's counting runtime ("" normally: each
 *     point is counted under its own, {@link CountSetting#runtimeFor})
 */
public record PointCounter(CountSetting setting, String classpath, int warmupOps, int steps, int segments,
    boolean cacheSimulation, int attempts, long timeoutSeconds, InjectedWork injected, boolean calibrate,
    String runtimeOverrides) {

  /** A counter of the points as they are: nothing injected, each under its counting runtime. */
  public PointCounter(CountSetting setting, String classpath, int warmupOps, int steps, int segments,
      boolean cacheSimulation, int attempts, long timeoutSeconds) {
    this(setting, classpath, warmupOps, steps, segments, cacheSimulation, attempts, timeoutSeconds, InjectedWork.NONE, false,
        "");
  }
  /** Functions kept per point in the digest. */
  static final int DIGEST_FUNCTIONS = 300;

  /** What to count. */
  public record Spec(String benchmark, String variant, String engine, int batchSize) {
    /** The JMH method this mirrors: trainStep or inference. */
    String harnessName() {
      return benchmark.equals("trainStep") ? "train" : "inference";
    }

    /** The key the point's results go by, as {@link CountResults.Point#key()} spells it. */
    public String key() {
      return benchmark + "/" + variant + "/" + engine + "/" + batchSize;
    }

    public String folderName() {
      return benchmark + "-" + variant + "-" + engine + "-" + batchSize;
    }
  }

  /** Counts {@code spec} in {@code dir} (emptied of earlier dumps first). */
  public CountResults.Point count(Spec spec, Path dir) throws IOException, InterruptedException {
    Path library = HelperLibrary.path();
    RuntimeConfig runtime = CountSetting.runtimeFor(spec.key(), runtimeOverrides);
    String recorded = CountSetting.overridesOf(runtime);
    long started = System.nanoTime();
    String failure = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      Files.createDirectories(dir);
      try (var old = Files.list(dir)) {
        for (Path p : old.filter(p -> p.getFileName().toString().startsWith("callgrind.out")).toList()) {
          Files.delete(p);
        }
      }
      Path log = dir.resolve("process-" + attempt + ".log");
      Path valgrindLog = dir.resolve("valgrind-" + attempt + ".log");
      Path out = dir.resolve("callgrind.out");
      Path argFile = dir.resolve("java.args");
      // the classpath through an argument file: Callgrind copies the command line into every dump
      Files.writeString(argFile, "-cp\n" + classpath + "\n", StandardCharsets.UTF_8);
      List<String> cmd = new ArrayList<>(List.of("valgrind"));
      cmd.addAll(CountSetting.valgrindOptions(cacheSimulation));
      cmd.add("--callgrind-out-file=" + out);
      cmd.add("--log-file=" + valgrindLog);
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(setting.jvmFlags(runtime));
      cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
      cmd.addAll(Backend.CPU.jvmArgs());
      cmd.add("-Dsuite.runtime=" + runtime.id());
      cmd.add("@" + argFile);
      cmd.add(CountHarness.class.getName());
      cmd.addAll(List.of(library.toString(), spec.variant(), spec.engine(), spec.harnessName(),
          String.valueOf(spec.batchSize()), String.valueOf(warmupOps), String.valueOf(steps), String.valueOf(segments),
          injected.spec(), calibrate ? "calibrate" : "no"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.putAll(Backend.CPU.environment());
      runtime.applyTo(env);
      env.putAll(CountSetting.ENVIRONMENT);
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new IllegalStateException("counting runs the JVM under Valgrind, and 'valgrind' could not be started: "
            + "apt-get install valgrind", e);
      }
      boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!finished) {
        p.destroyForcibly().waitFor();
      }
      List<Path> dumps = new ArrayList<>();
      for (int k = 1; k <= segments; k++) {
        dumps.add(dir.resolve("callgrind.out." + k));
      }
      List<Path> units = calibrate ? List.of(dir.resolve("callgrind.out." + (segments + 1)),
          dir.resolve("callgrind.out." + (segments + 2))) : List.of();
      boolean complete = dumps.stream().allMatch(Files::isRegularFile) && units.stream().allMatch(Files::isRegularFile);
      if (finished && p.exitValue() == 0 && complete) {
        Map<String, Double> unitInstructions = new LinkedHashMap<>();
        for (int u = 0; u < units.size(); u++) {
          unitInstructions.put(u == 0 ? "native" : "java", CallgrindProfile.read(units.get(u)).total(CountResults.INSTRUCTIONS)
              / (double) InjectedWork.CALIBRATION_UNITS);
          Files.delete(units.get(u));
        }
        return digest(spec, dumps, attempt, (System.nanoTime() - started) / 1e9, unitInstructions)
            .withRuntimeOverrides(recorded);
      }
      failure = "attempt " + attempt + ": " + (finished ? "exit " + p.exitValue() : "no end within " + timeoutSeconds + " s")
          + (complete ? "" : ", dumps missing") + "; " + tail(log) + " | " + tail(valgrindLog);
      System.err.println(spec.folderName() + ": " + failure);
    }
    return new CountResults.Point(spec.benchmark(), spec.variant(), spec.engine(), spec.batchSize(), "failed", attempts,
        failure, List.of(), Map.of(), List.of(), (System.nanoTime() - started) / 1e9).withRuntimeOverrides(recorded);
  }

  private CountResults.Point digest(Spec spec, List<Path> dumps, int attempt, double seconds,
      Map<String, Double> unitInstructions) throws IOException {
    List<CallgrindProfile> profiles = new ArrayList<>();
    List<Map<String, Double>> segmentCounts = new ArrayList<>();
    for (Path d : dumps) {
      CallgrindProfile p = CallgrindProfile.read(d);
      profiles.add(p);
      Map<String, Double> perOp = new LinkedHashMap<>();
      for (String e : p.events()) {
        perOp.put(e, p.total(e) / (double) steps);
      }
      segmentCounts.add(perOp);
    }
    CountResults.Digest digest = CountResults.digest(profiles, steps, DIGEST_FUNCTIONS);
    // the raw dumps are large (MBs a point); the digest is what is kept, the first dump gzipped beside it
    try (var in = Files.newInputStream(dumps.get(0));
        var gz = new GZIPOutputStream(Files.newOutputStream(dumps.get(0).resolveSibling("segment-1.callgrind.gz")))) {
      in.transferTo(gz);
    }
    for (Path d : dumps) {
      Files.delete(d);
    }
    return new CountResults.Point(spec.benchmark(), spec.variant(), spec.engine(), spec.batchSize(), "ok", attempt, null,
        segmentCounts, digest.objects(), digest.functions(), seconds, injected.spec(), unitInstructions, null);
  }

  private static String tail(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return "(no " + file.getFileName() + ")";
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(" / ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    } catch (IOException e) {
      return "(unreadable " + file.getFileName() + ")";
    }
  }
}
