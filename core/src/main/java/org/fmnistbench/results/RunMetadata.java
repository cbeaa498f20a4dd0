package org.fmnistbench.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.io.AtomicFiles;
import org.fmnistbench.io.JsonFiles;

/**
 * What a benchmark result needs beside it to be compared across machines and releases
 * ({@code metadata-<label>.json} beside each JMH result): the suite's commit, DL4J/ND4J versions,
 * the backend that loaded and how it was built, the runtime configuration, the CPU, memory, GPUs,
 * the JVM with its flags, the OS, the threading environment, and how busy the machine was. One
 * type, one writer ({@link #write}) and one reader ({@link #read}); benchmarks' collector fills it.
 * Fields absent from older files (or not applicable, as a GPU's on CPU) read as null; the four the
 * history files a run by (when, which commit, which backend, which CPU) are required.
 *
 * @param collectedAt UTC time the collector ran, to the second
 * @param memoryTotalMib the machine's memory (MemTotal), -1 where unknown
 * @param gpus what nvidia-smi reports, empty without a driver
 * @param environment the threading variables that were set (OMP_NUM_THREADS...)
 * @param testInjectedSlowdown a regression drill's injected slowdown; null in a real run
 * @param machineActivity how busy the machine was during the run (added by the driver after it)
 * @param djl the DJL engine's versions and threads, when the run measured it (null otherwise)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunMetadata(@JsonProperty(required = true) String collectedAt, @JsonProperty(required = true) Suite suite,
    @JsonProperty(required = true) Backend backend, Runtime runtime, @JsonProperty(required = true) Cpu cpu, long memoryTotalMib,
    List<Gpu> gpus, Jvm jvm, Map<String, String> os, Map<String, String> environment, Double testInjectedSlowdown,
    MachineActivity machineActivity, Djl djl) {
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The suite's build: its commit (with the dirty flag) and the DL4J/ND4J version it was built against. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Suite(String commit, boolean dirty, String dl4jVersion, String nd4jVersion) {
    public CommitId commitId() {
      return new CommitId(commit == null ? "unknown" : commit, dirty);
    }
  }

  /**
   * The ND4J backend: requested (cpu, cuda) and loaded (its class), how its native build was made,
   * and on CUDA the device.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Backend(String requested, String loaded, String blasVendor, boolean onednnInBuild, boolean cudnnInBuild,
      boolean dl4jHelpersEnabled, String dataType, String deviceName, String computeCapability, Long deviceMemoryMib,
      String buildInfo, Map<String, String> environmentInformation) {}

  /**
   * The runtime configuration the JVM ran: its id, its settings spelled out, and on CPU the native
   * build's classifier, DL4J's own check that oneDNN is on, OpenBLAS's thread count and ND4J's
   * OpenMP threads (what the DJL engine's PyTorch threads are set equal to).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Runtime(String id, String settings, String nd4jNativeClassifier, Boolean dl4jOnednnCheck, Integer blasThreads,
      Integer nd4jThreads) {}

  /**
   * The djl-pytorch engine: DJL's and PyTorch's versions, PyTorch's build flavour (cpu, cu124),
   * its intra- and inter-op threads, the features its build reports (MKL, MKLDNN, OPENMP...) and
   * the cap on ATen's vector kernels (ATEN_CPU_CAPABILITY, "default" when unset).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Djl(String djlVersion, String pytorchVersion, String flavor, Integer intraOpThreads,
      Integer interOpThreads, List<String> build, String cpuCapability) {}

  /** The CPU: model, logical cores, the SIMD level the suite's rule gives it, its vector flags. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cpu(String model, int logicalCores, String simd, List<String> vectorFlags) {}

  /** One GPU as nvidia-smi names it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Gpu(String name, String computeCapability, String driver, String memoryMiB) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Jvm(String version, String vm, String vendor, List<String> flags, long maxHeapMib) {}

  /**
   * How busy the machine was while the run measured (Linux's /proc; null elsewhere).
   *
   * @param stealFraction CPU time the hypervisor gave to other VMs
   * @param busyFraction CPU time busy at all
   * @param othersBusyFraction busy time of processes outside the run (a build, a second ND4J process)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MachineActivity(Double wallSeconds,
      @JsonProperty("load_average_1m_at_start") Double loadAverage1mAtStart, Double stealFraction, Double busyFraction,
      Double othersBusyFraction) {}

  /** The same metadata with the machine's activity during the run. */
  public RunMetadata withActivity(MachineActivity activity) {
    return new RunMetadata(collectedAt, suite, backend, runtime, cpu, memoryTotalMib, gpus, jvm, os, environment,
        testInjectedSlowdown, activity, djl);
  }

  /** The same metadata with the DJL engine's description. */
  public RunMetadata withDjl(Djl description) {
    return new RunMetadata(collectedAt, suite, backend, runtime, cpu, memoryTotalMib, gpus, jvm, os, environment,
        testInjectedSlowdown, machineActivity, description);
  }

  /** The activity, or one of nulls for a file written without it. */
  public MachineActivity activity() {
    return machineActivity != null ? machineActivity : new MachineActivity(null, null, null, null, null);
  }

  /** Reads a metadata file, naming it in the error when it is not one. */
  public static RunMetadata read(Path file) throws IOException {
    return JsonFiles.read(JSON, file, RunMetadata.class, "run metadata (metadata-<label>.json as the bench driver writes it)");
  }

  /** Writes it as pretty JSON via a temporary file and a rename. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeJson(file, this);
  }
}
