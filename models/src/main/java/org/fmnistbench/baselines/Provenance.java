package org.fmnistbench.baselines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.fmnistbench.runtime.CpuFeatures;
import org.fmnistbench.runtime.NativeRuntime;
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

  /** The commit of the working directory's git checkout, or "unknown" outside one. */
  public static String gitCommit() {
    String head = run(List.of("git", "rev-parse", "HEAD"));
    if (head.isEmpty()) {
      return "unknown";
    }
    // Untracked files do not make a result dirty; edits to tracked files do, except to the
    // recorded data and generated reports, which recording itself changes (they are not code).
    String status = run(List.of("git", "status", "--porcelain", "--untracked-files=no", "--", ":(top)",
        ":(top,exclude)baselines", ":(top,exclude)models/reports", ":(top,exclude)benchmarks/reports"));
    return status.isEmpty() ? head : head + "-dirty";
  }

  /** CPU model and logical core count, from /proc/cpuinfo where there is one. */
  public static String describeMachine() {
    return CpuFeatures.detect().model() + " x" + Runtime.getRuntime().availableProcessors();
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "";
      }
      return new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
