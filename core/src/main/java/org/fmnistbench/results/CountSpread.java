package org.fmnistbench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * How far a point's count moves between processes on unchanged code (an A/A): each counted
 * process gives one figure, the median of its segments; the spread is their sample standard
 * deviation relative to their mean. The within-process spread (segments of one process) is
 * given beside it: a point whose segments already differ is not in its steady state.
 *
 * @param key the point (benchmark/variant/engine/batch)
 * @param jit the JIT setting
 * @param cpu the CPU model that counted
 * @param processes the processes' figures, instructions per operation
 * @param nativeOnly the same figures without generated code and the JVM (the native libraries alone)
 * @param withoutKernels the same figures without the native libraries' JIT kernels (oneDNN's), from
 *     the processes whose digest tells those apart (counted since that split; earlier ones are left out)
 * @param withinProcessPercent the largest segment spread of any one process, (max - min) / median, percent
 * @param seconds each process's wall time
 * @param processBuilds the commit of each process's run, in the order of {@code processes}:
 *     processes of several builds are an A/A only where those builds run the same counted code;
 *     where they do not, the difference between them widens the spread (and the nightly's limit)
 */
public record CountSpread(String key, String jit, String cpu, List<Double> processes, List<Double> nativeOnly,
    List<Double> withoutKernels, double withinProcessPercent, List<Double> seconds, List<String> processBuilds) {

  /** The builds whose processes it pools, each once, in the runs' order. */
  public List<String> builds() {
    return processBuilds.stream().distinct().toList();
  }

  /**
   * (largest - smallest) of the builds' own means over the mean of all, percent: how far apart the
   * builds pooled here count (NaN with one build). Descriptive: set beside {@link #sdPercent()}, it
   * shows whether the builds count alike; no test of it is made.
   */
  public double betweenBuildsPercent() {
    if (builds().size() < 2) {
      return Double.NaN;
    }
    Map<String, List<Double>> byBuild = new TreeMap<>();
    for (int i = 0; i < processes.size(); i++) {
      byBuild.computeIfAbsent(processBuilds.get(i), b -> new ArrayList<>()).add(processes.get(i));
    }
    double[] means = byBuild.values().stream()
        .mapToDouble(xs -> xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).toArray();
    return 100 * (StatUtils.max(means) - StatUtils.min(means)) / mean();
  }

  /** Relative sample standard deviation of the processes' figures, percent (NaN with fewer than 2). */
  public double sdPercent() {
    return relativeSd(processes);
  }

  /** The same for the native libraries alone. */
  public double nativeSdPercent() {
    return relativeSd(nativeOnly);
  }

  /** The same without the native libraries' JIT kernels (NaN with fewer than 2 processes that tell them apart). */
  public double withoutKernelsSdPercent() {
    return relativeSd(withoutKernels);
  }

  public double mean() {
    return processes.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** (largest - smallest) / mean of the processes' figures, percent. */
  public double rangePercent() {
    double min = processes.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = processes.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return 100 * (max - min) / mean();
  }

  static double relativeSd(List<Double> xs) {
    double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
    return v.length < 2 ? Double.NaN : 100 * Math.sqrt(StatUtils.variance(v)) / StatUtils.mean(v);
  }

  /** The median of the processes' wall times, seconds. */
  public double medianSeconds() {
    return new Median().evaluate(seconds.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * Groups every successfully counted process of {@code runs} that ran under its point's counting
   * runtime ({@link CountingRuntime}; processes under any other setting left out) by point, JIT
   * setting and CPU model. Failed processes are not figures; {@link #failures} lists them.
   */
  public static List<CountSpread> of(List<CountResults> runs) {
    return of(runs, CountingRuntime::countedUnderIt);
  }

  /**
   * The same for the processes {@code which} chooses, e.g. those counted under one changed runtime
   * setting: a count of another runtime setting is no repeat of the counting runtime's.
   */
  public static List<CountSpread> of(List<CountResults> runs, Predicate<CountResults.Point> which) {
    Map<List<String>, List<CountResults.Point>> groups = new TreeMap<>(CountSpread::compareKeys);
    Map<List<String>, List<String>> builds = new TreeMap<>(CountSpread::compareKeys);
    for (CountResults r : runs) {
      for (CountResults.Point p : r.points()) {
        if (p.ok() && which.test(p)) {
          List<String> k = List.of(p.key(), r.setting().jit(), r.setting().cpu());
          groups.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
          builds.computeIfAbsent(k, x -> new ArrayList<>()).add(r.setting().commit());
        }
      }
    }
    List<CountSpread> out = new ArrayList<>();
    groups.forEach((k, points) -> out.add(new CountSpread(k.get(0), k.get(1), k.get(2),
        values(points, p -> p.perOp(CountResults.INSTRUCTIONS)), values(points, CountSpread::nativeInstructions),
        values(points, CountSpread::withoutNativeKernels).stream().filter(v -> !v.isNaN()).toList(),
        points.stream().mapToDouble(CountSpread::segmentRangePercent).max().orElse(Double.NaN),
        values(points, CountResults.Point::seconds), List.copyOf(builds.get(k)))));
    return out;
  }

  /** The processes that failed, as "key (jit, cpu): why". */
  public static List<String> failures(List<CountResults> runs) {
    List<String> out = new ArrayList<>();
    for (CountResults r : runs) {
      for (CountResults.Point p : r.points()) {
        if (!p.ok()) {
          out.add(p.key() + " (" + r.setting().jit() + ", " + r.setting().cpu() + "): " + p.failure());
        }
      }
    }
    return out;
  }

  /** Instructions per operation in native libraries: everything but generated code and the JVM itself. */
  public static double nativeInstructions(CountResults.Point p) {
    return p.objects().entrySet().stream().filter(e -> CountResults.nativeLibrary(e.getKey()))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /**
   * Instructions per operation but the native libraries' JIT kernels: Java's side and the native
   * libraries' own code. NaN for a point counted before the digest told those kernels apart.
   */
  public static double withoutNativeKernels(CountResults.Point p) {
    Double kernels = p.objects().get(CallgrindProfile.NATIVE_KERNELS_OBJECT);
    return kernels == null ? Double.NaN : p.perOp(CountResults.INSTRUCTIONS) - kernels;
  }

  /** (largest - smallest) / median of one process's segments, percent. */
  public static double segmentRangePercent(CountResults.Point p) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Map<String, Double> s : p.segments()) {
      double v = s.get(CountResults.INSTRUCTIONS);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return 100 * (max - min) / p.perOp(CountResults.INSTRUCTIONS);
  }

  private static List<Double> values(List<CountResults.Point> points, ToDoubleFunction<CountResults.Point> f) {
    return points.stream().map(p -> f.applyAsDouble(p)).toList();
  }

  private static int compareKeys(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
