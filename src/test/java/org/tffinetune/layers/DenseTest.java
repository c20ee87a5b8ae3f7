package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tffinetune.models.Sequential;

class DenseTest {
  /** Absolute tolerance of float32 products against the double-precision reference. */
  private static final float TOLERANCE = 1e-5f;

  @ParameterizedTest(name = "bias {0} activation {1}")
  @CsvSource({"true, linear", "false, linear", "true, relu", "true, sigmoid", "true, tanh"})
  void forwardMatchesMatmul(boolean useBias, String activation) {
    int inputs = 7;
    int units = 4;
    int count = 3;
    SplittableRandom random = new SplittableRandom(11);
    float[] x = uniform(random, count * inputs);
    float[] kernel = uniform(random, inputs * units);
    float[] bias = useBias ? uniform(random, units) : new float[units];
    Sequential model = new Sequential(inputs);
    model.add(
        Dense.builder(units)
            .useBias(useBias)
            .activation(ActivationFunction.forKerasName(activation))
            .name("dense")
            .build());
    if (useBias) {
      model.setWeights(
          Map.of(
              "dense/kernel", new Weight("kernel", new long[] {inputs, units}, kernel),
              "dense/bias", new Weight("bias", new long[] {units}, bias)));
    } else {
      model.setWeights(
          Map.of("dense/kernel", new Weight("kernel", new long[] {inputs, units}, kernel)));
    }

    float[][] actual;
    try (model) {
      actual = model.predict(x, count);
    }

    for (int b = 0; b < count; b++) {
      for (int u = 0; u < units; u++) {
        double sum = bias[u];
        for (int i = 0; i < inputs; i++) {
          sum += x[b * inputs + i] * kernel[i * units + u];
        }
        double expected =
            switch (activation) {
              case "relu" -> Math.max(sum, 0);
              case "sigmoid" -> 1 / (1 + Math.exp(-sum));
              case "tanh" -> Math.tanh(sum);
              default -> sum;
            };
        assertEquals(expected, actual[b][u], TOLERANCE, "example " + b + " unit " + u);
      }
    }
  }

  @Test
  void rank3InputUsesLastAxis() {
    // Keras applies Dense to the last axis of a (None, 2, 3, 4) input, keeping (2, 3).
    int units = 5;
    SplittableRandom random = new SplittableRandom(3);
    float[] x = uniform(random, 2 * 3 * 4);
    float[] kernel = uniform(random, 4 * units);
    float[] bias = uniform(random, units);
    Dense dense = Dense.builder(units).name("dense").build();
    dense.build(new long[] {2, 3, 4});

    LayerRunner.Run run =
        LayerRunner.run(
            dense, new long[] {1, 2, 3, 4}, x, Map.of("kernel", kernel, "bias", bias), false, null);

    assertArrayEquals(new long[] {2, 3, units}, dense.outputShape());
    assertArrayEquals(new long[] {1, 2, 3, units}, run.shape());
    for (int position = 0; position < 6; position++) {
      for (int u = 0; u < units; u++) {
        double sum = bias[u];
        for (int i = 0; i < 4; i++) {
          sum += x[position * 4 + i] * kernel[i * units + u];
        }
        assertEquals(
            sum,
            run.values()[position * units + u],
            TOLERANCE,
            "position " + position + " unit " + u);
      }
    }
  }

  @Test
  void weightShapesAreInputByUnits() {
    Dense dense = Dense.of(10);
    dense.build(new long[] {84});

    assertArrayEquals(new long[] {84, 10}, dense.weightSpecs().get(0).shape());
    assertArrayEquals(new long[] {10}, dense.weightSpecs().get(1).shape());
    assertEquals(850, dense.countParams());
  }

  @Test
  void zeroUnitsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Dense.builder(0));

    assertTrue(e.getMessage().contains("units must be positive, got 0"), e.getMessage());
  }

  @Test
  void unknownLastDimensionRejected() {
    Dense dense = Dense.builder(3).name("head").build();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> dense.build(new long[] {4, -1}));

    assertTrue(e.getMessage().contains("'head'"), e.getMessage());
    assertTrue(e.getMessage().contains("(None, 4, None)"), e.getMessage());
  }

  private static float[] uniform(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }
}
