package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tffinetune.InvalidInputException;

class LayerConfigsTest {
  private static final String SOURCE = "model.json";

  @Test
  void inputLayerFromBatchShape() {
    Map<String, Object> config =
        config("input_layer", "batch_shape", Arrays.asList(null, 28, 28, 1));

    Layer layer = LayerConfigs.fromConfig("InputLayer", config, SOURCE);

    InputLayer input = assertInstanceOf(InputLayer.class, layer);
    assertArrayEquals(new long[] {28, 28, 1}, input.shape());
    assertEquals("input_layer", input.name());
  }

  @Test
  void inputShapeFromKeras2BatchInputShape() {
    Map<String, Object> config =
        config("conv2d", "batch_input_shape", Arrays.asList(null, 28, 28, 1));

    assertArrayEquals(new long[] {28, 28, 1}, LayerConfigs.inputShape(config, "conv2d", SOURCE));
  }

  @Test
  void conv2dFromKerasConfig() {
    Map<String, Object> config = config("conv", "filters", 32);
    config.put("kernel_size", List.of(3, 5));
    config.put("strides", List.of(2, 1));
    config.put("padding", "same");
    config.put("data_format", "channels_last");
    config.put("dilation_rate", List.of(1, 1));
    config.put("groups", 1);
    config.put("activation", "relu");
    config.put("use_bias", false);

    Layer layer = LayerConfigs.fromConfig("Conv2D", config, SOURCE);

    Conv2D conv = assertInstanceOf(Conv2D.class, layer);
    Map<String, Object> rebuilt = conv.getConfig();
    assertEquals("conv", rebuilt.get("name"));
    assertEquals(32, rebuilt.get("filters"));
    assertEquals(List.of(3, 5), rebuilt.get("kernel_size"));
    assertEquals(List.of(2, 1), rebuilt.get("strides"));
    assertEquals("same", rebuilt.get("padding"));
    assertEquals("relu", rebuilt.get("activation"));
    assertEquals(false, rebuilt.get("use_bias"));
  }

  @Test
  void conv2dScalarKernelAndDefaults() {
    Map<String, Object> config = config("conv", "filters", 4);
    config.put("kernel_size", 3);

    Conv2D conv = (Conv2D) LayerConfigs.fromConfig("Convolution2D", config, SOURCE);

    Map<String, Object> rebuilt = conv.getConfig();
    assertEquals(List.of(3, 3), rebuilt.get("kernel_size"));
    assertEquals(List.of(1, 1), rebuilt.get("strides"));
    assertEquals("valid", rebuilt.get("padding"));
    assertEquals("linear", rebuilt.get("activation"));
    assertEquals(true, rebuilt.get("use_bias"));
  }

  @Test
  void denseFromKerasConfig() {
    Map<String, Object> config = config("head", "units", 10);
    config.put("activation", "softmax");
    config.put("use_bias", true);
    config.put("kernel_initializer", Map.of("class_name", "GlorotUniform", "config", Map.of()));

    Dense dense = assertInstanceOf(Dense.class, LayerConfigs.fromConfig("Dense", config, SOURCE));

    assertEquals(10, dense.units());
    assertEquals(ActivationFunction.SOFTMAX, dense.activation());
  }

  @Test
  void activationFromSerializedFunction() {
    // Keras 3 may write an activation as a serialized function object.
    Map<String, Object> config = config("dense", "units", 3);
    config.put("activation", Map.of("class_name", "function", "config", "tanh"));

    Dense dense = (Dense) LayerConfigs.fromConfig("Dense", config, SOURCE);

    assertEquals(ActivationFunction.TANH, dense.activation());
  }

  @Test
  void activationLayerFromKerasConfig() {
    Layer layer =
        LayerConfigs.fromConfig("Activation", config("act", "activation", "sigmoid"), SOURCE);

    Activation activation = assertInstanceOf(Activation.class, layer);
    assertEquals(ActivationFunction.SIGMOID, activation.function());
  }

  @ParameterizedTest
  @ValueSource(strings = {"MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D"})
  void poolingFromKerasConfig(String className) {
    Map<String, Object> config = config("pool", "pool_size", List.of(3, 2));
    config.put("strides", List.of(1, 2));
    config.put("padding", "same");
    config.put("data_format", "channels_last");

    Layer layer = LayerConfigs.fromConfig(className, config, SOURCE);

    Class<?> expected = className.startsWith("Max") ? MaxPooling2D.class : AveragePooling2D.class;
    assertInstanceOf(expected, layer);
    Map<String, Object> rebuilt = layer.getConfig();
    assertEquals(List.of(3, 2), rebuilt.get("pool_size"));
    assertEquals(List.of(1, 2), rebuilt.get("strides"));
    assertEquals("same", rebuilt.get("padding"));
  }

  @Test
  void poolingNullStridesUsePoolSize() {
    Map<String, Object> config = config("pool", "pool_size", List.of(2, 2));
    config.put("strides", null);

    Layer layer = LayerConfigs.fromConfig("MaxPooling2D", config, SOURCE);

    assertEquals(List.of(2, 2), layer.getConfig().get("strides"));
    assertEquals("valid", layer.getConfig().get("padding"));
  }

