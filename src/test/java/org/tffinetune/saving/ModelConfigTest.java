package org.tffinetune.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.Layer;
import org.tffinetune.models.Sequential;

class ModelConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = "tffinetune_model.json";

  @Test
  void jsonHasFormatVersionAndSignature() throws IOException {
    Map<?, ?> root;
    try (Sequential model = small()) {
      model.setClassNames(List.of("0", "1", "2"));
      root = JSON.readValue(ModelConfig.toJson(model, "input", "probabilities"), Map.class);
    }

    assertEquals("tf-finetune-model", root.get("format"));
    assertEquals(1, root.get("format_version"));
    assertEquals(List.of("0", "1", "2"), root.get("class_names"));
    assertEquals(
        Map.of("key", "serving_default", "input", "input", "output", "probabilities"),
        root.get("signature"));
  }

  @Test
  void kerasConfigStartsWithInputLayer() {
    Map<String, Object> keras;
    try (Sequential model = small()) {
      keras = ModelConfig.toKerasConfig(model);
    }

    assertEquals("Sequential", keras.get("class_name"));
    List<?> layers = (List<?>) ((Map<?, ?>) keras.get("config")).get("layers");
    Map<?, ?> first = (Map<?, ?>) layers.get(0);
    assertEquals("InputLayer", first.get("class_name"));
    assertEquals(
        Arrays.asList(null, 6L, 6L, 1L), ((Map<?, ?>) first.get("config")).get("batch_shape"));
    assertEquals(4, layers.size());
  }

  @Test
  void jsonRoundTripKeepsArchitecture() {
    List<Map<String, Object>> expected;
    byte[] json;
    try (Sequential model = small()) {
      model.getLayer("conv").setTrainable(false);
      expected = model.layers().stream().map(Layer::getConfig).toList();
      json = ModelConfig.toJson(model, "input", "probabilities");
    }

    try (Sequential loaded = ModelConfig.fromJson(json, SOURCE)) {
      assertEquals(expected, loaded.layers().stream().map(Layer::getConfig).toList());
      assertArrayEquals(new long[] {6, 6, 1}, loaded.inputShape());
      assertEquals("small", loaded.name());
      assertEquals(7L, loaded.seed());
    }
  }

  @Test
  void keras2BatchInputShapeAccepted() {
    Map<String, Object> dense = layer("Dense", "dense", "units", 3);
    config(dense).put("batch_input_shape", Arrays.asList(null, 4));

    try (Sequential model = ModelConfig.fromKerasConfig(sequential(dense), SOURCE)) {
      assertArrayEquals(new long[] {4}, model.inputShape());
      assertArrayEquals(new long[] {3}, model.outputShape());
    }
  }

  @Test
  void functionalModelRejected() {
    Map<String, Object> keras = new HashMap<>(sequential(input(4)));
    keras.put("class_name", "Functional");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelConfig.fromKerasConfig(keras, SOURCE));

    assertTrue(e.getMessage().contains("the model is a Functional"), e.getMessage());
    assertTrue(e.getMessage().contains("only Sequential models"), e.getMessage());
  }

  @Test
  void emptyLayerListRejected() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> ModelConfig.fromKerasConfig(sequential(), SOURCE));

    assertTrue(e.getMessage().contains("has no 'layers' list"), e.getMessage());
  }

  @Test
  void missingInputShapeRejected() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ModelConfig.fromKerasConfig(sequential(layer("Dense", "d", "units", 2)), SOURCE));

    assertTrue(e.getMessage().contains("declares no input shape"), e.getMessage());
  }

  @Test
  void layerThatDoesNotFitRejected() {
    Map<String, Object> conv = layer("Conv2D", "conv", "filters", 2);
    config(conv).put("kernel_size", 3);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ModelConfig.fromKerasConfig(sequential(input(10), conv), SOURCE));

    assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("(None, 10)"), e.getMessage());
  }

  @Test
  void missingModelFieldRejected() {
    byte[] json =
        "{\"format\": \"tf-finetune-model\", \"format_version\": 1}"
            .getBytes(StandardCharsets.UTF_8);

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelConfig.fromJson(json, SOURCE));

    assertTrue(e.getMessage().contains("field 'model' is missing"), e.getMessage());
  }

  @Test
  void versionZeroRejected() {
    byte[] json =
        "{\"format\": \"tf-finetune-model\", \"format_version\": 0}"
            .getBytes(StandardCharsets.UTF_8);

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelConfig.fromJson(json, SOURCE));

    assertTrue(e.getMessage().contains("format_version 0 is not supported"), e.getMessage());
  }

  @Test
  void batchNormalizationHeightAxisRejected() {
    // On an NHWC input, axis 1 is the height, which this layer cannot normalize.
    Map<String, Object> bn = layer("BatchNormalization", "bn", "axis", 1);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ModelConfig.fromKerasConfig(sequential(input(4, 4, 3), bn), SOURCE));

    assertTrue(e.getMessage().contains("'bn'"), e.getMessage());
    assertTrue(e.getMessage().contains("axis 1"), e.getMessage());
  }

  @Test
  void nonStringLayerNameRejected() {
    Map<String, Object> dense = layer("Dense", "d", "units", 2);
    config(dense).put("name", 5);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ModelConfig.fromKerasConfig(sequential(input(4), dense), SOURCE));

    assertTrue(e.getMessage().contains("name"), e.getMessage());
  }

  private static Sequential small() {
    Sequential model = new Sequential("small", 6, 6, 1);
    model.setSeed(7);
    model
        .add(Conv2D.builder(2, 3).activation(ActivationFunction.RELU).name("conv").build())
        .add(new Flatten())
        .add(Dense.builder(3).activation(ActivationFunction.SOFTMAX).build());
    return model;
  }

  @SafeVarargs
  private static Map<String, Object> sequential(Map<String, Object>... layers) {
    Map<String, Object> config = new HashMap<>();
    config.put("name", "sequential");
    config.put("layers", new ArrayList<>(List.of(layers)));
    Map<String, Object> root = new HashMap<>();
    root.put("class_name", "Sequential");
    root.put("config", config);
    return root;
  }

  private static Map<String, Object> input(Integer... dims) {
    List<Integer> shape = new ArrayList<>();
    shape.add(null);
    shape.addAll(List.of(dims));
    return layer("InputLayer", "input_layer", "batch_shape", shape);
  }

  private static Map<String, Object> layer(
      String className, String name, String key, Object value) {
    Map<String, Object> config = new HashMap<>();
    config.put("name", name);
    config.put(key, value);
    Map<String, Object> entry = new HashMap<>();
    entry.put("class_name", className);
    entry.put("config", config);
    return entry;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(Map<String, Object> layer) {
    return (Map<String, Object>) layer.get("config");
  }
}
