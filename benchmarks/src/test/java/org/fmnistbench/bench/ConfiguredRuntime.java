package org.fmnistbench.bench;

import org.fmnistbench.runtime.NativeRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The benchmarks' tests' entry point to the native runtime, as models' tests have theirs (a test
 * class of another module is not on this classpath): configures this JVM from
 * {@code -Dsuite.runtime} before any test class runs, as {@link Backend#verifyLoaded} does in a
 * benchmark's fork. Registered through JUnit's extension autodetection (src/test/resources).
 */
public final class ConfiguredRuntime implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    NativeRuntime.configure();
  }
}
