package org.tffinetune.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Activation;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Dropout;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.models.Sequential;

class HeadsTest {
  private static Sequential denseHeadModel() {
    Sequential model = new Sequential("base", 6, 6, 1);
    model.setSeed(11);
    model
        .add(Conv2D.builder(2, 3).activation(ActivationFunction.RELU).build())
        .add(new Flatten())
        .add(Dense.builder(4).activation(ActivationFunction.RELU).build())
        .add(new Dropout(0.5))
        .add(Dense.builder(10).activation(ActivationFunction.SOFTMAX).build());
    return model;
  }

  @Test
  void replacesFinalDenseAndKeepsOtherWeights() {
    Sequential base = denseHeadModel();
    base.getLayer("conv2d").setTrainable(false);
    Map<String, Weight> before = base.getWeights();

    Sequential tuned = Heads.replaceHead(base, 5, 3);

    assertEquals(
        List.of("conv2d", "flatten", "dense", "dropout", "predictions"),
        tuned.layers().stream().map(Layer::name).toList());
    Dense head = (Dense) tuned.getLayer("predictions");
    assertEquals(5, head.units());
    assertEquals(ActivationFunction.SOFTMAX, head.activation());
    assertEquals(5, tuned.numClasses());
    Map<String, Weight> after = tuned.getWeights();
    for (String key : List.of("conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias")) {
      assertEquals(before.get(key), after.get(key), key);
    }
    assertArrayEquals(new long[] {4, 5}, after.get("predictions/kernel").shape());
    assertArrayEquals(new float[5], after.get("predictions/bias").values());
    assertFalse(tuned.getLayer("conv2d").isTrainable());
    assertTrue(tuned.getLayer("dense").isTrainable());
    assertEquals("base", tuned.name());
    assertEquals(3, tuned.seed());
  }

  @Test
  void leavesTheSourceModelUnchanged() {
    Sequential base = denseHeadModel();
    Map<String, Weight> before = base.getWeights();

    Heads.replaceHead(base, 5, 3);

    assertEquals(before, base.getWeights());
    assertEquals(10, base.numClasses());
    assertEquals(5, base.layers().size());
  }

  @Test
  void removesTrailingActivationLayer() {
    Sequential base = new Sequential(4);
    base.add(Dense.of(3)).add(Dense.of(10)).add(new Activation(ActivationFunction.SOFTMAX));

    Sequential tuned = Heads.replaceHead(base, 2, 1);

    assertEquals(
        List.of("dense", "predictions"), tuned.layers().stream().map(Layer::name).toList());
    assertEquals(2, tuned.numClasses());
  }

  @Test
  void headWeightsDependOnlyOnSeed() {
    Weight first =
        Heads.replaceHead(denseHeadModel(), 5, 42).getWeights().get("predictions/kernel");
    Weight again =
        Heads.replaceHead(denseHeadModel(), 5, 42).getWeights().get("predictions/kernel");
    Weight other =
        Heads.replaceHead(denseHeadModel(), 5, 43).getWeights().get("predictions/kernel");

    assertEquals(first, again);
    assertNotEquals(first, other);
    // Glorot uniform: |w| <= sqrt(6 / (fan_in + fan_out)) = sqrt(6 / 9).
    double limit = Math.sqrt(6.0 / 9);
    for (float w : first.values()) {
      assertTrue(Math.abs(w) <= limit, "weight " + w + " outside the Glorot limit " + limit);
    }
  }

  @Test
  void newHeadNameAvoidsExistingLayers() {
    Sequential base = new Sequential(4);
    base.add(Dense.builder(3).name("predictions").build()).add(Dense.of(10));

    Sequential tuned = Heads.replaceHead(base, 2, 1);

    assertEquals(
        List.of("predictions", "predictions_1"), tuned.layers().stream().map(Layer::name).toList());
  }

  @Test
  void modelWithoutDenseHeadIsRejected() {
    Sequential base = new Sequential("features", 4, 4, 1).add(new Flatten());

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> Heads.replaceHead(base, 5, 1));

    assertEquals(
        "model 'features' has no classification head to replace: the last layer is 'flatten'"
            + " (Flatten); expected a Dense layer, optionally followed by an Activation layer",
        e.getMessage());
  }

  @Test
  void classCountBelowOneIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Heads.replaceHead(denseHeadModel(), 0, 1));

    assertEquals("classes must be at least 1, got 0", e.getMessage());
  }
}
