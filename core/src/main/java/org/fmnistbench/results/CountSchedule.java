package org.fmnistbench.results;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which points the nightly counts on which night. Counting under Valgrind is slow, so a night
 * cannot count every point: every night counts each variant's cheapest point, and the rest are
 * dealt into {@code nights} groups of about equal cost (largest first, each into the cheapest
 * group so far), one group a night, so every point is counted once every {@code nights} nights.
 *
 * @param everyNight the points counted every night
 * @param rotation the other points, one group per night of the cycle
 * @param cost each point's expected seconds (one counting process)
 */
public record CountSchedule(List<String> everyNight, List<List<String>> rotation, Map<String, Double> cost) {

  /**
   * Plans the cycle.
   *
   * @param cost every point's key with its expected seconds
   * @param nights the length of the cycle (7: every point once a week)
   */
  public static CountSchedule plan(Map<String, Double> cost, int nights) {
    if (nights < 1) {
      throw new IllegalArgumentException("a cycle has at least one night, got " + nights);
    }
    Map<String, String> cheapest = new LinkedHashMap<>();
    cost.forEach((key, seconds) -> cheapest.merge(variant(key), key,
        (a, b) -> cost.get(b) < cost.get(a) || (cost.get(b).equals(cost.get(a)) && b.compareTo(a) < 0) ? b : a));
    List<String> every = cheapest.values().stream().sorted().toList();
    List<String> rest = cost.keySet().stream().filter(k -> !every.contains(k))
        .sorted(Comparator.comparingDouble((String k) -> -cost.get(k)).thenComparing(k -> k)).toList();
    List<List<String>> groups = new ArrayList<>();
    double[] load = new double[nights];
    for (int i = 0; i < nights; i++) {
      groups.add(new ArrayList<>());
    }
    for (String k : rest) {
      int lightest = 0;
      for (int i = 1; i < nights; i++) {
        if (load[i] < load[lightest]) {
          lightest = i;
        }
      }
      groups.get(lightest).add(k);
      load[lightest] += cost.get(k);
    }
    return new CountSchedule(every, groups.stream().map(g -> g.stream().sorted().toList()).toList(), Map.copyOf(cost));
  }

  /**
   * Each point's expected seconds for one counting process on CPU model {@code cpu} under JIT
   * setting {@code jit}, for every point counted under that setting on any model: the median
   * process on {@code cpu} where it was counted there, else the dearest other model's (a plan
   * made on this model's own costs is what COUNTS.md publishes for it; one never seen takes the
   * dearest, so that its nights do not overrun). The counting command's plan and COUNTS.md's both
   * come from here, so the night COUNTS.md prices is the night the nightly counts.
   */
  public static Map<String, Double> costsOn(List<CountSpread> spreads, String jit, String cpu) {
    Map<String, Double> own = new TreeMap<>();
    Map<String, Double> dearest = new TreeMap<>();
    for (CountSpread s : spreads) {
      if (s.jit().equals(jit)) {
        (s.cpu().equals(cpu) ? own : dearest).merge(s.key(), s.medianSeconds(), Math::max);
      }
    }
    dearest.putAll(own);
    return dearest;
  }

  /** The points of night {@code index} (any whole number; the cycle repeats). */
  public List<String> night(long index) {
    List<String> out = new ArrayList<>(everyNight);
    out.addAll(rotation.get((int) Math.floorMod(index, (long) rotation.size())));
    return out;
  }

  /** The expected seconds of one counting process of each of night {@code index}'s points, summed. */
  public double seconds(long index) {
    return night(index).stream().mapToDouble(cost::get).sum();
  }

  /** The night a UTC date falls on: days since 1970-01-01. */
  public static long nightOf(LocalDate date) {
    return date.toEpochDay();
  }

  private static String variant(String key) {
    String[] parts = key.split("/");
    if (parts.length != 4) {
      throw new IllegalArgumentException("a point key is benchmark/variant/engine/batch, got '" + key + "'");
    }
    return parts[1];
  }
}
