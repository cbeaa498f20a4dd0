package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CountScheduleTest {
  /** 4 variants x 2 engines x 2 benchmarks with costs growing with the variant, training 3x inference. */
  static Map<String, Double> costs() {
    Map<String, Double> c = new LinkedHashMap<>();
    String[] variants = {"mlp", "cnn", "cnn3", "cnn4"};
    for (int v = 0; v < variants.length; v++) {
      for (String engine : List.of("layer-api", "samediff")) {
        double base = Math.pow(4, v) * (engine.equals("samediff") ? 1.2 : 1.0);
        c.put("inference/" + variants[v] + "/" + engine + "/32", 60 * base);
        c.put("trainStep/" + variants[v] + "/" + engine + "/32", 180 * base);
      }
    }
    return c;
  }

  @Test
  void everyNightCountsEachVariantsCheapestPointAndAWeekCountsEveryPoint() {
    CountSchedule s = CountSchedule.plan(costs(), 7);
    assertEquals(List.of("inference/cnn/layer-api/32", "inference/cnn3/layer-api/32", "inference/cnn4/layer-api/32",
        "inference/mlp/layer-api/32"), s.everyNight());
    for (long start : new long[] {0, 3, 20_426}) {
      Set<String> week = new HashSet<>();
      for (long n = start; n < start + 7; n++) {
        assertTrue(s.night(n).containsAll(s.everyNight()));
        week.addAll(s.night(n));
      }
      assertEquals(costs().keySet(), week, "seven nights from " + start);
    }
  }

  @Test
  void theRotationSpreadsTheCostNoNightCarriesMoreThanTheDearestPointAboveAnother() {
    Map<String, Double> c = costs();
    CountSchedule s = CountSchedule.plan(c, 7);
    double dearest = c.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    double most = 0;
    double least = Double.MAX_VALUE;
    for (int n = 0; n < 7; n++) {
      most = Math.max(most, s.seconds(n));
      least = Math.min(least, s.seconds(n));
    }
    // greedy balancing: the heaviest night exceeds the lightest by at most one point's cost
    assertTrue(most - least <= dearest, most + " vs " + least);
  }

  private static CountSpread spread(String key, String jit, String cpu, double... seconds) {
    List<Double> s = Arrays.stream(seconds).boxed().toList();
    List<Double> ones = s.stream().map(x -> 1e6).toList();
    return new CountSpread(key, jit, cpu, ones, ones, ones, 0, s, s.stream().map(x -> "abc").toList());
  }

  @Test
  void aPointIsPricedByThisModelsMedianProcessElseByTheDearestOtherModelsAndOtherJitSettingsAreLeftOut() {
    List<CountSpread> spreads = List.of(
        spread("inference/mlp/layer-api/32", "c1", "Intel", 20, 30, 1000),
        spread("inference/mlp/layer-api/32", "c1", "AMD", 60, 70, 80),
        spread("inference/cnn/layer-api/32", "c1", "AMD", 100),
        spread("inference/cnn/layer-api/32", "c1", "Other", 300),
        spread("inference/cnn/layer-api/32", "tiered", "Intel", 5000),
        spread("trainStep/cnn/layer-api/32", "tiered", "AMD", 900));
    Map<String, Double> onIntel = CountSchedule.costsOn(spreads, "c1", "Intel");
    assertEquals(Map.of("inference/mlp/layer-api/32", 30.0, "inference/cnn/layer-api/32", 300.0), onIntel);
    assertEquals(Map.of("inference/mlp/layer-api/32", 70.0, "inference/cnn/layer-api/32", 100.0),
        CountSchedule.costsOn(spreads, "c1", "AMD"));
    // a model never counted on: every point at the dearest model's cost
    assertEquals(Map.of("inference/mlp/layer-api/32", 70.0, "inference/cnn/layer-api/32", 300.0),
        CountSchedule.costsOn(spreads, "c1", "Graviton"));
  }
}
