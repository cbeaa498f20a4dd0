package org.fmnistbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of counts-<jit>.json refuses what is not a counting run, naming the file and what it lacks. */
class CountResultsTest {
  @TempDir
  Path tmp;

  private String refusal(String json) throws IOException {
    Path file = Files.writeString(tmp.resolve("counts-c1.json"), json);
    String message = assertThrows(IOException.class, () -> CountResults.read(file)).getMessage();
    String prefix = file + " is not a counting run's counts-<jit>.json (BenchDriver count's results): ";
    assertEquals(prefix, message.substring(0, Math.min(prefix.length(), message.length())), message);
    return message.substring(prefix.length());
  }

  @Test
  void refusesACutFileAnotherResultAndARunWithoutItsSettingOrPoints() throws IOException {
    assertTrue(refusal("{\"setting\": {").startsWith("Unexpected end-of-input"));
    assertEquals("Cannot deserialize value of type `org.fmnistbench.results.CountResults` from Array value "
        + "(token `JsonToken.START_ARRAY`)", refusal("[]"));
    assertEquals("Cannot construct instance of `org.fmnistbench.results.CountResults`, problem: a counting run holds "
        + "its 'setting' and its 'points'; this one has no 'setting'", refusal("{\"points\": []}"));
    assertEquals("Cannot construct instance of `org.fmnistbench.results.CountResults`, problem: a counting run holds "
        + "its 'setting' and its 'points'; this one has no 'points'", refusal("{\"setting\": {\"jit\": \"c1\"}}"));
  }
}
