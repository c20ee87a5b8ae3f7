package org.tffinetune.keras;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tffinetune.InvalidInputException;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.ModelConfig;

/**
 * Rebuilds a {@link Sequential} from a Keras model config as Keras 2 and Keras 3 write it, filling
 * in the input shape from the model's build config when the layer list does not declare one.
 */
final class KerasConfig {
  private KerasConfig() {}

  /**
   * Rebuilds the model with fresh weights.
   *
   * @param kerasModel {@code {"class_name": "Sequential", "config": {"layers": [...]}, ...}}
   * @param source the file, named in error messages
   * @throws InvalidInputException when the model is not a Sequential, declares no input shape or
   *     contains an unsupported layer
   */
  @SuppressWarnings("unchecked")
  static Sequential rebuild(Map<String, Object> kerasModel, String source) {
    Map<String, Object> model = new LinkedHashMap<>(kerasModel);
    if (model.get("config") instanceof Map<?, ?> config
        && config.get("layers") instanceof List<?> layers
        && !declaresInput(layers)) {
      long[] shape = buildInputShape(kerasModel, (Map<String, Object>) config);
      if (shape != null) {
        Map<String, Object> withInput = new LinkedHashMap<>((Map<String, Object>) config);
        List<Object> entries = new ArrayList<>();
        entries.add(inputLayerEntry(shape));
        entries.addAll(layers);
        withInput.put("layers", entries);
        model.put("config", withInput);
      }
    }
    return ModelConfig.fromKerasConfig(model, source);
  }

  /** Returns the layer entries of a Sequential config, or an empty list when there are none. */
  static List<Map<?, ?>> layerEntries(Map<String, Object> kerasModel) {
    List<Map<?, ?>> entries = new ArrayList<>();
    if (kerasModel.get("config") instanceof Map<?, ?> config
        && config.get("layers") instanceof List<?> layers) {
      for (Object layer : layers) {
        if (layer instanceof Map<?, ?> entry) {
          entries.add(entry);
        }
      }
    }
    return entries;
  }

  private static boolean declaresInput(List<?> layers) {
    if (layers.isEmpty() || !(layers.get(0) instanceof Map<?, ?> first)) {
      return true;
    }
    if ("InputLayer".equals(first.get("class_name"))) {
      return true;
    }
    return first.get("config") instanceof Map<?, ?> c
        && (c.containsKey("batch_input_shape") || c.containsKey("batch_shape"));
  }

  /**
   * Returns the example shape from Keras 3's {@code build_config.input_shape} or the config's
   * {@code build_input_shape}, or null when neither is a fully known shape.
   */
  private static long[] buildInputShape(Map<String, Object> model, Map<String, Object> config) {
    Object shape = config.get("build_input_shape");
    if (shape == null && model.get("build_config") instanceof Map<?, ?> build) {
      shape = build.get("input_shape");
    }
    if (!(shape instanceof List<?> dims) || dims.size() < 2) {
      return null;
    }
    long[] result = new long[dims.size() - 1];
    for (int i = 1; i < dims.size(); i++) {
      if (!(dims.get(i) instanceof Number n)) {
        return null;
      }
      result[i - 1] = n.longValue();
    }
    return result;
  }

  private static Map<String, Object> inputLayerEntry(long[] shape) {
    List<Object> batchShape = new ArrayList<>();
    batchShape.add(null);
    for (long d : shape) {
      batchShape.add(d);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("batch_shape", batchShape);
    config.put("name", "input_layer");
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("class_name", "InputLayer");
    entry.put("config", config);
    return entry;
  }
}