  @Test
  void dropoutFromKerasConfig() {
    Map<String, Object> config = config("dropout", "rate", 0.25);
    config.put("seed", null);
    config.put("noise_shape", null);

    Dropout dropout =
        assertInstanceOf(Dropout.class, LayerConfigs.fromConfig("Dropout", config, SOURCE));

    assertEquals(0.25f, dropout.rate());
  }

  @Test
  void flattenFromKerasConfig() {
    Layer layer =
        LayerConfigs.fromConfig(
            "Flatten", config("flatten", "data_format", "channels_last"), SOURCE);

    assertInstanceOf(Flatten.class, layer);
    assertEquals("flatten", layer.name());
  }

  @Test
  void reshapeFromKerasConfig() {
    Layer layer =
        LayerConfigs.fromConfig(
            "Reshape", config("reshape", "target_shape", List.of(7, -1)), SOURCE);

    Reshape reshape = assertInstanceOf(Reshape.class, layer);
    reshape.build(new long[] {28, 28, 1});
    assertArrayEquals(new long[] {7, 112}, reshape.outputShape());
  }

  @Test
  void batchNormalizationFromKerasConfig() {
    Map<String, Object> config = config("bn", "axis", -1);
    config.put("momentum", 0.9);
    config.put("epsilon", 0.01);
    config.put("center", false);
    config.put("scale", true);

    Layer layer = LayerConfigs.fromConfig("BatchNormalization", config, SOURCE);

    assertInstanceOf(BatchNormalization.class, layer);
    Map<String, Object> rebuilt = layer.getConfig();
    assertEquals(0.9f, ((Double) rebuilt.get("momentum")).floatValue());
    assertEquals(0.01f, ((Double) rebuilt.get("epsilon")).floatValue());
    assertEquals(false, rebuilt.get("center"));
    assertEquals(true, rebuilt.get("scale"));
  }

  @Test
  void batchNormalizationAxisListAccepted() {
    Layer layer =
        LayerConfigs.fromConfig("BatchNormalization", config("bn", "axis", List.of(-1)), SOURCE);

    assertInstanceOf(BatchNormalization.class, layer);
  }

  @Test
  void everySupportedClassHasACase() {
    Map<String, Map<String, Object>> minimal = new HashMap<>();
    minimal.put("InputLayer", config("l", "batch_shape", Arrays.asList(null, 4, 4, 1)));
    Map<String, Object> conv = config("l", "filters", 2);
    conv.put("kernel_size", 3);
    minimal.put("Conv2D", conv);
    minimal.put("Dense", config("l", "units", 2));
    minimal.put("Activation", config("l", "activation", "relu"));
    minimal.put("MaxPooling2D", config("l", "pool_size", 2));
    minimal.put("AveragePooling2D", config("l", "pool_size", 2));
    minimal.put("Dropout", config("l", "rate", 0.5));
    minimal.put("Flatten", config("l", "trainable", true));
    minimal.put("Reshape", config("l", "target_shape", List.of(-1)));
    minimal.put("BatchNormalization", config("l", "axis", -1));

    assertEquals(minimal.keySet(), new java.util.HashSet<>(LayerConfigs.SUPPORTED));
    for (String className : LayerConfigs.SUPPORTED) {
      Layer layer = LayerConfigs.fromConfig(className, minimal.get(className), SOURCE);
      assertEquals(className, layer.className(), className);
    }
  }

  @Test
  void trainableFalseKept() {
    Map<String, Object> config = config("dense", "units", 4);
    config.put("trainable", false);

    Layer layer = LayerConfigs.fromConfig("Dense", config, SOURCE);

    assertFalse(layer.isTrainable());
  }

