package org.fmnistbench.ci.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two forms GitHub documents for a step's outputs and environment, as the replayed steps write them. */
class KeyValueFileTest {
  @TempDir
  Path tmp;

  @Test
  void readsNameValueLinesAndDelimitedBlocksInOrder() throws IOException {
    Path file = Files.writeString(tmp.resolve("output"), """
        slice=2/4
        summary<<EOF_1
        | point | ratio |
        a=b inside a block is text

        EOF_1
        url=http://x/?a=b
        """);

    Map<String, String> read = KeyValueFile.read(file);

    assertEquals(Map.of("slice", "2/4", "summary", "| point | ratio |\na=b inside a block is text\n",
        "url", "http://x/?a=b"), read);
    assertEquals("[slice, summary, url]", read.keySet().toString(), "in the order the step wrote them");
  }

  @Test
  void aFileTheStepDidNotWriteHoldsNothing() {
    assertTrue(KeyValueFile.read(tmp.resolve("absent")).isEmpty());
  }

  @Test
  void refusesABlockWithoutItsDelimiterAndALineOfNeitherForm() throws IOException {
    Path open = Files.writeString(tmp.resolve("open"), "report<<END\nline\n");
    Path bare = Files.writeString(tmp.resolve("bare"), "ok=1\njust words\n");

    assertEquals(open + ": report<<END has no closing END",
        assertThrows(IllegalArgumentException.class, () -> KeyValueFile.read(open)).getMessage());
    assertEquals(bare + ": 'just words' is neither name=value nor name<<DELIMITER",
        assertThrows(IllegalArgumentException.class, () -> KeyValueFile.read(bare)).getMessage());
  }
}
