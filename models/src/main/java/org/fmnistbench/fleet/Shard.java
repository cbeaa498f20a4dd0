package org.fmnistbench.fleet;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One machine's share of a piece of work spread over {@code count} machines: {@code K/N},
 * 1-based. Every machine must be given the same list of jobs (same command, same commit): each
 * takes the slice {@link Balance} assigns to its index, so together they do every job exactly once.
 *
 * @param index this machine's slice, 1..count
 * @param count how many machines share the work
 */
public record Shard(int index, int count) {
  /** The whole work on one machine. */
  public static final Shard ALL = new Shard(1, 1);

  public Shard {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException("a shard is K/N with 1 <= K <= N, got " + index + "/" + count);
    }
  }

  /** Parses {@code K/N}, e.g. {@code 2/3}; the error says what was expected. */
  public static Shard parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    if (!s.matches("\\d{1,6}/\\d{1,6}")) {
      throw new IllegalArgumentException("shard must be K/N (this machine's slice K of N, e.g. 2/3), got '" + spec + "'");
    }
    String[] parts = s.split("/");
    return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  /** This shard's jobs among {@code jobs}, in their given order. */
  public <T> List<T> select(List<T> jobs, ToDoubleFunction<T> cost) {
    return Balance.split(jobs, cost, count).get(index - 1);
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
