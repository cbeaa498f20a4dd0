package org.fmnistbench.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.fmnistbench.bench.profile.CanaryProfiler;
import org.fmnistbench.bench.profile.PeakMemoryProfiler;
import org.fmnistbench.bench.profile.StepProfiler;

/**
 * The classes the driver names inside a benchmarks jar that may be another build's (an
 * interleaved comparison's baseline): JMH's profilers and the metadata collector. A class that
 * moved keeps its former names here, and each name is resolved against the jar, so a comparison
 * with a build from before the move runs that build's own class. (The benchmark classes
 * themselves have not moved: JMH's results name them.)
 */
final class BuildClasses {
  /** Former names, newest first, of the classes that moved (package split of benchmarks, issue #15). */
  private static final Map<String, List<String>> FORMERLY = Map.of(
      CanaryProfiler.class.getName(), List.of("org.fmnistbench.bench.CanaryProfiler"),
      PeakMemoryProfiler.class.getName(), List.of("org.fmnistbench.bench.PeakMemoryProfiler"),
      StepProfiler.class.getName(), List.of("org.fmnistbench.bench.StepProfiler"),
      MetadataCollector.class.getName(), List.of("org.fmnistbench.bench.RunMetadata"));

  private BuildClasses() {}

  /** {@code className} as the build on {@code classpath} spells it: its current name unless only a former one is there. */
  static String in(String classpath, String className) throws IOException {
    Path jar = Path.of(classpath);
    List<String> former = FORMERLY.getOrDefault(className, List.of());
    if (former.isEmpty() || !Files.isRegularFile(jar)) {
      return className; // this build's own classpath, or a class that never moved
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String name : prepend(className, former)) {
        if (zip.getEntry(name.replace('.', '/') + ".class") != null) {
          return name;
        }
      }
    }
    throw new IllegalArgumentException(jar + " has no " + className + " (nor under a former name " + former
        + "): not a benchmarks jar of this suite");
  }

  /** JMH's arguments with every profiler ({@code -prof NAME}) spelled as the build on {@code classpath} spells it. */
  static List<String> profilersIn(String classpath, List<String> jmhArgs) throws IOException {
    List<String> out = new ArrayList<>(jmhArgs);
    for (int i = 0; i + 1 < out.size(); i++) {
      if (out.get(i).equals("-prof")) {
        out.set(i + 1, in(classpath, out.get(i + 1)));
      }
    }
    return out;
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }
}
