package org.fmnistbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.fmnistbench.stats.ForkSamples;
import org.fmnistbench.stats.PairedRatio;

/**
 * A result folder of an interleaved comparison of two builds (benchmarks' {@code BenchDriver
 * interleave}), read: its design file, its rounds' JMH results and metadata, and per point the
 * ratio of the builds with the verdict. The one reader of that format, for the command's summary,
 * the nightly's judgement and the detector's calibration.
 */
public final class InterleavedResults {
  public static final String DESIGN_FILE = InterleaveDesign.FILE;
  public static final String BASELINE = "baseline";
  public static final String CANDIDATE = "candidate";

  private InterleavedResults() {}

  /** Where a round's file of one build is kept: {@code round03-baseline-jmh-cpu.json}. */
  public static Path roundFile(Path dir, int round, String side, String name) {
    return dir.resolve(String.format(Locale.ROOT, "round%02d-%s-%s", round, side, name));
  }

  /** A comparison's design file ({@value #DESIGN_FILE}), refusing a folder that is not a comparison's. */
  public static InterleaveDesign design(Path dir) throws IOException {
    return InterleaveDesign.read(dir);
  }

  /** The metadata of every JMH invocation of a comparison, in file-name order (round, then build). */
  public static List<Path> metadataFiles(Path dir) throws IOException {
    try (var list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches("round\\d+-[a-z]+-metadata-.*\\.json")).sorted().toList();
    }
  }

  /** How a point compares: the candidate made it slower, faster, or no difference is called. */
  public enum Verdict { SLOWER, FASTER, NO_DIFFERENCE }

  /**
   * What the interleaved judgement divides each fork's iterations by before it takes a round's
   * ratio: nothing. The canary runs in the measured JVM right after each iteration, so a change
   * to the code under test (threads left spinning after the step, more garbage to collect) can
   * move it; ci/reports/DETECTOR.md ("The canary's role") measured on the recorded rounds that
   * dividing by it then fakes slowdowns of unchanged code and cancels real ones, and that an
   * estimated coefficient guarded by the canary's own ratio still fakes them. Judged on the
   * figures alone, neither happens; the sentinels' rounds were raised to keep nine in ten 10 %
   * slowdowns caught. The canary's own ratio stays beside each point as a diagnostic
   * ({@link Comparison#canaryRatio}).
   */
  public static final Canary DEFAULT_CANARY = Canary.NONE;

  /**
   * One point's comparison over the rounds.
   *
   * @param baseline the baseline's figure in each round (us/sample; one fork's mean)
   * @param candidate the candidate's, same rounds
   * @param ratio candidate / baseline over the rounds, each round's figures divided by {@code canary} first
   * @param canary what the ratio's figures were divided by
   * @param canaryRatio the compute canary's own ratio over the same rounds (candidate's over baseline's fork means), a
   *     diagnostic: far from 1, the machine differed between the builds' forks, or the candidate moved the canary
   *     (see {@link #DEFAULT_CANARY}); null where the forks ran without the canary profiler
   */
  public record Comparison(String benchmark, String variant, String engine, String runtime, int batchSize, double[] baseline,
      double[] candidate, PairedRatio ratio, Verdict verdict, Canary canary, PairedRatio canaryRatio) {
    public boolean slower() {
      return verdict == Verdict.SLOWER;
    }

    /** benchmark/variant/engine/runtime/bN, as the nightly history names its series. */
    public String key() {
      return JmhJson.seriesKey(benchmark, variant, engine, runtime, batchSize);
    }
  }

  /** The comparisons of a result folder judged over {@link #DEFAULT_CANARY}: {@link #analyse(Path, Canary)}. */
  public static List<Comparison> analyse(Path dir) throws IOException {
    return analyse(dir, DEFAULT_CANARY);
  }

  /**
   * The comparisons of a result folder: every point both builds measured in every round, each a
   * {@link PairedRatio} at 95 % over the rounds' figures divided by {@code canary}; slower and
   * faster are called by Holm's procedure over the points, two-sided: each direction at half the
   * design's alpha, so that a point called slower (or faster) has a 95 % interval that excludes 1,
   * the suite's rule for claiming a difference.
   */
  public static List<Comparison> analyse(Path dir, Canary canary) throws IOException {
    InterleaveDesign design = design(dir);
    double alpha = design.alphaOrDefault();
    Rounds read = read(dir, design.rounds(), canary);
    Map<String, double[][]> figures = read.figures();
    Map<String, double[][]> judged = read.judged();
    Map<String, JmhJson.Point> firstSeen = read.firstSeen();
    List<String> keys = judged.entrySet().stream().filter(e -> complete(e.getValue())).map(Map.Entry::getKey).toList();
    incompleteFigures(judged).forEach(line -> System.err.println("interleave: not judged, " + line));
    List<PairedRatio> ratios = keys.stream().map(k -> PairedRatio.of(judged.get(k)[0], judged.get(k)[1], 0.95)).toList();
    boolean[] slower = PairedRatio.holm(ratios.stream().mapToDouble(PairedRatio::pSlower).toArray(), alpha / 2);
    boolean[] faster = PairedRatio.holm(ratios.stream().mapToDouble(PairedRatio::pFaster).toArray(), alpha / 2);
    List<Comparison> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      double[][] f = figures.get(keys.get(i));
      Verdict v = slower[i] ? Verdict.SLOWER : faster[i] ? Verdict.FASTER : Verdict.NO_DIFFERENCE;
      double[][] c = read.canaries().get(keys.get(i));
      PairedRatio canaryRatio = c != null && complete(c) ? PairedRatio.of(c[0], c[1], 0.95) : null;
      out.add(pointOf(firstSeen.get(keys.get(i)), f, ratios.get(i), v, canary, canaryRatio));
    }
    return out;
  }

  /** Every point's figures per build and round: as measured, and over the canary; with the point as JMH named it. */
  private record Rounds(Map<String, double[][]> figures, Map<String, double[][]> judged, Map<String, double[][]> canaries,
      Map<String, JmhJson.Point> firstSeen) {}

  private static Rounds read(Path dir, int rounds, Canary canary) throws IOException {
    Map<String, double[][]> figures = new LinkedHashMap<>(); // key -> [side][round], us/sample
    Map<String, double[][]> judged = new LinkedHashMap<>(); // the same over the canary
    Map<String, double[][]> canaries = new LinkedHashMap<>(); // the compute canary's fork means, where measured
    Map<String, JmhJson.Point> firstSeen = new LinkedHashMap<>();
    for (int r = 1; r <= rounds; r++) {
      for (int s = 0; s < 2; s++) {
        String side = s == 0 ? BASELINE : CANDIDATE;
        String prefix = String.format(Locale.ROOT, "round%02d-%s-jmh-", r, side);
        List<Path> files;
        try (var list = Files.list(dir)) {
          files = list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
        if (files.isEmpty()) {
          throw new IllegalArgumentException(dir + " lacks round " + r + " of the " + side + "; measure it with --resume " + dir);
        }
        for (Path f : files) {
          for (JmhJson.Point p : JmhJson.read(f)) {
            if (p.samples() == null) {
              continue;
            }
            ForkSamples over = canary.over(p.samples(), p.canary());
            if (over == null) {
              throw new IllegalArgumentException(f + ": " + p.seriesKey() + " has no '" + canary.metric() + "' metric to divide "
                  + "by (measured without the canary profiler); judge this comparison over canary NONE");
            }
            String key = p.seriesKey();
            firstSeen.putIfAbsent(key, p);
            figures.computeIfAbsent(key, k -> new double[2][rounds])[s][r - 1] = p.samples().mean();
            judged.computeIfAbsent(key, k -> new double[2][rounds])[s][r - 1] = over.mean();
            ForkSamples c = p.canary().get(Canary.COMPUTE.metric());
            if (c != null) {
              canaries.computeIfAbsent(key, k -> new double[2][rounds])[s][r - 1] = c.mean();
            }
          }
        }
      }
    }
    return new Rounds(figures, judged, canaries, firstSeen);
  }

  private static boolean complete(double[][] sides) {
    return Arrays.stream(sides).allMatch(side -> Arrays.stream(side).allMatch(v -> v > 0));
  }

  /** Each point missing a figure in some round, with the rounds and sides, e.g. "key: round 3 of the candidate". */
  private static List<String> incompleteFigures(Map<String, double[][]> figures) {
    List<String> out = new ArrayList<>();
    figures.forEach((key, sides) -> {
      List<String> gaps = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        for (int r = 0; r < sides[s].length; r++) {
          if (!(sides[s][r] > 0)) {
            gaps.add("round " + (r + 1) + " of the " + (s == 0 ? BASELINE : CANDIDATE));
          }
        }
      }
      if (!gaps.isEmpty()) {
        out.add(key + ": no figure in " + String.join(", ", gaps));
      }
    });
    return out;
  }

  /**
   * The points of a result folder that {@link #analyse} cannot judge, because a round of one
   * build has no figure for them (a fork that failed, a point one build does not have), each
   * with what is missing: the comparison reports them instead of dropping them.
   */
  public static List<String> incomplete(Path dir) throws IOException {
    return incompleteFigures(read(dir, design(dir).rounds(), Canary.NONE).figures());
  }

  /**
   * Each complete point's per-round log ratio, log(candidate / baseline) of the figures over
   * {@code canary}: what {@link #analyse} tests, for resampling the recorded rounds (a power
   * measured by injecting a slowdown into them rather than predicted from their spread).
   */
  public static Map<String, double[]> roundLogRatios(Path dir, Canary canary) throws IOException {
    Map<String, double[]> out = new LinkedHashMap<>();
    read(dir, design(dir).rounds(), canary).judged().forEach((key, sides) -> {
      if (complete(sides)) {
        out.put(key, logRatios(sides));
      }
    });
    return out;
  }

  /**
   * Each point's per-round log ratio of the compute canary's fork means, log(candidate's /
   * baseline's), where every round of both builds measured it: what the canary's role was
   * decided on (DETECTOR.md).
   */
  public static Map<String, double[]> roundCanaryLogRatios(Path dir) throws IOException {
    Map<String, double[]> out = new LinkedHashMap<>();
    read(dir, design(dir).rounds(), Canary.NONE).canaries().forEach((key, sides) -> {
      if (complete(sides)) {
        out.put(key, logRatios(sides));
      }
    });
    return out;
  }

  private static double[] logRatios(double[][] sides) {
    double[] r = new double[sides[0].length];
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.log(sides[1][i] / sides[0][i]);
    }
    return r;
  }

  /** A JMH point's identity with the figures and verdict of its comparison. */
  private static Comparison pointOf(JmhJson.Point p, double[][] figures, PairedRatio ratio, Verdict verdict, Canary canary,
      PairedRatio canaryRatio) {
    return new Comparison(p.method(), p.variantId(), p.engine(), p.runtime(), p.batchSize(), figures[0], figures[1], ratio,
        verdict, canary, canaryRatio);
  }

  /** The comparisons as the nightly reads them, keyed like its history's series. */
  public static Map<String, Comparison> byKey(List<Comparison> comparisons) {
    return comparisons.stream().collect(Collectors.toMap(Comparison::key, c -> c, (a, b) -> a, LinkedHashMap::new));
  }
}
