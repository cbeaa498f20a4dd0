package org.fmnistbench.ci.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The nightly's side of the project reads recorded results through core's typed readers and
 * nothing else: no DL4J, ND4J or DJL, none of the models module (engines, runtime, data, gate) and
 * none of the benchmarks module, so that it runs on a machine where ND4J cannot load, and a change
 * there cannot reach the history's judgement. Kept by this test, not only by ci's pom.
 */
class CiBoundaryTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.fmnistbench.ci");

  @Test
  void ciReadsResultsWithoutDl4jModelsOrBenchmarks() {
    noClasses().that().resideInAPackage("org.fmnistbench.ci..")
        .should().dependOnClassesThat().resideInAnyPackage("org.fmnistbench.engine..", "org.fmnistbench.runtime..",
            "org.fmnistbench.data..", "org.fmnistbench.training..", "org.fmnistbench.gate..", "org.fmnistbench.cli..",
            "org.fmnistbench.fleet..", "org.fmnistbench.bench..", "org.deeplearning4j..", "org.nd4j..", "ai.djl..",
            "org.openjdk.jmh..")
        .check(CLASSES);
  }
}
