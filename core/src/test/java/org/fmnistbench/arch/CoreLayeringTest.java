package org.fmnistbench.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * core's layering: no DL4J or ND4J on its classpath at all (so nothing here can reach them; the
 * compiler keeps that, this test says so where a reader looks), no cycles between its packages,
 * and the statistics a library of their own.
 */
class CoreLayeringTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.fmnistbench");

  @Test
  void neitherDl4jNorNd4jIsOnTheClasspath() {
    for (String name : new String[] {"org.nd4j.linalg.factory.Nd4j", "org.deeplearning4j.nn.multilayer.MultiLayerNetwork",
        "org.bytedeco.javacpp.Loader", "org.openjdk.jmh.annotations.Benchmark"}) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name + " must not be on core's classpath");
    }
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.fmnistbench.(**)").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void statisticsAreAPureLibrary() {
    noClasses().that().resideInAPackage("org.fmnistbench.stats..")
        .should().dependOnClassesThat().resideOutsideOfPackages("org.fmnistbench.stats..", "java..", "org.apache.commons.math3..")
        .check(CORE);
  }
}
