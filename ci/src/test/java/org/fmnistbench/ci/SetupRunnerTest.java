package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ci/setup-runner asks apt only for what is missing, under the distribution's names: on Ubuntu,
 * whose archive has no chromium package, it asks for no browser (the step used to ask apt for
 * chromium there, which fails and killed the nightly's bench job).
 */
class SetupRunnerTest {
  private static final Path SCRIPT = Path.of("..", "ci", "setup-runner").toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** Runs the script with a PATH of only the tools it uses, a recording apt-get, and {@code present}. */
  private String run(String distro, List<String> present, String... needs) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin-" + distro + present.size()));
    for (String tool : List.of("bash", "sed", "tr", "cat")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
    }
    Path asked = tmp.resolve("apt-" + distro + present.size() + ".log");
    write(bin.resolve("apt-get"), "#!/usr/bin/bash\necho \"$@\" >> " + asked + "\n");
    write(bin.resolve("id"), "#!/usr/bin/bash\necho 0\n");
    for (String command : present) {
      write(bin.resolve(command), "#!/usr/bin/bash\n");
    }
    Path osRelease = tmp.resolve("os-release-" + distro);
    Files.writeString(osRelease, "NAME=\"" + distro + "\"\nID=" + distro + "\n");
    List<String> command = new ArrayList<>(List.of("/usr/bin/bash", SCRIPT.toString()));
    command.addAll(List.of(needs));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", bin.toString());
    pb.environment().put("OS_RELEASE", osRelease.toString());
    pb.environment().put("DATASET_DIR", tmp.resolve("no-data").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return Files.exists(asked) ? Files.readString(asked) : "";
  }

  private static void write(Path file, String text) throws Exception {
    Files.writeString(file, text);
    assertTrue(file.toFile().setExecutable(true));
  }

  @Test
  void onUbuntuWithChromeItAsksOnlyForWhatIsMissingAndNoBrowser() throws Exception {
    String asked = run("ubuntu", List.of("google-chrome"), "data", "valgrind", "cc", "browser");
    assertTrue(asked.contains("install -y -qq valgrind gcc"), asked);
    assertTrue(asked.contains("dataset-fashion-mnist"), asked);
    assertTrue(!asked.contains("chromium"), asked);
  }

  @Test
  void onUbuntuWithoutABrowserItStillAsksForNone() throws Exception {
    assertTrue(!run("ubuntu", List.of("valgrind", "cc"), "browser").contains("chromium"));
  }

  @Test
  void onDebianWithoutABrowserItInstallsChromium() throws Exception {
    assertTrue(run("debian", List.of("valgrind", "cc"), "browser", "valgrind").contains("install -y -qq chromium"));
  }

  @Test
  void whenEverythingIsHereAptIsNotCalled() throws Exception {
    assertEquals("", run("ubuntu", List.of("valgrind", "cc", "chromium"), "valgrind", "cc", "browser"));
  }
}
