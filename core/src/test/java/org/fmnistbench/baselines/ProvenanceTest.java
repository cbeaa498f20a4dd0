package org.fmnistbench.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every recorded run and result names the DL4J version it ran on; that figure comes from a
 * Maven-filtered resource, so it is checked against the version the build declares.
 */
class ProvenanceTest {
  @Test
  void namesTheDl4jVersionThePomBuildsAgainst() throws Exception {
    String pom = Files.readString(Repo.baselinesDir().resolveSibling("pom.xml"));
    Matcher declared = Pattern.compile("<dl4j\\.version>([^<]+)</dl4j\\.version>").matcher(pom);
    assertTrue(declared.find(), "the root pom declares dl4j.version");

    assertEquals(declared.group(1), Provenance.builtAgainst());
  }
}
