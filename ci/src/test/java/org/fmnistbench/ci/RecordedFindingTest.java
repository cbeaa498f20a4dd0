package org.fmnistbench.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** findings.json, as the history keeps it: what is written reads back, and what is not a list of findings is refused. */
class RecordedFindingTest {
  @TempDir
  Path tmp;

  @Test
  void theFindingsWrittenReadBackWithAChangeOrNone() throws IOException {
    List<RecordedFinding> findings = List.of(
        new RecordedFinding("trainStep/cnn/layer-api/32", "REGRESSION", 0.12, "12 % slower"),
        new RecordedFinding("inference/mlp/layer-api/32", "UNCHANGED", null, "as before"));
    Path file = tmp.resolve("findings.json");

    RecordedFinding.writeAll(file, findings);

    assertEquals(findings, RecordedFinding.readAll(file));
  }

  @Test
  void refusesNullAnotherShapeAndAFindingWithoutItsSeriesOrVerdict() throws IOException {
    String why = " is not a list of findings (key, verdict, change, describe): ";
    for (String[] c : new String[][] {
        {"null", "it holds null"},
        {"{\"key\": \"k\"}", "Cannot deserialize value of type `org.fmnistbench.ci.RecordedFinding[]` from Object value"},
        {"[{\"verdict\": \"REGRESSION\"}]", "Missing required creator property 'key'"},
        {"[{\"key\": \"k\", \"change\": 0.1}]", "Missing required creator property 'verdict'"}}) {
      Path file = Files.writeString(tmp.resolve("findings.json"), c[0]);
      String message = assertThrows(IOException.class, () -> RecordedFinding.readAll(file)).getMessage();
      assertEquals(file + why + c[1], message.substring(0, Math.min(message.length(), (file + why + c[1]).length())),
          Arrays.toString(c) + ": " + message);
    }
  }
}
