package org.fmnistbench.baselines;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's {@code baselines/} folder is. */
public final class Repo {
  public static final String BASELINES_PROPERTY = "suite.baselines";

  private Repo() {}

  /**
   * The {@code baselines/} directory: system property {@value #BASELINES_PROPERTY}, else the
   * nearest {@code baselines/} beside a {@code pom.xml} at or above the working directory (so
   * it is found from the project root and from a module's directory alike).
   */
  public static Path baselinesDir() {
    String configured = System.getProperty(BASELINES_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("baselines");
      if (Files.isDirectory(candidate) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no baselines/ directory at or above " + Path.of("").toAbsolutePath()
        + "; run from the project or set -D" + BASELINES_PROPERTY);
  }
}