  @Test
  void unsupportedClassNamesLayerTypeAndSupported() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> LayerConfigs.fromConfig("LSTM", config("lstm_1", "units", 8), SOURCE));

    String message = e.getMessage();
    assertTrue(message.startsWith(SOURCE + ": "), message);
    assertTrue(message.contains("'lstm_1'"), message);
    assertTrue(message.contains("has type LSTM, which is not supported"), message);
    assertTrue(
        message.contains(
            "supported types: InputLayer, Conv2D, Dense, Activation, MaxPooling2D,"
                + " AveragePooling2D, Dropout, Flatten, Reshape, BatchNormalization"),
        message);
  }

  @Test
  void negativeFiltersRejected() {
    Map<String, Object> config = config("conv", "filters", -4);
    config.put("kernel_size", 3);

    String message = invalid("Conv2D", config);

    assertTrue(message.contains("layer 'conv' (Conv2D) has an invalid config"), message);
    assertTrue(message.contains("filters must be positive, got -4"), message);
  }

  @Test
  void unknownActivationRejected() {
    Map<String, Object> config = config("dense", "units", 4);
    config.put("activation", "swish");

    String message = invalid("Dense", config);

    assertTrue(message.contains("layer 'dense' (Dense)"), message);
    assertTrue(message.contains("unknown activation 'swish'"), message);
    assertTrue(message.contains("supported: [linear, relu, softmax, sigmoid, tanh]"), message);
  }

  @Test
  void unknownPaddingRejected() {
    Map<String, Object> config = config("conv", "filters", 4);
    config.put("kernel_size", 3);
    config.put("padding", "causal");

    String message = invalid("Conv2D", config);

    assertTrue(message.contains("layer 'conv' (Conv2D)"), message);
    assertTrue(message.contains("unknown padding 'causal'; supported: valid, same"), message);
  }

  @Test
  void missingUnitsRejected() {
    String message = invalid("Dense", config("dense", "activation", "relu"));

    assertTrue(message.contains("layer 'dense' (Dense)"), message);
    assertTrue(message.contains("expected a number, found null"), message);
  }

  @Test
  void missingKernelSizeRejected() {
    String message = invalid("Conv2D", config("conv", "filters", 4));

    assertTrue(message.contains("expected an integer or a pair of integers, found null"), message);
  }

  @Test
  void threeElementPoolSizeRejected() {
    String message = invalid("MaxPooling2D", config("pool", "pool_size", List.of(2, 2, 2)));

    assertTrue(message.contains("layer 'pool' (MaxPooling2D)"), message);
    assertTrue(message.contains("found [2, 2, 2]"), message);
  }

  @Test
  void dropoutRateOneRejected() {
    String message = invalid("Dropout", config("dropout", "rate", 1.0));

    assertTrue(message.contains("rate must be in [0, 1), got 1.0"), message);
  }

  @Test
  void channelsFirstRejected() {
    Map<String, Object> config = config("conv", "filters", 4);
    config.put("kernel_size", 3);
    config.put("data_format", "channels_first");

    String message = invalid("Conv2D", config);

    assertTrue(message.contains("uses data_format channels_first"), message);
    assertTrue(message.contains("only channels_last (NHWC) is supported"), message);
  }

  @Test
  void dilationRejected() {
    Map<String, Object> config = config("conv", "filters", 4);
    config.put("kernel_size", 3);
    config.put("dilation_rate", List.of(2, 2));

    String message = invalid("Conv2D", config);

    assertTrue(message.contains("uses dilation_rate 2x2; only 1x1 is supported"), message);
  }

  @Test
  void groupsRejected() {
    Map<String, Object> config = config("conv", "filters", 4);
    config.put("kernel_size", 3);
    config.put("groups", 2);

    String message = invalid("Conv2D", config);

    assertTrue(message.contains("uses groups=2; only 1 is supported"), message);
  }

  @Test
  void batchNormalizationChannelAxisAccepted() {
    Layer layer = LayerConfigs.fromConfig("BatchNormalization", config("bn", "axis", 3), SOURCE);
    layer.build(new long[] {4, 4, 8});

    assertArrayEquals(new long[] {8}, layer.weightSpecs().get(0).shape());
    assertEquals(3, layer.getConfig().get("axis"));
  }

  @Test
  void batchNormalizationHeightAxisRejectedWhenBuilt() {
    // Axis 1 of an NHWC input is the height, which this layer cannot normalize.
    Layer layer = LayerConfigs.fromConfig("BatchNormalization", config("bn", "axis", 1), SOURCE);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> layer.build(new long[] {4, 4, 8}));

    assertTrue(e.getMessage().contains("'bn' (BatchNormalization)"), e.getMessage());
    assertTrue(
        e.getMessage().contains("normalizes axis 1 of input (None, 4, 4, 8)"), e.getMessage());
    assertTrue(e.getMessage().contains("only the last axis (-1 or 3)"), e.getMessage());
  }

  @Test
  void batchNormalizationTextAxisRejected() {
    String message = invalid("BatchNormalization", config("bn", "axis", "last"));

    assertTrue(message.contains("layer 'bn' (BatchNormalization) has axis last"), message);
    assertTrue(message.contains("expected one integer"), message);
  }

  @Test
  void inputLayerWithoutShapeRejected() {
    String message = invalid("InputLayer", config("input", "dtype", "float32"));

    assertTrue(message.contains("InputLayer 'input' needs 'batch_shape'"), message);
  }

  @Test
  void inputLayerNullDimensionRejected() {
    String message =
        invalid("InputLayer", config("input", "batch_shape", Arrays.asList(null, 28, null, 1)));

    assertTrue(message.contains("only the batch dimension may be null"), message);
  }

  private static String invalid(String className, Map<String, Object> config) {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> LayerConfigs.fromConfig(className, config, SOURCE));
    assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
    return e.getMessage();
  }

  /** Returns a mutable config with a name and one more key. */
  private static Map<String, Object> config(String name, String key, Object value) {
    Map<String, Object> config = new HashMap<>();
    config.put("name", name);
    config.put(key, value);
    return config;
  }
}
