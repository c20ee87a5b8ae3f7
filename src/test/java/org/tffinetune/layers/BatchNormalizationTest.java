package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tffinetune.models.Sequential;

class BatchNormalizationTest {
  /** Absolute tolerance of float32 normalization against the double-precision reference. */
  private static final float TOLERANCE = 1e-5f;

  private static final float[] GAMMA = {1.5f, -0.5f, 2f};
  private static final float[] BETA = {0.1f, 0.2f, -0.3f};
  private static final float[] MEAN = {0.5f, -1f, 2f};
  private static final float[] VARIANCE = {4f, 0.25f, 0.01f};

  @Test
  void inferenceUsesMovingStatistics() {
    float epsilon = 1e-3f;
    float[] x = random(2 * 2 * 2 * 3, 4);
    Sequential model = new Sequential(2, 2, 3);
    model.add(new BatchNormalization(0.99f, epsilon, true, true, "bn")).add(new Flatten());
    model.setWeights(
        Map.of(
            "bn/gamma", weight("gamma", GAMMA),
            "bn/beta", weight("beta", BETA),
            "bn/moving_mean", weight("moving_mean", MEAN),
            "bn/moving_variance", weight("moving_variance", VARIANCE)));

    float[][] out;
    try (model) {
      out = model.predict(x, 2);
    }

    for (int b = 0; b < 2; b++) {
      for (int i = 0; i < 12; i++) {
        int c = i % 3;
        double expected =
            GAMMA[c] * (x[b * 12 + i] - MEAN[c]) / Math.sqrt(VARIANCE[c] + epsilon) + BETA[c];
        assertEquals(expected, out[b][i], TOLERANCE, "example " + b + " value " + i);
      }
    }
  }

  @Test
  void noCenterNoScaleNormalizesOnly() {
    float epsilon = 0.01f;
    float[] x = random(4 * 3, 5);
    BatchNormalization bn = new BatchNormalization(0.9f, epsilon, false, false, "bn");
    bn.build(new long[] {3});

    LayerRunner.Run run =
        LayerRunner.run(
            bn,
            new long[] {4, 3},
            x,
            Map.of("moving_mean", MEAN, "moving_variance", VARIANCE),
            false,
            null);

    assertEquals(List.of("moving_mean", "moving_variance"), names(bn));
    for (int i = 0; i < x.length; i++) {
      int c = i % 3;
      double expected = (x[i] - MEAN[c]) / Math.sqrt(VARIANCE[c] + epsilon);
      assertEquals(expected, run.values()[i], TOLERANCE, "value " + i);
    }
  }

  @Test
  void trainingUsesBatchStatistics() {
    float momentum = 0.9f;
    float epsilon = 1e-3f;
    float[] x = random(5 * 3, 6);
    BatchNormalization bn = new BatchNormalization(momentum, epsilon, true, true, "bn");
    bn.build(new long[] {3});

    LayerRunner.Run run = LayerRunner.run(bn, new long[] {5, 3}, x, weights(), true, null);

    for (int c = 0; c < 3; c++) {
      double mean = 0;
      for (int b = 0; b < 5; b++) {
        mean += x[b * 3 + c] / 5.0;
      }
      double variance = 0;
      for (int b = 0; b < 5; b++) {
        variance += (x[b * 3 + c] - mean) * (x[b * 3 + c] - mean) / 5.0;
      }
      for (int b = 0; b < 5; b++) {
        double expected =
            GAMMA[c] * (x[b * 3 + c] - mean) / Math.sqrt(variance + epsilon) + BETA[c];
        assertEquals(
            expected, run.values()[b * 3 + c], TOLERANCE, "example " + b + " channel " + c);
      }
      double movingMean = MEAN[c] * momentum + mean * (1 - momentum);
      double movingVariance = VARIANCE[c] * momentum + variance * (1 - momentum);
      assertEquals(
          movingMean, run.weightsAfter().get("moving_mean")[c], TOLERANCE, "moving_mean " + c);
      assertEquals(
          movingVariance,
          run.weightsAfter().get("moving_variance")[c],
          TOLERANCE,
          "moving_variance " + c);
    }
  }

  @Test
  void frozenLayerTrainsOnMovingStatistics() {
    float epsilon = 1e-3f;
    float[] x = random(5 * 3, 7);
    BatchNormalization bn = new BatchNormalization(0.9f, epsilon, true, true, "bn");
    bn.setTrainable(false);
    bn.build(new long[] {3});

    LayerRunner.Run run = LayerRunner.run(bn, new long[] {5, 3}, x, weights(), true, null);

    for (int i = 0; i < x.length; i++) {
      int c = i % 3;
      double expected = GAMMA[c] * (x[i] - MEAN[c]) / Math.sqrt(VARIANCE[c] + epsilon) + BETA[c];
      assertEquals(expected, run.values()[i], TOLERANCE, "value " + i);
    }
    assertArrayEquals(MEAN, run.weightsAfter().get("moving_mean"));
    assertArrayEquals(VARIANCE, run.weightsAfter().get("moving_variance"));
    assertTrue(bn.isDeterministicInTraining());
  }

  @Test
  void movingStatisticsAreNotTrainable() {
    BatchNormalization bn = new BatchNormalization();
    bn.build(new long[] {4, 4, 8});

    assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"), names(bn));
    List<String> trainable = bn.trainableWeightSpecs().stream().map(WeightSpec::name).toList();
    assertEquals(List.of("gamma", "beta"), trainable);
    assertEquals(32, bn.countParams());
  }

  @Test
  void defaultsMatchKeras() {
    Map<String, Object> config = new BatchNormalization().getConfig();

    assertEquals(-1, config.get("axis"));
    assertEquals(0.99f, ((Double) config.get("momentum")).floatValue());
    assertEquals(1e-3f, ((Double) config.get("epsilon")).floatValue());
    assertEquals(true, config.get("center"));
    assertEquals(true, config.get("scale"));
  }

  @Test
  void zeroEpsilonRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BatchNormalization(0.99f, 0f, true, true, null));

    assertTrue(e.getMessage().contains("epsilon must be positive, got 0.0"), e.getMessage());
  }

  private static Map<String, float[]> weights() {
    return Map.of("gamma", GAMMA, "beta", BETA, "moving_mean", MEAN, "moving_variance", VARIANCE);
  }

  private static Weight weight(String name, float[] values) {
    return new Weight(name, new long[] {values.length}, values);
  }

  private static List<String> names(Layer layer) {
    return layer.weightSpecs().stream().map(WeightSpec::name).toList();
  }

  private static float[] random(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextDouble() * 4 - 2);
    }
    return values;
  }
}
