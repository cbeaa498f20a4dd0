package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fmnistbench.baselines.CommitId;
import org.fmnistbench.results.CountResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counts name the build they counted: another jar's stamp, not the driver's commit; a resumed run keeps its build and machine. */
class CountedBuildTest {
  private static Path jar(Path dir, String name, String stamp) throws Exception {
    Path jar = dir.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new ZipEntry("Some.class"));
      zip.write(name.getBytes(StandardCharsets.UTF_8));
      if (stamp != null) {
        zip.putNextEntry(new ZipEntry(CommitId.STAMP));
        zip.write(("commit=" + stamp + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return jar;
  }

  @Test
  void anotherBuildIsRecordedByItsOwnStamp(@TempDir Path dir) throws Exception {
    String previous = "1111111111111111111111111111111111111111";
    assertEquals(previous, CountCommand.countedBuild(jar(dir, "previous.jar", previous).toString()));
    assertEquals(previous + "-dirty", CountCommand.countedBuild(jar(dir, "dirty.jar", previous + "-dirty").toString()));
  }

  @Test
  void aJarWithoutAStampIsRecordedByItsDigest(@TempDir Path dir) throws Exception {
    Path old = jar(dir, "old.jar", null);
    assertEquals("jar SHA-256 " + Interleaved.sha256(old.toString()), CountCommand.countedBuild(old.toString()));
  }

  @Test
  void aClasspathThatIsNoJarIsRefusedByName(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CountCommand.countedBuild(dir.resolve("missing.jar").toString()));
    assertTrue(e.getMessage().contains("missing.jar is not a file"), e.getMessage());
  }

  private static CountResults.Setting setting(String build, String cpu, String valgrind) {
    return setting(build, cpu, valgrind, "JDK Debian 17.0.13+11-Debian-2; glibc 2.36");
  }

  private static CountResults.Setting setting(String build, String cpu, String valgrind, String platform) {
    return new CountResults.Setting(build, "tiered", List.of("-Xbatch"), valgrind, "default", cpu, 60, 1, 3, false,
        "2026-12-06T07:13:51Z", "", platform);
  }

  @Test
  void aResumedRunRefusesAnotherBuildOrMachine() {
    Path file = Path.of("run", "counts-tiered.json");
    CountResults.Setting recorded = setting("abc", "AMD EPYC", "valgrind-3.19.0");
    CountCommand.requireSameSetting(file, recorded, setting("abc", "AMD EPYC", "valgrind-3.19.0"));
    IllegalArgumentException build = assertThrows(IllegalArgumentException.class,
        () -> CountCommand.requireSameSetting(file, recorded, setting("def", "AMD EPYC", "valgrind-3.19.0")));
    assertTrue(build.getMessage().contains("build abc there, def here"), build.getMessage());
    IllegalArgumentException machine = assertThrows(IllegalArgumentException.class,
        () -> CountCommand.requireSameSetting(file, recorded, setting("abc", "Intel Xeon", "valgrind-3.22.0")));
    assertTrue(machine.getMessage().contains("CPU AMD EPYC there, Intel Xeon here; Valgrind valgrind-3.19.0 there, "
        + "valgrind-3.22.0 here"), machine.getMessage());
    // another JDK or C library moves counts: refused too; a run from before platforms were recorded cannot say
    IllegalArgumentException platform = assertThrows(IllegalArgumentException.class, () -> CountCommand.requireSameSetting(file,
        recorded, setting("abc", "AMD EPYC", "valgrind-3.19.0", "JDK Debian 17.0.14+7-Debian-1; glibc 2.36")));
    assertTrue(platform.getMessage().contains("platform JDK Debian 17.0.13+11-Debian-2; glibc 2.36 there, "
        + "JDK Debian 17.0.14+7-Debian-1; glibc 2.36 here"), platform.getMessage());
    CountCommand.requireSameSetting(file, setting("abc", "AMD EPYC", "valgrind-3.19.0", ""), recorded);
  }
}
