package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer names a result file by its label and every reader finds it by listing the folder: a
 * label the listing does not match would be a result written and never read.
 */
class RunFolderTest {
  @TempDir
  Path tmp;

  @Test
  void everyLabelTheDriverWritesIsFoundAgainAndNothingElse() throws IOException {
    RunFolder run = new RunFolder(tmp);
    List<String> labels = List.of(
        RunFolder.label("cpu", "default"),
        RunFolder.label("cpu", "stock"),
        RunFolder.label("cpu", "default,format=nhwc"),
        RunFolder.label("cuda", "Default,OMP.Threads=1,build=onednn-avx2"),
        RunFolder.label("cpu", "default,malloc=mapped;x y"));
    for (String label : labels) {
      Files.writeString(run.jmh(label), "[]");
      Files.writeString(run.metadata(label), "{}");
    }
    Files.writeString(run.jmhInProgress("cpu@unfinished"), "[");
    Files.writeString(tmp.resolve("summary.md"), "");

    assertEquals(List.of("cpu", "cpu@default_format-nhwc", "cpu@default_malloc-mapped_x_y", "cpu@stock",
        "cuda@default_omp.threads-1_build-onednn-avx2"), run.labels());
    assertEquals(labels.stream().sorted().toList(), run.labels());
    assertEquals(List.of(), new RunFolder(tmp.resolve("no-such-run")).labels(), "a path that is no folder holds no run");
  }

  @Test
  void aLabelNamesItsBackend() {
    assertEquals("cpu", RunFolder.backendOf(RunFolder.label("cpu", "stock")));
    assertEquals("cuda", RunFolder.backendOf(RunFolder.label("cuda", "default")));
  }
}
