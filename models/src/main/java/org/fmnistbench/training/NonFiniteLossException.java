package org.fmnistbench.training;

/** Training produced a NaN or infinite loss; the run's results are discarded. */
public final class NonFiniteLossException extends RuntimeException {
  public NonFiniteLossException(String message) {
    super(message);
  }
}
