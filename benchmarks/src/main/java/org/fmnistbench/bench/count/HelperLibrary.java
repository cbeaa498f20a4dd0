package org.fmnistbench.bench.count;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fmnistbench.io.ShortCommand;

/**
 * The JNI library behind {@link Callgrind}, compiled on first use from the source in this jar
 * with the system's C compiler, against the JDK's JNI headers and Valgrind's client-request
 * headers (Debian's {@code valgrind} package installs them). It is cached under the temporary
 * folder by the source's hash, so a changed source is compiled again.
 */
public final class HelperLibrary {
  static final String SOURCE = "callgrind_requests.c";
  /** A compile of one small file takes a second; minutes means a compiler that is stuck. */
  private static final Duration COMPILE_LIMIT = Duration.ofMinutes(2);

  private HelperLibrary() {}

  /** The compiled library, compiling it if needed. */
  public static synchronized Path path() throws IOException, InterruptedException {
    byte[] source;
    try (InputStream in = HelperLibrary.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SOURCE + " is missing from the classpath (org/fmnistbench/bench/count/)");
      }
      source = in.readAllBytes();
    }
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fmnistbench-callgrind-" + hash(source));
    Path library = dir.resolve("libcallgrindrequests.so");
    if (Files.isRegularFile(library)) {
      return library;
    }
    Files.createDirectories(dir);
    Path c = dir.resolve(SOURCE);
    Files.write(c, source);
    Path jdk = Path.of(System.getProperty("java.home"));
    if (!Files.isRegularFile(jdk.resolve("include/jni.h"))) {
      throw new IllegalStateException("counting compiles a small JNI library and needs a JDK's headers, but "
          + jdk.resolve("include/jni.h") + " is missing: run with a full JDK (openjdk-17-jdk), not a JRE");
    }
    if (!Files.isRegularFile(Path.of("/usr/include/valgrind/callgrind.h"))) {
      throw new IllegalStateException("counting needs Valgrind and its headers (/usr/include/valgrind/callgrind.h "
          + "is missing): apt-get install valgrind");
    }
    Path partial = dir.resolve(library.getFileName() + ".part-" + ProcessHandle.current().pid());
    List<String> cmd = List.of("cc", "-shared", "-fPIC", "-O2", "-I" + jdk.resolve("include"),
        "-I" + jdk.resolve("include/linux"), "-o", partial.toString(), c.toString());
    Optional<ShortCommand.Finished> compiled;
    try {
      compiled = ShortCommand.run(cmd, null, ShortCommand.Streams.BOTH, COMPILE_LIMIT);
    } catch (IOException e) {
      throw new IllegalStateException("counting compiles a small JNI library with 'cc', which is not on the PATH: "
          + "apt-get install gcc", e);
    }
    if (compiled.isEmpty()) {
      throw new IllegalStateException("compiling " + c + " did not finish in " + COMPILE_LIMIT.toSeconds() + " s: "
          + String.join(" ", cmd));
    }
    if (!compiled.get().ok()) {
      throw new IllegalStateException("compiling " + c + " failed: " + String.join(" ", cmd) + "\n" + compiled.get().output());
    }
    Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return library;
  }

  private static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
