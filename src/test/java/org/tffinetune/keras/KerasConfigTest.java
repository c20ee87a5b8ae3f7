package org.tffinetune.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Layer;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.ModelConfig;

/** Rebuilds models from Keras config JSON that the tests write, in Keras 2 and 3 layouts. */
class KerasConfigTest {
  /** Every supported layer type, in Keras 3's layout with dtype policies and build configs. */
  private static final String KERAS3_ALL_LAYERS =
      """
      {"module": "keras", "class_name": "Sequential", "config": {"name": "all_layers", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [null, 12, 12, 1], "name": "in"}},
        {"class_name": "Conv2D", "module": "keras.layers", "registered_name": null,
         "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1],
          "padding": "same", "activation": "relu", "use_bias": true, "trainable": false,
          "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
          "dtype": {"module": "keras", "class_name": "DTypePolicy",
           "config": {"name": "float32"}, "registered_name": null}},
         "build_config": {"input_shape": [null, 12, 12, 1]}},
        {"class_name": "BatchNormalization",
         "config": {"name": "bn", "axis": -1, "momentum": 0.9, "epsilon": 0.001,
          "center": true, "scale": true}},
        {"class_name": "MaxPooling2D",
         "config": {"name": "max", "pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}},
        {"class_name": "AveragePooling2D",
         "config": {"name": "avg", "pool_size": [2, 2], "strides": [1, 1], "padding": "valid"}},
        {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.25, "seed": null}},
        {"class_name": "Reshape", "config": {"name": "rows", "target_shape": [25, 4]}},
        {"class_name": "Dense",
         "config": {"name": "per_row", "units": 3, "activation": "relu", "use_bias": true}},
        {"class_name": "Flatten", "config": {"name": "flat", "data_format": "channels_last"}},
        {"class_name": "Dense",
         "config": {"name": "logits", "units": 2, "activation": "linear", "use_bias": false}},
        {"class_name": "Activation", "config": {"name": "probs", "activation": "softmax"}}
      ]}}
      """;

  @Test
  void keras3ConfigRebuildsEverySupportedLayer() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> config = new ObjectMapper().readValue(KERAS3_ALL_LAYERS, Map.class);

    Sequential model = ModelConfig.fromKerasConfig(config, "all_layers.json");

    List<Layer> layers = model.layers();
    assertEquals(
        List.of(
            "Conv2D",
            "BatchNormalization",
            "MaxPooling2D",
            "AveragePooling2D",
            "Dropout",
            "Reshape",
            "Dense",
            "Flatten",
            "Dense",
            "Activation"),
        layers.stream().map(Layer::className).toList());
    assertArrayEquals(new long[] {12, 12, 1}, model.inputShape());
    assertArrayEquals(new long[] {12, 12, 4}, model.getLayer("conv").outputShape());
    assertArrayEquals(new long[] {6, 6, 4}, model.getLayer("max").outputShape());
    assertArrayEquals(new long[] {5, 5, 4}, model.getLayer("avg").outputShape());
    assertArrayEquals(new long[] {25, 4}, model.getLayer("rows").outputShape());
    assertArrayEquals(new long[] {25, 3}, model.getLayer("per_row").outputShape());
    assertArrayEquals(new long[] {75}, model.getLayer("flat").outputShape());
    assertArrayEquals(new long[] {2}, model.outputShape());
    // conv 3*3*1*4 + 4, bn 4 * 4, per_row 4*3 + 3, logits 75*2 without bias.
    assertEquals(40 + 16 + 15 + 150, model.countParams());
    assertEquals(ActivationFunction.RELU, ((Conv2D) model.getLayer("conv")).activation());
    assertEquals(ActivationFunction.LINEAR, ((Dense) model.getLayer("logits")).activation());
    assertFalse(model.getLayer("conv").isTrainable());
    assertTrue(model.getLayer("bn").isTrainable());
    assertEquals(
        0.9, ((Number) model.getLayer("bn").getConfig().get("momentum")).doubleValue(), 1e-6);
  }

  @Test
  void keras2TuplesAndBatchInputShapeAreRead() {
    String json =
        """
        {"class_name": "Sequential", "config": {"name": "k2", "layers": [
          {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 2,
           "batch_input_shape": {"class_name": "__tuple__", "items": [null, 5, 5, 1]},
           "kernel_size": {"class_name": "__tuple__", "items": [3, 3]},
           "strides": {"class_name": "__tuple__", "items": [1, 1]}, "padding": "valid",
           "activation": "relu"}},
          {"class_name": "MaxPooling2D", "config": {"name": "pool",
           "pool_size": {"class_name": "__tuple__", "items": [3, 3]}}},
          {"class_name": "Flatten", "config": {"name": "flatten"}},
          {"class_name": "Dense", "config": {"name": "dense", "units": 3,
           "activation": "softmax"}}]}}
        """;

    Sequential model = KerasConfig.rebuild(KerasJson.parseObject(json, "k2.json"), "k2.json");

    assertArrayEquals(new long[] {5, 5, 1}, model.inputShape());
    assertArrayEquals(new long[] {1, 1, 2}, model.getLayer("pool").outputShape());
    assertArrayEquals(new long[] {3}, model.outputShape());
  }

  @Test
  void buildConfigSuppliesMissingInputShape() {
    String json =
        """
        {"class_name": "Sequential", "config": {"name": "k3", "layers": [
          {"class_name": "Flatten", "config": {"name": "flatten"}},
          {"class_name": "Dense", "config": {"name": "dense", "units": 3}}]},
         "build_config": {"input_shape": [null, 2, 3]}}
        """;

    Sequential model = KerasConfig.rebuild(KerasJson.parseObject(json, "k3.json"), "k3.json");

    assertArrayEquals(new long[] {2, 3}, model.inputShape());
    assertArrayEquals(new long[] {3}, model.outputShape());
  }

  @Test
  void functionalModelIsRejected() {
    String json = "{\"class_name\": \"Functional\", \"config\": {\"layers\": []}}";

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> KerasConfig.rebuild(KerasJson.parseObject(json, "f.json"), "f.json"));

    assertEquals(
        "f.json: the model is a Functional; only Sequential models can be rebuilt for training",
        e.getMessage());
  }

  @Test
  void jsonThatIsNotAnObjectIsRejected() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> KerasJson.parseObject("[1, 2]", "a.json"));

    assertEquals("a.json must hold a JSON object; found ArrayList", e.getMessage());
  }
}
