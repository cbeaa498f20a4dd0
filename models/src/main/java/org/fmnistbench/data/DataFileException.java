package org.fmnistbench.data;

import java.nio.file.Path;

/** A Fashion-MNIST file that is missing, truncated, corrupt or not what it claims to be. */
public final class DataFileException extends RuntimeException {
  public DataFileException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public DataFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }

  public DataFileException(String message) {
    super(message);
  }
}
