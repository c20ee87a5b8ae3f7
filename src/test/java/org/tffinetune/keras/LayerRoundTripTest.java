package org.tffinetune.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.data.MnistFixtures;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.AveragePooling2D;
import org.tffinetune.layers.BatchNormalization;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Dropout;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.InputLayer;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.MaxPooling2D;
import org.tffinetune.layers.Padding;
import org.tffinetune.layers.Reshape;
import org.tffinetune.layers.Weight;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.Sequential;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.saving.SavedModels;

/**
 * Saves small models with every supported layer type, reloads them through {@link ModelImport} and
 * checks that configs, weights and predictions come back unchanged.
 */
class LayerRoundTripTest {
  private static final int EXAMPLES = 4;

  @TempDir Path dir;

  @Test
  void fusedActivationsRoundTrip() throws IOException {
    assertRoundTrip(
        () ->
            new Sequential("fused", 8, 8, 1)
                .add(new InputLayer(new long[] {8, 8, 1}, "pixels"))
                .add(
                    Conv2D.builder(3, 3)
                        .strides(2, 2)
                        .padding(Padding.SAME)
                        .activation(ActivationFunction.RELU)
                        .build())
                .add(Conv2D.builder(2, 1).useBias(false).build())
                .add(new Flatten())
                .add(Dense.builder(5).activation(ActivationFunction.RELU).build())
                .add(Dense.builder(3).activation(ActivationFunction.SOFTMAX).build()));
  }

  @Test
  void poolingReshapeAndDropoutRoundTrip() throws IOException {
    assertRoundTrip(
        () ->
            new Sequential("pooling", 9, 9, 2)
                .add(Conv2D.of(4, 2))
                .add(new AveragePooling2D(2))
                .add(new MaxPooling2D(new int[] {2, 2}, new int[] {1, 1}, Padding.SAME, null))
                .add(new Dropout(0.3))
                .add(new Reshape(-1, 8))
                .add(Dense.builder(3).activation(ActivationFunction.RELU).build())
                .add(new Flatten())
                .add(Dense.builder(2).activation(ActivationFunction.SOFTMAX).build()));
  }

  @Test
  void frozenBatchNormalizationRoundTrips() throws IOException {
    assertRoundTrip(
        () -> {
          Sequential model =
              new Sequential("bn", 5, 5, 1)
                  .add(Conv2D.of(3, 3))
                  .add(new BatchNormalization())
                  .add(new Flatten())
                  .add(Dense.builder(2).activation(ActivationFunction.SOFTMAX).build());
          model.getLayer("batch_normalization").setTrainable(false);
          return model;
        });
  }

  /** Checks inference against {@code gamma * (x - mean) / sqrt(variance + epsilon) + beta}. */
  @Test
  void batchNormalizationUsesMovingStatistics() {
    Sequential model =
        new Sequential("bn_only", 2, 2, 3).add(new BatchNormalization()).add(new Flatten());
    float[] gamma = {1.5f, 0.5f, 2f};
    float[] beta = {0.1f, -0.2f, 0.3f};
    float[] mean = {0.4f, -1f, 2f};
    float[] variance = {0.25f, 4f, 1f};
    model.setWeights(
        Map.of(
            "batch_normalization/gamma", new Weight("gamma", new long[] {3}, gamma),
            "batch_normalization/beta", new Weight("beta", new long[] {3}, beta),
            "batch_normalization/moving_mean", new Weight("moving_mean", new long[] {3}, mean),
            "batch_normalization/moving_variance",
                new Weight("moving_variance", new long[] {3}, variance)));
    float[] input = randomValues(12, 5);

    float[] output = model.predict(input, 1)[0];

    for (int i = 0; i < input.length; i++) {
      int c = i % 3;
      double expected = gamma[c] * (input[i] - mean[c]) / Math.sqrt(variance[c] + 1e-3) + beta[c];
      assertEquals(expected, output[i], 1e-5, "value " + i);
    }
  }

