package org.fmnistbench.bench.count;

import java.nio.file.Path;

/**
 * Callgrind's client requests, issued from Java at the exact boundary of the counted steps
 * (through the small JNI library built from {@code callgrind_requests.c}; see {@link HelperLibrary}).
 * Outside Valgrind each request is a no-op, which {@link #underValgrind()} tells apart.
 *
 * <p>Why client requests and not {@code callgrind_control} or {@code --toggle-collect}: the
 * control file is polled, so a count would start and stop at a point that depends on timing;
 * toggling on a native symbol sees only ND4J's side of a step, not DL4J's Java code.
 */
final class Callgrind {
  private Callgrind() {}

  /** Loads the helper library; once per JVM. */
  static void load(Path library) {
    System.load(library.toAbsolutePath().toString());
  }

  static native boolean underValgrind();

  /** Instrumentation on from here (Valgrind re-translates what runs next), totals zeroed. */
  static native void startInstrumentation();

  /** Flips collection for the calling thread only (the run starts with {@code --collect-atstart=no}). */
  static native void toggleCollect();

  /** Writes what was collected since the last dump, under {@code label}, and zeroes it. */
  static native void dump(String label);

  static native void stopInstrumentation();

  /** glibc's {@code malloc_trim(0)}: consolidates its free lists (not a client request; works anywhere). */
  static native void trimMalloc();
}
