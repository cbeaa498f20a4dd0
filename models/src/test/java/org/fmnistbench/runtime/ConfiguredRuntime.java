package org.fmnistbench.runtime;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The tests' entry point to the native runtime: configures this JVM from {@code -Dsuite.runtime}
 * (default "default") before any test class runs, as the CLI, the gate and the benchmarks do
 * before theirs ({@link NativeRuntime#active} refuses a JVM nothing configured). Registered for
 * every test of the module through JUnit's extension autodetection (src/test/resources).
 */
public final class ConfiguredRuntime implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    NativeRuntime.configure();
  }
}
