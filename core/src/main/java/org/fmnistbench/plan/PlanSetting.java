package org.fmnistbench.plan;

import java.util.function.Function;

/**
 * One setting of an {@link ExperimentPlan}, spelled once: its name gives the command-line flag
 * ({@code --batch-sizes}) and the Maven property ({@code bench.batchSizes}); its parser turns the
 * text given in either into the typed value and rejects bad text naming the setting.
 *
 * @param <T> the parsed value's type
 */
public final class PlanSetting<T> {
  /** Which commands take a setting. */
  public enum Scope {
    /** Every command that launches JMH: what to measure and how often. */
    LAUNCH,
    /** The suite run ({@code mvn verify -Pbench}) alone: its benchmarks, backends, configurations and output folder. */
    SUITE
  }

  private final String name;
  private final Scope scope;
  private final String defaultText;
  private final Function<String, T> parser;
  private final String description;

  PlanSetting(String name, Scope scope, String defaultText, Function<String, T> parser, String description) {
    this.name = name;
    this.scope = scope;
    this.defaultText = defaultText;
    this.parser = parser;
    this.description = description;
  }

  /** The name, in kebab case ({@code batch-sizes}). */
  public String name() {
    return name;
  }

  /** Which commands take it. */
  public Scope scope() {
    return scope;
  }

  /** The command-line flag, {@code --} and the name. */
  public String flag() {
    return "--" + name;
  }

  /** The Maven property, {@code bench.} and the name in camel case ({@code bench.batchSizes}). */
  public String property() {
    StringBuilder p = new StringBuilder(ExperimentPlan.PROPERTY_PREFIX);
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        p.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return p.toString();
  }

  /** The text that stands for "not given" (an empty text means the same). */
  public String defaultText() {
    return defaultText;
  }

  /** What the setting does, for help texts. */
  public String description() {
    return description;
  }

  /**
   * The value {@code text} stands for; an empty text is the default's.
   *
   * @throws IllegalArgumentException naming the setting and what it expects
   */
  public T parse(String text) {
    String t = text == null || text.isBlank() ? defaultText : text.trim();
    try {
      return parser.apply(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag() + " (" + property() + "): " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