  /** A frozen BatchNormalization keeps its statistics in training, as in Keras 2.1.3 and later. */
  @Test
  void frozenBatchNormalizationKeepsStatisticsInFit() throws IOException {
    LabeledImages train = MnistDataset.load(MnistFixtures.writeIdxDirectory(dir, false)).train();
    Map<String, Weight> frozen = fitOneEpoch(train, false);
    Map<String, Weight> trainable = fitOneEpoch(train, true);

    for (String weight : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
      String key = "batch_normalization/" + weight;
      assertEquals(initialBatchNormalization().get(key), frozen.get(key), key);
      assertNotEquals(initialBatchNormalization().get(key), trainable.get(key), key);
    }
  }

  private Map<String, Weight> fitOneEpoch(LabeledImages train, boolean trainable) {
    try (Sequential model =
        new Sequential("bn_fit", 28, 28, 1)
            .add(Conv2D.builder(2, 3).strides(3, 3).build())
            .add(new BatchNormalization())
            .add(new Flatten())
            .add(Dense.builder(10).activation(ActivationFunction.SOFTMAX).build())) {
      model.setSeed(5);
      model.setWeights(initialBatchNormalization());
      model.getLayer("batch_normalization").setTrainable(trainable);
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      model.fit(train, FitOptions.builder().batchSize(7).epochs(1).verbose(0).build());
      return model.getWeights();
    }
  }

  private static Map<String, Weight> initialBatchNormalization() {
    Map<String, Weight> weights = new LinkedHashMap<>();
    long[] shape = {2};
    weights.put("batch_normalization/gamma", new Weight("gamma", shape, new float[] {1.2f, 0.8f}));
    weights.put("batch_normalization/beta", new Weight("beta", shape, new float[] {0.1f, 0.2f}));
    weights.put(
        "batch_normalization/moving_mean",
        new Weight("moving_mean", shape, new float[] {0.3f, -0.3f}));
    weights.put(
        "batch_normalization/moving_variance",
        new Weight("moving_variance", shape, new float[] {2f, 0.5f}));
    return weights;
  }

  /**
   * Builds a model with random weights, saves it, reloads it with {@link
   * ModelImport#loadForTraining} and compares configs, weights and predictions exactly.
   */
  private void assertRoundTrip(Supplier<Sequential> builder) throws IOException {
    Sequential model = builder.get();
    model.setSeed(21);
    model.setWeights(randomWeights(model));
    long exampleSize = Weight.elementCount(model.inputShape());
    float[] inputs = randomValues((int) (EXAMPLES * exampleSize), 9);
    float[][] expected = model.predict(inputs, EXAMPLES);
    Path saved = dir.resolve(model.name());
    SavedModels.save(model, saved, false);

    try (Sequential loaded = ModelImport.loadForTraining(saved)) {
      assertArrayEquals(model.inputShape(), loaded.inputShape());
      assertEquals(configs(model), configs(loaded));
      assertEquals(model.getWeights(), loaded.getWeights());
      float[][] actual = loaded.predict(inputs, EXAMPLES);
      for (int i = 0; i < EXAMPLES; i++) {
        assertArrayEquals(expected[i], actual[i], "example " + i);
      }
    }
    model.close();
  }

  /**
   * Returns the layer configs without InputLayer, because a reloaded model keeps the input shape
   * but, as Keras's Sequential, lists no InputLayer.
   */
  private static List<Map<String, Object>> configs(Sequential model) {
    return model.layers().stream()
        .filter(layer -> !(layer instanceof InputLayer))
        .map(Layer::getConfig)
        .toList();
  }

  /** Returns random weights; variances are positive so that BatchNormalization stays finite. */
  private static Map<String, Weight> randomWeights(Sequential model) {
    SplittableRandom random = new SplittableRandom(13);
    Map<String, Weight> weights = new LinkedHashMap<>();
    for (Layer layer : model.layers()) {
      layer
          .weightSpecs()
          .forEach(
              spec -> {
                float[] values = new float[(int) spec.size()];
                for (int i = 0; i < values.length; i++) {
                  values[i] =
                      (float)
                          (spec.name().equals("moving_variance")
                              ? random.nextDouble(0.5, 2)
                              : random.nextDouble(-1, 1));
                }
                weights.put(
                    layer.name() + "/" + spec.name(),
                    new Weight(spec.name(), spec.shape(), values));
              });
    }
    return weights;
  }

  private static float[] randomValues(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }
}
