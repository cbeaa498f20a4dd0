package org.fmnistbench.variants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fmnistbench.engine.LayerApiEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VariantRegistryTest {
  /**
   * Keras model.summary() totals. The first nine are the article's models' counts; avgpool has
   * cnn3's shapes; cnn4-maxpool's is computed the same way: 320 + 18,496 + 73,856 + 295,168
   * (convolutions) + 4*4*256*128 + 128 (dense) + 1,290 (output). The dropout-rate variants have
   * cnn3's shapes (dropout has no weights).
   */
  private static final Map<String, Long> KERAS_PARAMS = Map.ofEntries(
      Map.entry("mlp", 101_770L),
      Map.entry("cnn", 1_199_882L),
      Map.entry("cnn3", 2_076_554L),
      Map.entry("cnn4", 3_666_058L),
      Map.entry("cnn3-nodropout", 2_076_554L),
      Map.entry("cnn3-pad", 2_862_986L),
      Map.entry("cnn3-pad-dense2", 2_879_498L),
      Map.entry("cnn3-pad-flip", 2_862_986L),
      Map.entry("cnn3-pad-flip-10ep", 2_862_986L),
      Map.entry("avgpool", 2_076_554L),
      Map.entry("cnn4-maxpool", 913_546L),
      Map.entry("cnn3-dropout-lower", 2_076_554L),
      Map.entry("cnn3-dropout-higher", 2_076_554L));

  @ParameterizedTest
  @EnumSource(Variant.class)
  void parameterCountEqualsKeras(Variant v) {
    Long expected = KERAS_PARAMS.get(v.id());
    assertTrue(expected != null, "no Keras parameter count listed for " + v + ": add it here");
    assertEquals(expected, LayerApiEngine.build(v, Recipe.article(v), 1).numParams(), v.id() + ": DL4J's network");
    assertEquals(expected, LayerShapes.parameterCount(v), v.id() + ": the registry's arithmetic");
  }

  @Test
  void idsAreUniqueAndEveryVariantIsListed() {
    Set<String> ids = Arrays.stream(Variant.values()).map(Variant::id).collect(Collectors.toSet());
    assertEquals(Variant.values().length, ids.size());
    assertEquals(KERAS_PARAMS.keySet(), ids);
  }

  @Test
  void unknownIdNamesTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variant.byId("cnn5"));
    assertEquals("unknown variant 'cnn5'; valid: " + Variant.ids(), e.getMessage());
    assertTrue(e.getMessage().contains("cnn3-pad-flip-10ep"));
  }

  @Test
  void parseListAcceptsAllAndLists() {
    assertEquals(Variant.values().length - 2, Variant.parseList("all").size());
    assertTrue(Variant.parseList("all").stream().noneMatch(v -> v.id().startsWith("cnn3-dropout-")),
        "the dropout-rate variants are the reproduction's, not the suite's");
    assertEquals(List.of(Variant.CNN3_DROPOUT_LOWER), Variant.parseList("cnn3-dropout-lower"));
    assertEquals(List.of(Variant.CNN, Variant.MLP), Variant.parseList("cnn, mlp"));
    assertEquals(List.of(Variant.MLP, Variant.CNN), Variant.parseList("mlp,cnn,mlp"), "a variant named twice runs once");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Variant.parseList(",")).getMessage()
        .startsWith("',' names no variant; valid: mlp, cnn"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Variant.parseList("mlp,,cnn")).getMessage()
        .startsWith("unknown variant ''"));
  }

  @Test
  void articleRecipeIsKerasDefaults() {
    Recipe r = Recipe.article(Variant.CNN3_PAD_FLIP_10EP);
    assertEquals("epochs=10 train=all test=all flip=true batch=32 adam=0.001/0.9/0.999/1E-8", r.describe());
    assertEquals("epochs=5 train=all test=all flip=false batch=32 adam=0.001/0.9/0.999/1E-8",
        Recipe.article(Variant.MLP).describe());
  }
}
