package org.fmnistbench.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import org.fmnistbench.bench.report.Documents;
import org.junit.jupiter.api.Test;

/** The committed COUNTS.md is what its kept runs render to: no figure in it was written by hand. */
class CountsReportTest {
  @Test
  void theCommittedDocumentEqualsItsRegeneration() throws Exception {
    assertEquals(Files.readString(Documents.reportsDir().resolve("COUNTS.md")), CountReportCommand.render());
  }
}
