package org.fmnistbench.util;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Parsing of the suite's named choices (variants, engines, tiers, native builds, backends):
 * each is an enum with a lower-case id, matched after trimming and lower-casing, and a wrong
 * name is refused with the list of valid ones.
 */
public final class EnumIds {
  private EnumIds() {}

  /**
   * The constant of {@code type} whose id is {@code id}.
   *
   * @param what what the choice is called in the error ("variant", "engine", ...)
   * @throws IllegalArgumentException naming the unknown id and the valid ones
   */
  public static <E extends Enum<E>> E byId(Class<E> type, String what, String id, Function<E, String> idOf) {
    String key = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (idOf.apply(e).equals(key)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + id + "'; valid: "
        + Arrays.stream(type.getEnumConstants()).map(idOf).collect(Collectors.joining(", ")));
  }
}
