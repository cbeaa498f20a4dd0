package org.fmnistbench.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import org.fmnistbench.baselines.CommitId;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a recorded figure came from: the commit (with a dirty flag), DL4J version, the ND4J
 * backend that actually ran, the machine and the date.
 *
 * @param commit {@code git rev-parse HEAD}, with "-dirty" if the work tree had changes
 * @param dl4jVersion the DL4J/ND4J version built against
 * @param backend the ND4J backend class that loaded and, on CPU, the runtime configuration
 *     spelled out (e.g. {@code CpuBackend[build=onednn-avx2,helpers=on,...]})
 * @param machine CPU model and logical cores
 * @param recordedAt UTC time, to the second
 */
public record Provenance(String commit, String dl4jVersion, String backend, String machine, String recordedAt) {

  /** Provenance of the current process. */
  public static Provenance current() {
    return new Provenance(CommitId.current().full(), buildProperty("dl4j.version"),
        backendDescription(), describeMachine(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The backend class, with the runtime configuration that ran on it. */
  public static String backendDescription() {
    String described = NativeRuntime.describeActive();
    return Nd4j.getBackend().getClass().getSimpleName() + "[" + described + "]";
  }

  /** The same provenance, recorded at another time. */
  public Provenance at(Instant time) {
    return new Provenance(commit, dl4jVersion, backend, machine, time.truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** A value from the Maven-filtered {@code suite-build.properties}. */
  public static String buildProperty(String key) {
    try (InputStream in = Provenance.class.getResourceAsStream("/suite-build.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty(key, "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** CPU model and logical core count, from /proc/cpuinfo where there is one. */
  public static String describeMachine() {
    return CpuFeatures.detect().model() + " x" + Runtime.getRuntime().availableProcessors();
  }


}
