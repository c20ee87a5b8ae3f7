package org.tffinetune.saving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.InputLayer;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.LayerConfigs;
import org.tffinetune.models.Sequential;

/**
 * The architecture file that this project stores in each SavedModel's {@code assets/}: Keras's
 * Sequential config ({@code model.to_json()} layout) plus the format version, class names and
 * signature names, so that the trainable model can be rebuilt from the SavedModel alone.
 */
public final class ModelConfig {
  /** File name inside the SavedModel's {@code assets/} folder. */
  public static final String FILE_NAME = "tffinetune_model.json";

  /** Value of the {@code format} field. */
  public static final String FORMAT = "tf-finetune-model";

  /** The newest format version this code reads and the one it writes. */
  public static final int FORMAT_VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(ModelConfig.class);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelConfig() {}

  /** Returns the JSON document for {@code model}. */
  public static byte[] toJson(Sequential model, String inputName, String outputName) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("model", toKerasConfig(model));
    root.put("class_names", model.classNames());
    root.put("seed", model.seed());
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("key", "serving_default");
    signature.put("input", inputName);
    signature.put("output", outputName);
    root.put("signature", signature);
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the model config", e);
    }
  }

  /**
   * Returns the class names stored in a SavedModel written by tf-finetune, such as the digits 5-9
   * of a model trained on them, or null for other SavedModels and for an unreadable file.
   */
  public static List<String> readClassNames(Path modelDir) {
    Path file = modelDir.resolve("assets").resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      List<String> names = new ArrayList<>();
      JSON.readTree(file.toFile()).path("class_names").forEach(n -> names.add(n.asText()));
      return names.isEmpty() ? null : names;
    } catch (IOException e) {
      LOG.warn("Failed to read class names from {}: {}", file, e.getMessage());
      return null;
    }
  }

  /** Returns the Keras Sequential config: {@code {"class_name": "Sequential", "config": ...}}. */
  public static Map<String, Object> toKerasConfig(Sequential model) {
    List<Object> layers = new ArrayList<>();
    List<Layer> modelLayers = model.layers();
    if (modelLayers.isEmpty() || !(modelLayers.get(0) instanceof InputLayer)) {
      layers.add(layerEntry(new InputLayer(model.inputShape(), "input_layer")));
    }
    for (Layer layer : modelLayers) {
      layers.add(layerEntry(layer));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", model.name());
    config.put("layers", layers);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("class_name", "Sequential");
    root.put("config", config);
    return root;
  }

  private static Map<String, Object> layerEntry(Layer layer) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("class_name", layer.className());
    entry.put("config", layer.getConfig());
    return entry;
  }

  /**
   * Parses the JSON document into a model with fresh weights.
   *
   * @param source the file, named in error messages
   * @throws InvalidInputException when the document is not valid JSON, has another format, a newer
   *     version, or an invalid layer
   */
  @SuppressWarnings("unchecked")
  public static Sequential fromJson(byte[] json, String source) {
    Map<String, Object> root;
    try {
      root = JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidInputException(source + " cannot be read: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(root.get("format"))) {
      throw new InvalidInputException(
          source + ": field 'format' must be '" + FORMAT + "', found " + root.get("format"));
    }
    Object version = root.get("format_version");
    if (!(version instanceof Integer v) || v < 1 || v > FORMAT_VERSION) {
      throw new InvalidInputException(
          source
              + ": format_version "
              + version
              + " is not supported; this build reads versions 1 to "
              + FORMAT_VERSION
              + "; update tf-finetune to read it");
    }
    if (!(root.get("model") instanceof Map<?, ?> model)) {
      throw new InvalidInputException(source + ": field 'model' is missing or not an object");
    }
    Sequential result = fromKerasConfig((Map<String, Object>) model, source);
    if (root.get("class_names") instanceof List<?> names) {
      List<String> classNames = new ArrayList<>();
      names.forEach(n -> classNames.add(String.valueOf(n)));
      if (classNames.size() == result.numClasses()) {
        result.setClassNames(classNames);
      }
    }
    if (root.get("seed") instanceof Number seed) {
      result.setSeed(seed.longValue());
    }
    return result;
  }

  /**
   * Rebuilds a Sequential model from Keras's model config, with fresh weights. Accepts Keras 2
   * ({@code batch_input_shape} on the first layer) and Keras 3 ({@code InputLayer} with {@code
   * batch_shape}) layouts.
   */
  @SuppressWarnings("unchecked")
  public static Sequential fromKerasConfig(Map<String, Object> kerasModel, String source) {
    Object className = kerasModel.get("class_name");
    if (!"Sequential".equals(className)) {
      throw new InvalidInputException(
          source
              + ": the model is a "
              + className
              + "; only Sequential models can be rebuilt for training");
    }
    if (!(kerasModel.get("config") instanceof Map<?, ?> config)) {
      throw new InvalidInputException(source + ": the Sequential model has no 'config' object");
    }
    Object layersField = config.get("layers");
    if (!(layersField instanceof List<?> entries) || entries.isEmpty()) {
      throw new InvalidInputException(source + ": the Sequential config has no 'layers' list");
    }

    long[] inputShape = null;
    List<Layer> layers = new ArrayList<>();
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> e) || !(e.get("config") instanceof Map<?, ?> layerConfig)) {
        throw new InvalidInputException(source + ": a layer entry is not an object with 'config'");
      }
      String layerClass = String.valueOf(e.get("class_name"));
      Map<String, Object> c = (Map<String, Object>) layerConfig;
      String layerName = String.valueOf(c.get("name"));
      if (layerClass.equals("InputLayer")) {
        inputShape = LayerConfigs.inputShape(c, layerName, source);
        continue;
      }
      if (inputShape == null
          && (c.containsKey("batch_input_shape") || c.containsKey("batch_shape"))) {
        inputShape = LayerConfigs.inputShape(c, layerName, source);
      }
      layers.add(LayerConfigs.fromConfig(layerClass, c, source));
    }
    if (inputShape == null) {
      throw new InvalidInputException(
          source
              + ": the model config declares no input shape (no InputLayer and no"
              + " batch_input_shape on its first layer)");
    }

    String name = config.get("name") instanceof String s ? s : "sequential";
    Sequential model = new Sequential(name, inputShape);
    for (Layer layer : layers) {
      try {
        model.add(layer);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(source + ": " + e.getMessage(), e);
      }
    }
    return model;
  }
}
