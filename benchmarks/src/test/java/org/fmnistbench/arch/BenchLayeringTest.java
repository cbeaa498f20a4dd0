package org.fmnistbench.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** benchmarks/' packages, with those of models and core beneath them: no cycles. */
class BenchLayeringTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("/jmh_generated/"))
      .importPackages("org.fmnistbench");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.fmnistbench.(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
