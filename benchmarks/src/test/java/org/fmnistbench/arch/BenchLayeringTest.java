package org.fmnistbench.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.fmnistbench.bench.report.ComparisonDocument;
import org.fmnistbench.runtime.RuntimeConfig;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * benchmarks/' packages by role, with models and core beneath them: no cycles, and the roles
 * layered: the JMH benchmarks and their state ({@code bench}) know nothing of the profilers, the
 * driver or the documents; profilers reach the benchmarks only through {@code bench.ModelHooks};
 * documents render from typed results and know nothing of the driver that runs JMH.
 */
class BenchLayeringTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("/jmh_generated/"))
      .importPackages("org.fmnistbench");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.fmnistbench.(**)").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void benchmarksKnowNothingOfProfilersDriverOrDocuments() {
    noClasses().that().resideInAPackage("org.fmnistbench.bench")
        .should().dependOnClassesThat().resideInAnyPackage("org.fmnistbench.bench.profile..", "org.fmnistbench.bench.driver..",
            "org.fmnistbench.bench.report..")
        .check(CLASSES);
  }

  @Test
  void documentsRenderWithoutDl4jOrTheModelsModule() {
    // a report is a function of recorded results (core's typed readers): it renders where ND4J cannot load
    noClasses().that().resideInAPackage("org.fmnistbench.bench.report..")
        .should().dependOnClassesThat().resideInAnyPackage("org.fmnistbench.engine..", "org.fmnistbench.runtime..",
            "org.fmnistbench.data..", "org.fmnistbench.training..", "org.fmnistbench.gate..", "org.fmnistbench.cli..",
            "org.fmnistbench.fleet..", "org.deeplearning4j..", "org.nd4j..", "ai.djl..")
        .check(CLASSES);
  }

  @Test
  void theComparisonsConfigurationIdsAreTheRuntimes() {
    Assertions.assertEquals(RuntimeConfig.STOCK.id(),
        ComparisonDocument.STOCK);
    Assertions.assertEquals(RuntimeConfig.DEFAULT.id(),
        ComparisonDocument.DEFAULT);
  }

  @Test
  void documentsRenderWithoutTheDriver() {
    noClasses().that().resideInAnyPackage("org.fmnistbench.bench.report..", "org.fmnistbench.bench.profile..")
        .should().dependOnClassesThat().resideInAPackage("org.fmnistbench.bench.driver..")
        .check(CLASSES);
  }
}
