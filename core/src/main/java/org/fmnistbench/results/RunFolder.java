package org.fmnistbench.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A benchmark run's result folder, as the bench driver writes it: per result label (a backend and
 * runtime configuration: {@code cpu}, {@code cpu@stock}) JMH's JSON {@code jmh-<label>.json} and
 * the metadata {@code metadata-<label>.json}. The one place that spells those names: the driver
 * writes through it and every reader (reports, the nightly) finds files through it.
 *
 * @param dir the folder
 */
public record RunFolder(Path dir) {
  /** The label of the CPU backend under the default configuration: what the nightly's history tracks. */
  public static final String CPU = "cpu";

  /** The label of a backend under a configuration: {@code cpu} for the default, {@code cpu@stock}, {@code cpu@default_format-nhwc}. */
  public static String label(String backendId, String configId) {
    return configId.equals("default") ? backendId
        : backendId + "@" + configId.toLowerCase(Locale.ROOT).replace('=', '-').replaceAll("[^a-z0-9.-]", "_");
  }

  /** The backend of a label ({@code cpu@stock}: {@code cpu}). */
  public static String backendOf(String label) {
    int at = label.indexOf('@');
    return at < 0 ? label : label.substring(0, at);
  }

  /** The name of a label's JMH JSON, {@code jmh-<label>.json} (a stability run's files carry a prefix before it). */
  public static String jmhName(String label) {
    return "jmh-" + label + ".json";
  }

  /** The name of a label's metadata, {@code metadata-<label>.json}. */
  public static String metadataName(String label) {
    return "metadata-" + label + ".json";
  }

  /** A label's JMH JSON. */
  public Path jmh(String label) {
    return dir.resolve(jmhName(label));
  }

  /** Where JMH writes a label's JSON until it has succeeded (then renamed to {@link #jmh}). */
  public Path jmhInProgress(String label) {
    return dir.resolve(jmhName(label) + ".part");
  }

  /** A label's metadata. */
  public Path metadata(String label) {
    return dir.resolve(metadataName(label));
  }

  /** The labels with a JMH JSON in the folder, sorted (none when it holds none, or is no folder). */
  public List<String> labels() throws IOException {
    if (!Files.isDirectory(dir)) { // listing it would fail with the bare path as the message
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("jmh-[a-z]+(@[a-z0-9._-]+)?\\.json"))
          .map(n -> n.substring("jmh-".length(), n.length() - ".json".length())).sorted().toList();
    }
  }
}
