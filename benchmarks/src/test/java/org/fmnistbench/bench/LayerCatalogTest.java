package org.fmnistbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fmnistbench.engine.LayerApiEngine;
import org.fmnistbench.runtime.RuntimeConfig;
import org.fmnistbench.variants.Recipe;
import org.fmnistbench.variants.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerCatalogTest {
  @Test
  void theCnnIsItsLayersAtTheirShapesThenAdam() {
    assertEquals(List.of("conv3x3_1-32_28x28", "conv3x3_32-64_26x26", "maxpool2_64_24x24", "dropout0.25_64x12x12",
        "dense_9216-128", "dropout0.5_128", "softmax-loss_128-10", "adam_1199882"),
        LayerCatalog.of(Variant.CNN).stream().map(LayerCatalog.Case::id).toList());
  }

  /** The Adam case updates exactly the network's parameters, so the breakdown's sum covers them all. */
  @ParameterizedTest
  @EnumSource(Variant.class)
  void adamCoversEveryParameter(Variant v) {
    List<LayerCatalog.Case> cases = LayerCatalog.of(v);
    long net = LayerApiEngine.build(v, Recipe.article(v), 1, RuntimeConfig.DEFAULT).numParams();
    assertEquals("adam_" + net, cases.get(cases.size() - 1).id());
  }

  @Test
  void unknownCasesAreNamedWithTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerCatalog.byId("conv5x5"));
    assertTrue(e.getMessage().startsWith("unknown layer case 'conv5x5'; valid: dense_784-128,"), e.getMessage());
  }
}
