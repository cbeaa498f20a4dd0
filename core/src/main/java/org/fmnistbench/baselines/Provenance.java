package org.fmnistbench.baselines;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * Where a recorded figure came from: the commit (with a dirty flag), DL4J version, the ND4J
 * backend that actually ran, the machine and the date. The one provenance type of the baselines;
 * models' {@code NativeRuntime.provenance()} fills the backend and machine, which need ND4J.
 *
 * @param commit {@link CommitId#full()} of the code that ran
 * @param dl4jVersion the DL4J/ND4J version built against ({@link #dl4jVersion()})
 * @param backend the ND4J backend class that loaded and, on CPU, the runtime configuration
 *     spelled out (e.g. {@code CpuBackend[build=onednn-avx2,helpers=on,...]})
 * @param machine CPU model and logical cores
 * @param recordedAt UTC time, to the second
 */
public record Provenance(String commit, String dl4jVersion, String backend, String machine, String recordedAt) {

  /** Provenance of this process's code, now, on the given backend and machine. */
  public static Provenance of(String backend, String machine) {
    return new Provenance(CommitId.current().full(), builtAgainst(), backend, machine,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The same provenance on another backend (an engine that is not ND4J's describes its own). */
  public Provenance withBackend(String description) {
    return new Provenance(commit, dl4jVersion, description, machine, recordedAt);
  }

  /** The same provenance, recorded at another time. */
  public Provenance at(Instant time) {
    return new Provenance(commit, dl4jVersion, backend, machine, time.truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The DL4J/ND4J version the suite was built against (Maven-filtered {@code suite-build.properties}), or "unknown". */
  public static String builtAgainst() {
    try (InputStream in = Provenance.class.getResourceAsStream("/suite-build.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("dl4j.version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
