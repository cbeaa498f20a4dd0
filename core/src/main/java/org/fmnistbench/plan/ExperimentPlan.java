package org.fmnistbench.plan;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.fmnistbench.variants.Variant;

/**
 * What a benchmark run measures and how often: the selection of variants, engines, benchmarks,
 * batch sizes, backends and runtime configurations, the precision level and its repetition
 * counts. Every setting is one {@link PlanSetting} in {@link #SETTINGS}; the command line
 * ({@code BenchDriver}'s options are built from that table), Maven's {@code -Dbench.*} properties
 * ({@link #fromProperties}, {@link #toProperties}) and reproducing command lines
 * ({@link #toArgs}) all go through it, so a new setting is one entry here plus its use.
 *
 * <p>A plan keeps each setting's text as given (what the printers print back) and checks it when
 * set, so that a bad value fails before anything runs, naming the setting.
 */
public final class ExperimentPlan {
  /** The prefix of the Maven properties, {@code bench.}. */
  public static final String PROPERTY_PREFIX = "bench.";

  private static final List<PlanSetting<?>> TABLE = new ArrayList<>();

  public static final PlanSetting<List<Variant>> VARIANTS = add("variants", PlanSetting.Scope.LAUNCH, "all", Variant::parseList,
      "Comma-separated variant ids, or 'all'.");
  public static final PlanSetting<List<String>> ENGINES = add("engines", PlanSetting.Scope.LAUNCH, "", ExperimentPlan::ids,
      "Comma-separated engines: layer-api, samediff, djl-pytorch (empty: DL4J's engines, layer-api and samediff).");
  public static final PlanSetting<List<String>> BENCHMARKS = add("benchmarks", PlanSetting.Scope.SUITE, "train,inference", ExperimentPlan::ids,
      "Comma-separated: train, inference, epoch (epoch is a full training epoch, long on CPU).");
  public static final PlanSetting<List<Integer>> BATCH_SIZES = add("batch-sizes", PlanSetting.Scope.LAUNCH, "32", ExperimentPlan::batchSizes,
      "Comma-separated minibatch sizes (the first is the one the reports tabulate; 32 is the article's).");
  public static final PlanSetting<List<String>> BACKENDS = add("backends", PlanSetting.Scope.SUITE, "cpu", ExperimentPlan::ids,
      "Comma-separated: cpu, cuda.");
  public static final PlanSetting<List<String>> CONFIGS = add("configs", PlanSetting.Scope.SUITE, "default", ExperimentPlan::configs,
      "Runtime configurations, separated by ';', each run in its own JVMs; e.g. 'default;stock;default,format=nhwc'. "
          + "See RuntimeConfig.");
  public static final PlanSetting<String> PRECISION = add("precision", PlanSetting.Scope.LAUNCH, "quick", Function.identity(),
      "Repetition level: quick (the classes' annotations) or precise (see STABILITY.md); explicit counts override it.");
  public static final PlanSetting<Integer> WARMUP_ITERATIONS = add("warmup-iterations", PlanSetting.Scope.LAUNCH, "", t -> count(t, 0),
      "JMH warm-up iterations (empty: the precision level's).");
  public static final PlanSetting<Integer> WARMUP_TIME = add("warmup-time", PlanSetting.Scope.LAUNCH, "", t -> count(t, 1),
      "Seconds per warm-up iteration (empty: the precision level's).");
  public static final PlanSetting<Integer> ITERATIONS = add("iterations", PlanSetting.Scope.LAUNCH, "", t -> count(t, 1),
      "JMH measurement iterations (empty: the precision level's).");
  public static final PlanSetting<Integer> TIME = add("time", PlanSetting.Scope.LAUNCH, "", t -> count(t, 1),
      "Seconds per measurement iteration (empty: the precision level's).");
  public static final PlanSetting<Integer> FORKS = add("forks", PlanSetting.Scope.LAUNCH, "", t -> count(t, 1),
      "JMH forks: the 95 % interval is over their means (empty: the precision level's).");
  public static final PlanSetting<String> JMH_ARGS = add("jmh-args", PlanSetting.Scope.LAUNCH, "", Function.identity(),
      "Extra JMH command-line arguments, appended as given (e.g. \"-prof gc\").");
  public static final PlanSetting<Double> INJECT_SLOWDOWN = add("inject-slowdown", PlanSetting.Scope.LAUNCH, "0", ExperimentPlan::fraction,
      "TEST-ONLY: make every benchmark operation this fraction slower (e.g. 0.2), to exercise regression detection.");
  public static final PlanSetting<Path> OUT = add("out", PlanSetting.Scope.SUITE, "benchmarks/results", Path::of,
      "Folder for result folders.");

  /** Every setting, in the order help texts and printers list them. */
  public static final List<PlanSetting<?>> SETTINGS = Collections.unmodifiableList(TABLE);

  private final Map<PlanSetting<?>, String> given;

  private ExperimentPlan(Map<PlanSetting<?>, String> given) {
    this.given = Collections.unmodifiableMap(given);
  }

  /** Every setting at its default. */
  public static ExperimentPlan defaults() {
    return new ExperimentPlan(new LinkedHashMap<>());
  }

  /** A setting's value (its default's when not given). */
  public <T> T get(PlanSetting<T> setting) {
    return setting.parse(given.get(setting));
  }

  /** The text a setting was given, its default's when it was not. */
  public String text(PlanSetting<?> setting) {
    return given.getOrDefault(setting, setting.defaultText());
  }

  /** Whether a setting was given a value other than its default. */
  public boolean isGiven(PlanSetting<?> setting) {
    String t = given.get(setting);
    return t != null && !t.isBlank() && !t.equals(setting.defaultText());
  }

