package org.fmnistbench.results;

import java.util.List;
import java.util.Map;

/**
 * Which runtime each point is counted under: the base counting runtime ({@code CountSetting.RUNTIME}
 * in the benchmarks module), changed for a few points by the overrides below. A point's A/A
 * spread, its limits, the nightly's comparisons and the drill take only its processes counted
 * under its own counting runtime; a count under any other is no repeat of it.
 *
 * <p>Why a point has overrides, measured (COUNTS.md, "A/A under a changed runtime setting"):
 * <ul>
 *   <li>SameDiff's mlp inference, {@code malloc=mapped}: oneDNN's AVX sgemm kernel packs its A
 *       operand only when A is 32-byte aligned, and under the base's {@code malloc=retain} the
 *       buffer's alignment depends on the process's allocation history, so the count takes one of
 *       two values per process. On this small step those kernels are a large share, and its
 *       processes spread 0.5-0.7 % on all instructions (over the 0.5 % target); under
 *       {@code malloc=mapped} every block of 64 KiB or more sits at the same page offset, and they
 *       spread 0.04 % (c1) and 0.13 % (tiered) on AMD EPYC. The other points meet the target under
 *       the base as it is, and keep it, with their A/A and history.
 * </ul>
 */
public final class CountingRuntime {
  /**
   * By point (benchmark/variant/engine, any batch): overrides of the base counting runtime, spelled
   * as RuntimeConfig spells a difference ("key=value,...", its table order; CountSettingTest keeps
   * them canonical, so that a recorded point compares equal).
   */
  static final Map<String, String> OVERRIDES = Map.of("inference/mlp/samediff", "malloc=mapped");

  private CountingRuntime() {}

  /** The overrides of the base counting runtime that point {@code key} (benchmark/variant/engine/batch) is counted under; "" for none. */
  public static String overridesOf(String key) {
    List<String> parts = List.of(key.split("/"));
    String point = String.join("/", parts.subList(0, Math.min(3, parts.size())));
    return OVERRIDES.getOrDefault(point, "");
  }

  /** Every point's overrides that are not empty, by point (benchmark/variant/engine). */
  public static Map<String, String> all() {
    return OVERRIDES;
  }

  /** Whether {@code p} was counted under its point's counting runtime (else under a changed setting). */
  public static boolean countedUnderIt(CountResults.Point p) {
    return p.runtimeOverrides().equals(overridesOf(p.key()));
  }
}
