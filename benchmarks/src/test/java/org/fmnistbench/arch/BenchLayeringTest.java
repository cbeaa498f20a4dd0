package org.fmnistbench.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** benchmarks/' packages: no cycles, and the statistics free of JMH, DL4J and the suite's code. */
class BenchLayeringTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("/jmh_generated/"))
      .importPackages("org.fmnistbench");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.fmnistbench.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void statisticsAreAPureLibrary() {
    noClasses().that().resideInAPackage("org.fmnistbench.stats..")
        .should().dependOnClassesThat().resideInAnyPackage("org.openjdk.jmh..", "org.deeplearning4j..", "org.nd4j..",
            "org.fmnistbench.bench..", "org.fmnistbench.engine..", "org.fmnistbench.runtime..")
        .check(CLASSES);
  }
}