  /**
   * This plan with {@code setting} set from {@code text} (empty: back to the default).
   *
   * @throws IllegalArgumentException naming the setting when the text is not a value of it
   */
  public ExperimentPlan with(PlanSetting<?> setting, String text) {
    setting.parse(text);
    Map<PlanSetting<?>, String> m = new LinkedHashMap<>(given);
    if (text == null || text.isBlank()) {
      m.remove(setting);
    } else {
      m.put(setting, text.trim());
    }
    return new ExperimentPlan(m);
  }

  /** This plan with an integer setting set, or back to its default for null. */
  public ExperimentPlan withCount(PlanSetting<Integer> setting, Integer value) {
    return with(setting, value == null ? "" : String.valueOf(value));
  }

  /** The setting of that name ({@code batch-sizes}). */
  public static PlanSetting<?> setting(String name) {
    return TABLE.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "unknown setting '" + name + "'; valid: " + TABLE.stream().map(PlanSetting::name).collect(Collectors.joining(", "))));
  }

  /**
   * The plan that Maven's {@code bench.*} properties describe (other properties are ignored).
   *
   * @throws IllegalArgumentException for a {@code bench.*} property no setting has (a misspelling
   *     would otherwise be ignored silently) or a bad value, naming it
   */
  public static ExperimentPlan fromProperties(Map<String, String> properties) {
    ExperimentPlan plan = defaults();
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      if (!e.getKey().startsWith(PROPERTY_PREFIX)) {
        continue;
      }
      PlanSetting<?> s = TABLE.stream().filter(t -> t.property().equals(e.getKey())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown property -D" + e.getKey() + "; valid: "
              + TABLE.stream().map(PlanSetting::property).collect(Collectors.joining(", "))));
      plan = plan.with(s, e.getValue());
    }
    return plan;
  }

  /** {@link #fromProperties} of a properties file (the one the bench profile writes). */
  public static ExperimentPlan readProperties(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no plan properties at " + file + "; expected a file of bench.* properties");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return fromProperties(m);
  }

  /**
   * The given settings as Maven properties for {@code mvn -Pbench}, in table order:
   * {@code -Dbench.variants=cnn -Dbench.engines=layer-api}. {@code ci/nightly} splices them into
   * Maven's command line by word splitting, so a value with white space is refused.
   *
   * @throws IllegalStateException for a value with white space
   */
  public String toProperties() {
    return TABLE.stream().filter(given::containsKey).map(s -> {
      if (given.get(s).matches(".*\\s.*")) {
        throw new IllegalStateException(s.property() + " '" + given.get(s) + "' has white space; it cannot travel as one word");
      }
      return "-D" + s.property() + "=" + given.get(s);
    }).collect(Collectors.joining(" "));
  }

  /** The settings given other than their defaults, as command-line options ({@code --forks 3 --variants cnn}), for a report's reproducing command. */
  public String toArgs() {
    return toArgs(List.copyOf(TABLE));
  }

  /** {@link #toArgs()} of some settings alone. */
  public String toArgs(List<PlanSetting<?>> settings) {
    return settings.stream().filter(this::isGiven).map(s -> " " + s.flag() + " " + shellWord(given.get(s)))
        .collect(Collectors.joining());
  }

  private static String shellWord(String text) {
    return text.matches("[A-Za-z0-9_.,:/=@+-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
  }

  private static <T> PlanSetting<T> add(String name, PlanSetting.Scope scope, String defaultText, Function<String, T> parser,
      String description) {
    PlanSetting<T> s = new PlanSetting<>(name, scope, defaultText, parser, description);
    TABLE.add(s);
    return s;
  }

  private static List<String> ids(String text) {
    List<String> out = Arrays.stream(text.split(",")).map(String::trim).filter(e -> !e.isEmpty()).distinct().toList();
    for (String id : out) {
      if (!id.matches("[a-z0-9][a-z0-9-]*")) {
        throw new IllegalArgumentException("expected comma-separated lower-case ids, got '" + id + "'");
      }
    }
    return out;
  }

  private static List<String> configs(String text) {
    List<String> out = Arrays.stream(text.split(";")).map(String::trim).filter(c -> !c.isEmpty()).distinct().toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("names no configuration; expected e.g. 'default;stock'");
    }
    return out;
  }

  private static List<Integer> batchSizes(String text) {
    List<Integer> out = new ArrayList<>();
    for (String b : text.split(",")) {
      if (!b.trim().matches("[1-9][0-9]{0,5}")) {
        throw new IllegalArgumentException("takes positive whole numbers, got '" + b.trim() + "'");
      }
      out.add(Integer.parseInt(b.trim()));
    }
    return out.stream().distinct().toList(); // a size named twice is measured once
  }

  /**
   * A repetition count, at least {@code least}: no warm-up is a choice, but no fork (JMH's -f 0
   * measures inside the driver's JVM, with nothing to give an interval), no iteration or no second
   * measures nothing.
   */
  private static Integer count(String text, int least) {
    if (text.isEmpty()) {
      return null;
    }
    if (!text.matches("[0-9]{1,6}") || Integer.parseInt(text) < least) {
      throw new IllegalArgumentException("expected a whole number of at least " + least + ", or nothing, got '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  private static Double fraction(String text) {
    double f;
    try {
      f = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a fraction such as 0.1, got '" + text + "'", e);
    }
    if (!(f >= 0 && f < 10)) {
      throw new IllegalArgumentException("expected a fraction from 0 (none) up to 10, got '" + text + "'");
    }
    return f;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExperimentPlan p && p.given.equals(given);
  }

  @Override
  public int hashCode() {
    return given.hashCode();
  }

  @Override
  public String toString() {
    return toArgs().isEmpty() ? "(defaults)" : toArgs().trim();
  }
}
