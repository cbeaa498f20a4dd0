package org.fmnistbench.training;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fmnistbench.engine.Engine;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder whose files are not a checkpoint's is refused with the file and what is wrong,
 * before anything is loaded: a state cut off or missing what every state has, a result holding
 * null or no epochs. Before, an empty state read as a record of nulls and failed on a
 * NullPointerException, and a result without epochs on an index out of bounds.
 */
class CheckpointsTest {
  @TempDir Path dir;

  private Checkpoints checkpoints() {
    return new Checkpoints(dir, Variant.MLP, Recipe.article(Variant.MLP), 5, Engine.LAYER_API, RuntimeConfig.DEFAULT);
  }

  private String restoreRefusal(String state) throws Exception {
    Files.writeString(dir.resolve("state.json"), state);
    return assertThrows(UncheckedIOException.class, () -> checkpoints().restore()).getMessage();
  }

  private String resultRefusal(String result) throws Exception {
    Files.writeString(dir.resolve("result.json"), result);
    return assertThrows(UncheckedIOException.class, () -> checkpoints().finishedResult("c")).getMessage();
  }

  @Test
  void aStateWithoutTheFieldsEveryStateHasIsRefused() throws Exception {
    String m = restoreRefusal("{}");
    assertTrue(m.contains("state.json is not a run's checkpoint state") && m.contains("variant"), m);
    m = restoreRefusal("{\"variant\": \"mlp\", \"recipe\": \"r\", \"seed\": 5, \"epochsDone\": 1, \"epochs\": []}");
    assertTrue(m.contains("state.json is not a run's checkpoint state") && m.contains("'model'"), m);
  }

  @Test
  void aStateCutOffIsRefused() throws Exception {
    String m = restoreRefusal("{\"variant\": \"mlp\", \"rec");
    assertTrue(m.contains("state.json is not a run's checkpoint state"), m);
  }

  @Test
  void aResultHoldingNullOrNoEpochsIsRefused() throws Exception {
    String m = resultRefusal("null");
    assertTrue(m.contains("result.json is not a finished run's result: it holds null"), m);
    m = resultRefusal("{\"variant\": \"mlp\", \"recipe\": \"r\", \"seed\": 5, \"testAccuracy\": 0.5, \"epochs\": []}");
    assertTrue(m.contains("result.json is not a finished run's result: it holds no epochs"), m);
    m = resultRefusal("{\"variant\": \"mlp\", \"seed\": 5, \"testAccuracy\": 0.5, \"epochs\": []}");
    assertTrue(m.contains("'recipe'"), m);
  }
}
