package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tffinetune.layers.Weight;
import org.tffinetune.models.Sequential;

/** Checks which pretrained weights each head setting copies into an arm's model. */
class PretrainedWeightsTest {
  private final TinyExperiments.SmallModelFactory factory = new TinyExperiments.SmallModelFactory();

  @Test
  void pretrainedHeadCopiesEveryMatchingWeight() {
    try (Sequential source = factory.build(5, 1);
        Sequential target = factory.build(5, 2)) {
      Map<String, Weight> pretrained = source.getWeights();

      Map<String, Weight> copied =
          Experiment.pretrainedWeightsToCopy(target, pretrained, "small", "flatten", false);

      assertEquals(pretrained.keySet(), copied.keySet());
      assertSame(pretrained.get("dense_1/kernel"), copied.get("dense_1/kernel"));
    }
  }

  @Test
  void newHeadCopiesFeatureLayersOnly() {
    try (Sequential source = factory.build(5, 1);
        Sequential target = factory.build(5, 2)) {
      Map<String, Weight> copied =
          Experiment.pretrainedWeightsToCopy(target, source.getWeights(), "small", "flatten", true);

      assertEquals(List.of("conv2d/kernel", "conv2d/bias"), List.copyOf(copied.keySet()));
    }
  }

  @Test
  void otherClassCountKeepsNewOutputLayer() {
    try (Sequential source = factory.build(5, 1);
        Sequential target = factory.build(3, 2)) {
      Map<String, Weight> copied =
          Experiment.pretrainedWeightsToCopy(
              target, source.getWeights(), "small", "flatten", false);

      assertTrue(copied.containsKey("dense/kernel"), copied.keySet().toString());
      assertFalse(copied.containsKey("dense_1/kernel"), copied.keySet().toString());
    }
  }

  @Test
  void missingFeatureWeightIsReported() {
    try (Sequential source = factory.build(5, 1);
        Sequential target = factory.build(5, 2)) {
      Map<String, Weight> pretrained = new LinkedHashMap<>(source.getWeights());
      pretrained.remove("conv2d/bias");

      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  Experiment.pretrainedWeightsToCopy(
                      target, pretrained, "small", "flatten", false));

      assertTrue(e.getMessage().contains("feature weight 'conv2d/bias'"), e.getMessage());
    }
  }
}
