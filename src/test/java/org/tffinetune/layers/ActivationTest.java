package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tffinetune.models.Sequential;

class ActivationTest {
  /** Absolute tolerance of float32 activations against the double-precision reference. */
  private static final float TOLERANCE = 1e-6f;

  private static final float[] INPUT = {-3f, -0.5f, 0f, 0.25f, 2f, 40f, -40f, 1f};

  @ParameterizedTest
  @ValueSource(strings = {"linear", "relu", "sigmoid", "tanh", "softmax"})
  void valuesMatchFormula(String name) {
    float[] actual;
    try (Sequential model = new Sequential(4)) {
      model.add(Activation.of(name));
      float[][] out = model.predict(INPUT, 2);
      actual = new float[8];
      System.arraycopy(out[0], 0, actual, 0, 4);
      System.arraycopy(out[1], 0, actual, 4, 4);
    }

    for (int row = 0; row < 2; row++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < 4; i++) {
        max = Math.max(max, INPUT[row * 4 + i]);
      }
      double sumExp = 0;
      for (int i = 0; i < 4; i++) {
        sumExp += Math.exp(INPUT[row * 4 + i] - max);
      }
      for (int i = 0; i < 4; i++) {
        double x = INPUT[row * 4 + i];
        double expected =
            switch (name) {
              case "relu" -> Math.max(x, 0);
              case "sigmoid" -> 1 / (1 + Math.exp(-x));
              case "tanh" -> Math.tanh(x);
              case "softmax" -> Math.exp(x - max) / sumExp;
              default -> x;
            };
        assertEquals(expected, actual[row * 4 + i], TOLERANCE, name + " of " + x);
      }
    }
  }

  @Test
  void nullNameIsLinear() {
    assertSame(ActivationFunction.LINEAR, ActivationFunction.forKerasName(null));
  }

  @Test
  void unknownNameListsSupported() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Activation.of("gelu"));

    assertTrue(e.getMessage().contains("unknown activation 'gelu'"), e.getMessage());
    assertTrue(e.getMessage().contains("[linear, relu, softmax, sigmoid, tanh]"), e.getMessage());
  }

  @Test
  void outputShapeEqualsInput() {
    Activation activation = Activation.of("relu");
    activation.build(new long[] {5, 5, 2});

    assertEquals("(None, 5, 5, 2)", Layer.formatShape(activation.outputShape()));
    assertEquals(0, activation.countParams());
  }
}
