package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tffinetune.models.Sequential;

class DropoutTest {
  private static final int UNITS = 20_000;

  @Test
  void predictPassesInputThrough() {
    float[] x = new float[3 * 50];
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble();
    }

    float[][] out;
    try (Sequential model = new Sequential(50)) {
      model.add(new Dropout(0.5));
      out = model.predict(x, 3);
    }

    for (int b = 0; b < 3; b++) {
      assertArrayEquals(Arrays.copyOfRange(x, b * 50, b * 50 + 50), out[b], "example " + b);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.25, 0.5, 0.8})
  void trainingDropsRateAndScalesSurvivors(double rate) {
    float[] values = train(new Dropout(rate), 0, new long[] {7, 11});

    int zeros = 0;
    float survivor = 1f / (1f - (float) rate);
    for (float v : values) {
      if (v == 0f) {
        zeros++;
      } else {
        assertEquals(survivor, v, "survivor value");
      }
    }
    // The dropped fraction is binomial with a standard deviation of at most 0.0036 for 20,000
    // units, so 0.02 is more than five standard deviations.
    double fraction = zeros / (double) UNITS;
    assertEquals(rate, fraction, 0.02, "fraction of dropped units");
  }

  @Test
  void sameSeedSameMask() {
    float[] first = train(new Dropout(0.5), 0, new long[] {1, 2});
    float[] second = train(new Dropout(0.5), 0, new long[] {1, 2});

    assertArrayEquals(first, second);
  }

  @Test
  void otherSeedOtherMask() {
    float[] first = train(new Dropout(0.5), 0, new long[] {1, 2});
    float[] second = train(new Dropout(0.5), 0, new long[] {1, 3});

    assertFalse(Arrays.equals(first, second));
  }

  @Test
  void otherLayerIndexOtherMask() {
    float[] first = train(new Dropout(0.5), 0, new long[] {1, 2});
    float[] second = train(new Dropout(0.5), 1, new long[] {1, 2});

    assertFalse(Arrays.equals(first, second));
  }

  @Test
  void zeroRateIsIdentityInTraining() {
    Dropout dropout = new Dropout(0.0);

    float[] values = train(dropout, 0, new long[] {1, 2});

    for (float v : values) {
      assertEquals(1f, v);
    }
    assertTrue(dropout.isDeterministicInTraining());
  }

  @Test
  void positiveRateIsRandomInTraining() {
    assertFalse(new Dropout(0.25).isDeterministicInTraining());
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
  void rateOutsideRangeRejected(double rate) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Dropout(rate));

    assertTrue(e.getMessage().contains("rate must be in [0, 1), got " + rate), e.getMessage());
  }

  /** Runs the training-mode op on a [1, UNITS] tensor of ones and returns its output. */
  private static float[] train(Dropout dropout, int layerIndex, long[] seed) {
    dropout.build(new long[] {UNITS});
    float[] ones = new float[UNITS];
    Arrays.fill(ones, 1f);
    return LayerRunner.run(dropout, layerIndex, new long[] {1, UNITS}, ones, Map.of(), true, seed)
        .values();
  }
}
