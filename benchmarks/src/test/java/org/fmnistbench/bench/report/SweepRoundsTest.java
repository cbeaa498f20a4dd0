package org.fmnistbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fmnistbench.results.JmhJson;
import org.junit.jupiter.api.Test;

/**
 * The interleaved-rounds table of a sweep: medians and ranges over the rounds, and each round's
 * ratio to the first configuration of the same round (so a machine that slows down between
 * rounds moves both configurations, not the ratio).
 */
class SweepRoundsTest {
  private static JmhJson.Point point(String method, String engine, double usPerSample) {
    return new JmhJson.Point(method, Map.of("variant", "CNN", "engine", engine, "batchSize", "32"),
        usPerSample * 32, Double.NaN, usPerSample, Map.of());
  }

  private static List<JmhJson.Point> round(double train, double inference) {
    return List.of(point("trainStep", "layer-api", train), point("inference", "layer-api", inference));
  }

  @Test
  void ratiosAreTakenWithinEachRound() {
    Map<String, List<List<JmhJson.Point>>> byRound = new LinkedHashMap<>();
    // the machine runs 2x slower in round 2; B is 0.8x A in every round
    byRound.put("default,pool.helpers=on", List.of(round(1000, 200), round(2000, 400), round(1100, 210)));
    byRound.put("default", List.of(round(800, 150), round(1600, 300), round(880, 160)));
    String md = SweepRounds.rounds(byRound, "default,pool.helpers=on");
    assertTrue(md.contains("| default,pool.helpers=on | layer-api | cnn | 32 | 3 | 1,100 [1,000-2,000] | 210 [200-400] | 1.00 [1.00-1.00] |"), md);
    assertTrue(md.contains("| default | layer-api | cnn | 32 | 3 | 880 [800-1,600] | 160 [150-300] | 0.80 [0.80-0.80] |"), md);
  }
}
