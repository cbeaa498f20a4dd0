package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.fmnistbench.bench.profile.CanaryProfiler;
import org.fmnistbench.bench.profile.PeakMemoryProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildClassesTest {
  @TempDir
  Path dir;

  private Path jar(String... classes) throws IOException {
    Path jar = Files.createTempFile(dir, "build", ".jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      for (String c : classes) {
        j.putNextEntry(new ZipEntry(c.replace('.', '/') + ".class"));
        j.closeEntry();
      }
    }
    return jar;
  }

  @Test
  void aBuildFromBeforeTheMoveRunsItsOwnClassesUnderTheirFormerNames() throws IOException {
    Path old = jar("org.fmnistbench.bench.CanaryProfiler", "org.fmnistbench.bench.PeakMemoryProfiler",
        "org.fmnistbench.bench.RunMetadata");
    assertEquals("org.fmnistbench.bench.RunMetadata", BuildClasses.in(old.toString(), MetadataCollector.class.getName()));
    assertEquals(List.of("-f", "1", "-prof", "org.fmnistbench.bench.PeakMemoryProfiler", "-prof",
            "org.fmnistbench.bench.CanaryProfiler"),
        BuildClasses.profilersIn(old.toString(), List.of("-f", "1", "-prof", PeakMemoryProfiler.class.getName(), "-prof",
            CanaryProfiler.class.getName())));
  }

  @Test
  void aCurrentBuildAndThisClasspathKeepTheCurrentNames() throws IOException {
    Path current = jar(CanaryProfiler.class.getName(), "org.fmnistbench.bench.CanaryProfiler");
    assertEquals(CanaryProfiler.class.getName(), BuildClasses.in(current.toString(), CanaryProfiler.class.getName()));
    String classes = dir.resolve("classes") + File.pathSeparator + dir.resolve("lib.jar");
    assertEquals(CanaryProfiler.class.getName(), BuildClasses.in(classes, CanaryProfiler.class.getName()));
  }

  @Test
  void aJarWithNeitherNameIsRefusedByName() throws IOException {
    Path other = jar("com.example.Other");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BuildClasses.in(other.toString(), CanaryProfiler.class.getName()));
    assertEquals(true, e.getMessage().contains("not a benchmarks jar of this suite"), e.getMessage());
  }
}
