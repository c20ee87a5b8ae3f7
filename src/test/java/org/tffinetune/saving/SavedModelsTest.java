package org.tffinetune.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.Activation;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.AveragePooling2D;
import org.tffinetune.layers.BatchNormalization;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Dropout;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.MaxPooling2D;
import org.tffinetune.layers.Padding;
import org.tffinetune.layers.Reshape;
import org.tffinetune.layers.Weight;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.Sequential;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.testing.SyntheticDigits;

class SavedModelsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void roundTripKeepsWeightsBitIdentical() throws IOException {
    Path saved = dir.resolve("model");
    Map<String, Weight> expected;
    try (Sequential model = small(5, 1)) {
      expected = model.getWeights();
      SavedModels.save(model, saved, false);
    }

    try (Sequential loaded = SavedModels.load(saved)) {
      Map<String, Weight> actual = loaded.getWeights();

      assertEquals(expected.keySet(), actual.keySet());
      for (String key : expected.keySet()) {
        assertArrayEquals(expected.get(key).shape(), actual.get(key).shape(), key);
        assertArrayEquals(expected.get(key).values(), actual.get(key).values(), key);
      }
    }
  }

  @Test
  void roundTripAfterTrainingKeepsPredictions() throws IOException {
    Path saved = dir.resolve("trained");
    LabeledImages data = SyntheticDigits.create(60, 3).select(0, 1, 2, 3, 4);
    float[][] expected;
    Map<String, Weight> expectedWeights;
    try (Sequential model = small(5, 2)) {
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      model.fit(data, FitOptions.builder().epochs(1).batchSize(10).verbose(0).build());
      expected = model.predict(data, 16);
      expectedWeights = model.getWeights();
      SavedModels.save(model, saved, false);
    }

    try (Sequential loaded = SavedModels.load(saved)) {
      float[][] actual = loaded.predict(data, 16);

      for (int i = 0; i < expected.length; i++) {
        assertArrayEquals(expected[i], actual[i], "example " + i);
      }
      assertEquals(expectedWeights, loaded.getWeights());
    }
  }

  @Test
  void roundTripKeepsClassNamesAndTrainable() throws IOException {
    Path saved = dir.resolve("model");
    try (Sequential model = small(5, 1)) {
      model.setClassNames(List.of("5", "6", "7", "8", "9"));
      model.getLayer("conv2d").setTrainable(false);
      SavedModels.save(model, saved, false);
    }

    try (Sequential loaded = SavedModels.load(saved)) {
      assertEquals(List.of("5", "6", "7", "8", "9"), loaded.classNames());
      assertFalse(loaded.getLayer("conv2d").isTrainable());
      assertTrue(loaded.getLayer("dense").isTrainable());
      assertEquals(1L, loaded.seed());
    }
  }

  @Test
  void roundTripEveryLayerType() throws IOException {
    Path saved = dir.resolve("all");
    float[] images = uniform(new SplittableRandom(9), 3 * 8 * 8 * 3);
    float[][] expected;
    List<Map<String, Object>> expectedConfigs;
    try (Sequential model = everyLayer()) {
      model.setWeights(
          Map.of(
              "bn/moving_mean",
                  new Weight("moving_mean", new long[] {4}, new float[] {0.1f, -0.2f, 0.3f, 0.05f}),
              "bn/moving_variance",
                  new Weight(
                      "moving_variance", new long[] {4}, new float[] {0.5f, 2f, 1.5f, 0.8f})));
      expected = model.predict(images, 3);
      expectedConfigs = model.layers().stream().map(Layer::getConfig).toList();
      SavedModels.save(model, saved, false);
    }

    try (Sequential loaded = SavedModels.load(saved)) {
      assertEquals(expectedConfigs, loaded.layers().stream().map(Layer::getConfig).toList());
      float[][] actual = loaded.predict(images, 3);
      for (int i = 0; i < expected.length; i++) {
        assertArrayEquals(expected[i], actual[i], "example " + i);
      }
      assertArrayEquals(
          new float[] {0.1f, -0.2f, 0.3f, 0.05f},
          loaded.getWeights().get("bn/moving_mean").values());
    }
  }

  @Test
  void existingFolderRejectedWithoutOverwrite() throws IOException {
    Path target = Files.createDirectories(dir.resolve("model"));
    Files.writeString(target.resolve("notes.txt"), "keep me");

    try (Sequential model = small(5, 1)) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> SavedModels.save(model, target, false));

      assertTrue(e.getMessage().contains("already exists"), e.getMessage());
      assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    }
    try (Stream<Path> files = Files.list(target)) {
      assertEquals(List.of(target.resolve("notes.txt")), files.toList());
    }
    assertEquals("keep me", Files.readString(target.resolve("notes.txt")));
    assertEquals(List.of(target), siblings());
  }

  @Test
  void overwriteReplacesAndCleansUp() throws IOException {
    Path target = dir.resolve("model");
    Map<String, Weight> first;
    try (Sequential model = small(5, 1)) {
      first = model.getWeights();
      SavedModels.save(model, target, false);
    }
    Map<String, Weight> second;
    try (Sequential model = small(5, 2)) {
      second = model.getWeights();
      SavedModels.save(model, target, true);
    }
    assertNotEquals(first, second);

    try (Sequential loaded = SavedModels.load(target)) {
      assertEquals(second, loaded.getWeights());
      assertEquals(2L, loaded.seed());
    }
    assertEquals(List.of(target), siblings());
  }

  @Test
  void existingFileRejectedWithOverwrite() throws IOException {
    Path target = Files.writeString(dir.resolve("model"), "a file");

    try (Sequential model = small(5, 1)) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> SavedModels.save(model, target, true));

      assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
    }
    assertEquals("a file", Files.readString(target));
    assertEquals(List.of(target), siblings());
  }

  @Test
  void missingFolderRejected() {
    String message = loadError(dir.resolve("absent"));

    assertTrue(message.contains("model folder " + dir.resolve("absent")), message);
    assertTrue(message.contains("does not exist"), message);
  }

  @Test
  void fileInsteadOfFolderRejected() throws IOException {
    Path file = Files.writeString(dir.resolve("model.pb"), "x");

    String message = loadError(file);

    assertTrue(message.contains("is not a folder; expected a SavedModel folder"), message);
  }

  @Test
  void folderWithoutSavedModelPbRejected() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    String message = loadError(empty);

    assertTrue(message.contains("is not a SavedModel: saved_model.pb is missing"), message);
  }

  @Test
  void missingVariablesIndexRejected() throws IOException {
    Path saved = save(small(5, 1));
    Files.delete(saved.resolve("variables").resolve("variables.index"));

    String message = loadError(saved);

    assertTrue(message.contains("variables/variables.index is missing"), message);
  }

  @Test
  void exportWithoutArchitectureRejected() throws IOException {
    Path exported = dir.resolve("exported");
    try (Sequential model = small(5, 1)) {
      model.exportSavedModel(exported);
    }

    String message = loadError(exported);

    assertTrue(message.contains("not one written by tf-finetune"), message);
    assertTrue(message.contains("assets/tffinetune_model.json"), message);
  }

  @Test
  void corruptJsonRejected() throws IOException {
    Path saved = save(small(5, 1));
    Files.writeString(configFile(saved), "{\"format\": \"tf-finetune-model\", ");

    String message = loadError(saved);

    assertTrue(message.contains(ModelConfig.FILE_NAME), message);
    assertTrue(message.contains("is not valid JSON"), message);
  }

  @Test
  void newerFormatVersionRejected() throws IOException {
    Path saved = save(small(5, 1));
    ObjectNode root = readConfig(saved);
    root.put("format_version", 7);
    writeConfig(saved, root);

    String message = loadError(saved);

    assertTrue(message.contains("format_version 7 is not supported"), message);
    assertTrue(message.contains("reads versions 1 to " + ModelConfig.FORMAT_VERSION), message);
  }

  @Test
  void otherFormatRejected() throws IOException {
    Path saved = save(small(5, 1));
    ObjectNode root = readConfig(saved);
    root.put("format", "keras");
    writeConfig(saved, root);

    String message = loadError(saved);

    assertTrue(
        message.contains("field 'format' must be 'tf-finetune-model', found keras"), message);
  }

  @Test
  void corruptSavedModelPbRejected() throws IOException {
    Path saved = save(small(5, 1));
    byte[] garbage = new byte[512];
    new SplittableRandom(4).nextBytes(garbage);
    Files.write(saved.resolve("saved_model.pb"), garbage);

    String message = loadError(saved);

    assertTrue(message.contains("cannot load the SavedModel in " + saved), message);
  }

  @Test
  void changedUnitsReportLayerAndShapes() throws IOException {
    Path saved = save(small(5, 1));
    ObjectNode root = readConfig(saved);
    ObjectNode dense = layerConfig(root, "dense");
    dense.put("units", 7);
    writeConfig(saved, root);

    String message = loadError(saved);

    assertTrue(message.contains("variable 'dense/kernel' of layer 'dense'"), message);
    assertTrue(message.contains("has shape [338, 5]"), message);
    assertTrue(message.contains("the architecture expects [338, 7]"), message);
  }

  @Test
  void renamedLayerReportsMissingVariable() throws IOException {
    Path saved = save(small(5, 1));
    ObjectNode root = readConfig(saved);
    layerConfig(root, "dense").put("name", "head");
    writeConfig(saved, root);

    String message = loadError(saved);

    assertTrue(message.contains("has no variable 'head/kernel' for layer 'head' (Dense)"), message);
  }

  @Test
  void unknownActivationInArchitectureRejected() throws IOException {
    Path saved = save(small(5, 1));
    ObjectNode root = readConfig(saved);
    layerConfig(root, "conv2d").put("activation", "swish");
    writeConfig(saved, root);

    String message = loadError(saved);

    assertTrue(message.contains("layer 'conv2d' (Conv2D) has an invalid config"), message);
    assertTrue(message.contains("unknown activation 'swish'"), message);
  }

  /** Returns Conv2D(2, 3) relu, MaxPooling2D(2), Dropout, Flatten and Dense(classes) softmax. */
  private static Sequential small(int classes, long seed) {
    Sequential model = new Sequential(28, 28, 1);
    model.setSeed(seed);
    model
        .add(Conv2D.builder(2, 3).activation(ActivationFunction.RELU).build())
        .add(new MaxPooling2D(2))
        .add(new Dropout(0.25))
        .add(new Flatten())
        .add(Dense.builder(classes).activation(ActivationFunction.SOFTMAX).build());
    return model;
  }

  /** Returns a model with every supported layer type, mostly with non-default settings. */
  private static Sequential everyLayer() {
    Sequential model = new Sequential("every_layer", 8, 8, 3);
    model.setSeed(5);
    model
        .add(
            Conv2D.builder(4, 3, 2)
                .strides(2, 1)
                .padding(Padding.SAME)
                .activation(ActivationFunction.TANH)
                .useBias(false)
                .name("conv")
                .build())
        .add(new BatchNormalization(0.9f, 0.01f, true, true, "bn"))
        .add(new AveragePooling2D(new int[] {2, 2}, new int[] {1, 1}, Padding.SAME, "avg"))
        .add(new MaxPooling2D(new int[] {2, 2}, null, Padding.VALID, "max"))
        .add(new Dropout(0.1, "drop"))
        .add(new Reshape(new long[] {4, -1}, "reshape"))
        .add(Dense.builder(6).activation(ActivationFunction.SIGMOID).name("dense").build())
        .add(new Flatten("flatten"))
        .add(Dense.builder(5).useBias(false).name("head").build())
        .add(new Activation(ActivationFunction.SOFTMAX, "softmax"));
    return model;
  }

  private Path save(Sequential model) throws IOException {
    Path saved = dir.resolve("saved");
    try (model) {
      SavedModels.save(model, saved, false);
    }
    return saved;
  }

  private static String loadError(Path path) {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> SavedModels.load(path).close());
    return e.getMessage();
  }

  private List<Path> siblings() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private static Path configFile(Path saved) {
    return saved.resolve("assets").resolve(ModelConfig.FILE_NAME);
  }

  private static ObjectNode readConfig(Path saved) throws IOException {
    return (ObjectNode) JSON.readTree(configFile(saved).toFile());
  }

  private static void writeConfig(Path saved, ObjectNode root) throws IOException {
    Files.write(configFile(saved), JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the config object of the named layer inside the Sequential config. */
  private static ObjectNode layerConfig(ObjectNode root, String layerName) {
    for (var entry : root.path("model").path("config").path("layers")) {
      if (layerName.equals(entry.path("config").path("name").asText())) {
        return (ObjectNode) entry.path("config");
      }
    }
    throw new AssertionError("no layer " + layerName + " in " + root);
  }

  private static float[] uniform(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }
}
