package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fmnistbench.bench.driver.ReportCommands.PyTorchReference;
import org.fmnistbench.stats.ForkSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's kept runs (reference.py's output, one file a process) read back as forks, and a file
 * that is not such a run refused with its name and what is wrong, rather than read as a model
 * with no timings.
 */
class PyTorchReferenceTest {
  private static final Path REPORTS = Path.of("reports").toAbsolutePath();
  @TempDir Path tmp;

  private static final String ONE_MODEL = """
      {"torch_version": "2.0", "threads": 2, "blas": "b", "batch": 32, "models": {"mlp": %s}}""";

  @Test
  void everyKeptRunReadsWithItsProcessesAsForks() throws IOException {
    List<Path> runs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(REPORTS, 2)) {
      files.filter(f -> f.getFileName().toString().matches("(round\\d+-)?pytorch-\\d+\\.json")).forEach(runs::add);
    }
    assertTrue(runs.size() >= 9, runs.toString());
    for (Path run : runs) {
      PyTorchReference.Run r = PyTorchReference.readRun(run);
      assertTrue(!r.models().isEmpty() && r.threads() > 0, run.toString());
    }
    // one run of three processes: three forks per model and kind
    Path three = runs.stream().filter(f -> f.getFileName().toString().equals("pytorch-3.json")).findFirst().orElseThrow()
        .getParent();
    List<String> notes = new ArrayList<>();
    Map<String, ForkSamples[]> forks = PyTorchReference.read(three, notes);
    assertTrue(!forks.isEmpty());
    forks.values().forEach(f -> assertEquals(3, f[0].forkCount(), three.toString()));
    assertTrue(notes.get(0).endsWith("; 3 processes"), notes.toString());
  }

  @Test
  void aFolderWithoutRunsGivesANote() throws IOException {
    List<String> notes = new ArrayList<>();
    assertTrue(PyTorchReference.read(tmp, notes).isEmpty());
    assertTrue(notes.get(0).startsWith("PyTorch not measured: no pytorch-1.json in "), notes.toString());
  }

  private String refusal(String json) throws IOException {
    Path file = tmp.resolve("pytorch-1.json");
    Files.writeString(file, json);
    String m = assertThrows(IOException.class, () -> PyTorchReference.read(tmp, new ArrayList<>())).getMessage();
    assertTrue(m.startsWith(file + " is not a run of benchmarks/pytorch/reference.py: "), m);
    return m;
  }

  @Test
  void aFileThatIsNotARunIsRefused() throws IOException {
    assertTrue(refusal("{\"models\": {}}").contains("torch_version"));
    assertTrue(refusal(ONE_MODEL.formatted("{\"train_us_per_sample\": 1, \"inference_us_per_sample\": 1, "
        + "\"inference_windows\": [1]}")).contains("train_windows"));
    assertTrue(refusal(ONE_MODEL.formatted("{\"train_us_per_sample\": 1, \"train_windows\": [], "
        + "\"inference_us_per_sample\": 1, \"inference_windows\": [1]}")).endsWith("model mlp has no timed windows"));
    assertTrue(refusal("[1, 2]").contains("Cannot deserialize"));
  }
}
