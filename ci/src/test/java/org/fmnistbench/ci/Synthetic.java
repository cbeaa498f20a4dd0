package org.fmnistbench.ci;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.fmnistbench.results.InterleavedResults;

/** Synthetic JMH results, metadata and gate results for the ci tests. */
final class Synthetic {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Synthetic() {}

  /** JMH-shaped JSON with trainStep and inference for the given variants (enum names), layer API, default runtime. */
  static Path jmh(Path file, Map<String, Double> usPerSample, double noise, long seed) throws IOException {
    return jmh(file, usPerSample, noise, seed, List.of("layer-api"), "default");
  }

  /**
   * JMH-shaped JSON as the suite writes it: per engine, trainStep and inference for the given
   * variants, 3 forks of 3 iterations each, the fork means scattered by {@code noise} (relative)
   * and the iterations by half that, the forks' JVM arguments naming {@code runtime}.
   */
  static Path jmh(Path file, Map<String, Double> usPerSample, double noise, long seed, List<String> engines, String runtime)
      throws IOException {
    return jmh(file, usPerSample, noise, seed, engines, runtime, Double.NaN);
  }

  /** The same with the compute canary timed after every iteration at about {@code canaryUs} (NaN: no canary). */
  static Path jmh(Path file, Map<String, Double> usPerSample, double noise, long seed, List<String> engines, String runtime,
      double canaryUs) throws IOException {
    Random r = new Random(seed);
    List<Map<String, Object>> out = new ArrayList<>();
    for (String engine : engines) {
      for (String bench : List.of("trainStep", "inference")) {
        usPerSample.forEach((variant, us) -> {
          double base = bench.equals("inference") ? us / 3 : us;
          List<List<Double>> forks = new ArrayList<>();
          double sum = 0;
          for (int f = 0; f < 3; f++) {
            double forkMean = base * (1 + noise * r.nextGaussian());
            List<Double> iterations = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
              double v = forkMean * (1 + noise / 2 * r.nextGaussian());
              iterations.add(v);
              sum += v;
            }
            forks.add(iterations);
          }
          double mean = sum / 9;
          Map<String, Object> samples = new LinkedHashMap<>();
          samples.put("score", mean);
          samples.put("scoreError", base * noise * 3);
          samples.put("scoreUnit", "us/op");
          samples.put("rawData", forks);
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("benchmark", "org.fmnistbench.bench." + (bench.equals("inference") ? "InferenceBenchmarks." : "TrainStepBenchmarks.") + bench);
          e.put("mode", "avgt");
          e.put("forks", 3);
          e.put("jvmArgs", List.of("-Dsuite.backend=cpu", "-Dsuite.runtime=" + runtime));
          e.put("measurementTime", "2 s");
          e.put("params", Map.of("variant", variant, "batchSize", "32", "engine", engine));
          e.put("primaryMetric", Map.of("score", mean * 32, "scoreError", base * noise * 96, "scoreUnit", "us/op",
              "rawData", forks.stream().map(f -> f.stream().map(x -> x * 32).toList()).toList()));
          Map<String, Object> secondary = new LinkedHashMap<>(Map.of("samples", samples));
          if (!Double.isNaN(canaryUs)) {
            List<List<Double>> canary = new ArrayList<>();
            for (int f = 0; f < 3; f++) {
              canary.add(List.of(1, 2, 3).stream().map(i -> canaryUs * (1 + noise / 2 * r.nextGaussian())).toList());
            }
            secondary.put("canary.compute", Map.of("score", canaryUs, "scoreUnit", "us", "rawData", canary));
          }
          e.put("secondaryMetrics", secondary);
          out.add(e);
        });
      }
    }
    JSON.writeValue(file.toFile(), out);
    return file;
  }

  static Path metadata(Path file, String commit, String time, String cpu, String backend) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("collected_at", time);
    m.put("suite", Map.of("commit", commit, "dirty", false));
    m.put("backend", Map.of("requested", backend, "loaded", backend.equals("cpu") ? "CpuBackend" : "JCublasBackend",
        "device_name", "Tesla T4"));
    m.put("cpu", Map.of("model", cpu, "logical_cores", 2));
    JSON.writeValue(file.toFile(), m);
    return file;
  }

  static Path gate(Path file, double cnnAccuracy, boolean passed) throws IOException {
    JSON.writeValue(file.toFile(), List.of(
        Map.of("variant", "cnn", "tier", "smoke", "seed", 1, "test_accuracy", cnnAccuracy, "test_loss", 0.7,
            "band_low", cnnAccuracy - 0.03, "band_high", cnnAccuracy + 0.03, "passed", passed),
        Map.of("variant", "mlp", "tier", "smoke", "seed", 1, "test_accuracy", 0.87, "test_loss", 0.36, "passed", true)));
    return file;
  }

  /** Appends a run of {@code cnn} at {@code us} us/sample (and mlp at 200) to a history. */
  static History.Entry run(History h, Path tmp, int n, double cnnUs, double noise, String cpu, String backend) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("in-" + n + "-" + backend + "-" + cpu.hashCode()));
    return h.append(jmh(dir.resolve("jmh.json"), Map.of("CNN", cnnUs, "MLP", 200.0), noise, n),
        metadata(dir.resolve("meta.json"), String.format("%040d", n), String.format("2026-11-%02dT03:00:00Z", n), cpu, backend),
        Optional.of(gate(dir.resolve("gate.json"), 0.73, true)));
  }

  /**
   * A 'BenchDriver interleave' result folder: {@code rounds} rounds of cnn and mlp measured by a
   * baseline and a candidate build, cnn at {@code baselineUs} and {@code candidateUs} us/sample
   * (mlp at 200 us/sample on the baseline, slower or faster by the same factor on the
   * candidate), each round's machine {@code drift} (relative sd) shared by both builds of the round.
   */
  static Path interleaved(Path dir, int rounds, double baselineUs, double candidateUs, double noise, double drift)
      throws IOException {
    Files.createDirectories(dir);
    Random r = new Random(rounds);
    for (int round = 1; round <= rounds; round++) {
      double machine = 1 + drift * r.nextGaussian();
      for (String side : List.of("baseline", "candidate")) {
        double build = side.equals("baseline") ? 1 : candidateUs / baselineUs;
        jmh(dir.resolve(String.format("round%02d-%s-jmh-cpu.json", round, side)),
            Map.of("CNN", baselineUs * build * machine, "MLP", 200.0 * build * machine), noise,
            round * 2L + side.length(), List.of("layer-api"), "default", 1_000 * machine);
      }
    }
    JSON.writeValue(dir.resolve(InterleavedResults.DESIGN_FILE).toFile(),
        Map.of("rounds", rounds, "alpha", 0.05, "seed", 1));
    return dir;
  }

  /** A run folder as the bench driver writes it (jmh-cpu.json, metadata-cpu.json): run {@code n}, cnn at {@code cnnUs}. */
  static Path runFolder(Path dir, int n, double cnnUs) throws IOException {
    Files.createDirectories(dir);
    jmh(dir.resolve("jmh-cpu.json"), Map.of("CNN", cnnUs, "MLP", 200.0), 0.01, n);
    metadata(dir.resolve("metadata-cpu.json"), String.format("%040d", n), String.format("2026-11-%02dT03:00:00Z", n), "AMD EPYC",
        "cpu");
    return dir;
  }

  /** A history of four runs at the same speed (cnn 10,000 us/sample, 1 % noise). */
  static History fourQuietRuns(Path tmp, String name) throws IOException {
    History h = new History(tmp.resolve(name));
    for (int n = 1; n <= 4; n++) {
      run(h, tmp, n, 10_000, 0.01, "AMD EPYC", "cpu");
    }
    return h;
  }

  /** The verdicts kept in the history for {@code key}, in the entry whose id starts with {@code timePrefix}. */
  static List<String> verdicts(History h, String timePrefix, String key) throws IOException {
    try (var s = Files.walk(h.root())) {
      Path entry = s.filter(p -> p.getFileName().toString().startsWith(timePrefix)).findFirst().orElseThrow();
      Path findings = entry.resolve(History.FINDINGS);
      return !Files.isRegularFile(findings) ? List.of() : RecordedFinding.readAll(findings).stream()
          .filter(f -> f.key().equals(key)).map(RecordedFinding::verdict).toList();
    }
  }
}
