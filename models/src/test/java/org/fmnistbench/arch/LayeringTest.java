package org.fmnistbench.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering of models/, kept by a test: no cycles between packages, and the registry
 * ({@code variants}: variants, layer specs, recipes, tiers) free of DL4J, ND4J and the code that
 * uses them, so it can become the DL4J-free core (issue #15).
 */
class LayeringTest {
  private static final JavaClasses MODELS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.fmnistbench");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.fmnistbench.(*)..").should().beFreeOfCycles().check(MODELS);
  }

  @Test
  void theRegistryKnowsNothingOfDl4j() {
    noClasses().that().resideInAnyPackage("org.fmnistbench.variants..", "org.fmnistbench.util..")
        .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..", "org.bytedeco..",
            "org.fmnistbench.engine..", "org.fmnistbench.training..", "org.fmnistbench.runtime..",
            "org.fmnistbench.data..", "org.fmnistbench.gate..", "org.fmnistbench.cli..")
        .check(MODELS);
  }
}
