package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;

/**
 * One injection drill's outcome (a {@link #fileName count-drill file}, written by {@code BenchDriver
 * count-drill}; COUNTS.md renders every drill kept): for each point, work of a known share injected into
 * every operation, and whether the count's change exceeded the nightly's limit; and an A/A pair
 * per point, which must raise nothing.
 *
 * @param commit the suite's commit
 * @param cpu the CPU model
 * @param jit the JIT setting
 * @param rows one row per point and injection (kind "aa" for the unchanged pair)
 */
public record CountDrill(@JsonProperty(value = "commit", required = true) String commit,
    @JsonProperty(value = "cpu", required = true) String cpu, @JsonProperty(value = "jit", required = true) String jit,
    @JsonProperty(value = "rows", required = true) List<Row> rows) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public CountDrill {
    rows = List.copyOf(rows);
  }

  /**
   * One injection.
   *
   * @param key the point
   * @param kind native, java, or aa (nothing injected, a second process)
   * @param asked the share of the point's count asked for (0 for aa)
   * @param units units of injected work per operation
   * @param injected the share the units amount to, by their counted instructions
   * @param change the count's measured relative change against the baseline process
   * @param nativeChange the same for the native libraries' instructions alone
   * @param withoutKernelsChange the same for all but the native libraries' JIT kernels (NaN in
   *     drills from before it was recorded)
   * @param limit the nightly's limit for the point
   * @param raised whether the change exceeded the limit
   * @param runtimeOverrides the runtime the point's processes ran under, as a counted point records
   *     it ({@link CountResults.Point#runtimeOverrides}); absent from drills before it was recorded,
   *     which ran every point under the base counting runtime ("")
   */
  public record Row(@JsonProperty(value = "key", required = true) String key,
      @JsonProperty(value = "kind", required = true) String kind,
      @JsonProperty("asked") double asked, @JsonProperty("units") int units,
      @JsonProperty("injected") double injected, @JsonProperty(value = "change", required = true) double change,
      @JsonProperty("native_change") Double nativeChange,
      @JsonProperty("without_kernels_change") Double withoutKernelsChange, @JsonProperty(value = "limit", required = true) double limit,
      @JsonProperty(value = "raised", required = true) boolean raised, @JsonProperty("runtime_overrides") String runtimeOverrides) {
    public Row {
      runtimeOverrides = runtimeOverrides == null ? "" : runtimeOverrides;
      nativeChange = nativeChange == null ? Double.NaN : nativeChange; // drills from before it was recorded
      withoutKernelsChange = withoutKernelsChange == null ? Double.NaN : withoutKernelsChange;
    }

    /**
     * Whether the drill counted the point under its counting runtime ({@link CountingRuntime}): only
     * then do the point's limits judge it.
     */
    public boolean underCountingRuntime() {
      return runtimeOverrides.equals(CountingRuntime.overridesOf(key));
    }

    /** The measured changes by basis, as {@link CountLimit#called} takes them. */
    public Map<CountLimit.Basis, Double> changes() {
      return Map.of(CountLimit.Basis.ALL, change, CountLimit.Basis.WITHOUT_KERNELS, withoutKernelsChange,
          CountLimit.Basis.NATIVE, nativeChange);
    }

    /** The change on {@code basis}. */
    public double change(CountLimit.Basis basis) {
      return changes().get(basis);
    }
  }

  /** How a drill's file is named: {@code count-drill-<UTC time>-<commit>.json}, one file per drill. */
  public static String fileName(String stamp, String commit) {
    return "count-drill-" + stamp + "-" + commit + ".json";
  }

  /** Every drill's file directly in {@code dir}, oldest first (by the time in its name). */
  public static List<Path> filesIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var list = Files.list(dir)) {
      return list.filter(p -> p.getFileName().toString().matches("count-drill-.*\\.json")).sorted().toList();
    }
  }

  public static CountDrill read(Path file) throws IOException {
    return JsonFiles.read(JSON, file, CountDrill.class, "a count drill's file (BenchDriver count-drill's results)");
  }

  public void write(Path file) throws IOException {
    AtomicFiles.writeJson(file, this);
  }
}
