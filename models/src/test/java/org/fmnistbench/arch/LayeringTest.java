package org.fmnistbench.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering of models/ (with core's packages beneath it), kept by a test: no cycles
 * between packages. That the registry knows nothing of DL4J is kept by the build: it lives in
 * core, which has no DL4J on its classpath (CoreLayeringTest).
 */
class LayeringTest {
  private static final JavaClasses MODELS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.fmnistbench");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.fmnistbench.(**)").should().beFreeOfCycles().check(MODELS);
  }
}
