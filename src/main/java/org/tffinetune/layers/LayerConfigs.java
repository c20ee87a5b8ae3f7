package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tffinetune.InvalidInputException;

/**
 * Creates layers from Keras layer configs ({@code {"class_name": ..., "config": {...}}}), as
 * written by Keras 2 and 3 in {@code model.to_json()}, {@code keras_metadata.pb} and {@code .keras}
 * archives, and by this project in its SavedModels.
 */
public final class LayerConfigs {
  /** The Keras layer classes that can be rebuilt. */
  public static final List<String> SUPPORTED =
      List.of(
          "InputLayer",
          "Conv2D",
          "Dense",
          "Activation",
          "MaxPooling2D",
          "AveragePooling2D",
          "Dropout",
          "Flatten",
          "Reshape",
          "BatchNormalization");

  private LayerConfigs() {}

  /**
   * Creates a layer from its Keras class name and config.
   *
   * @param source the file the config came from, named in error messages
   * @throws InvalidInputException for an unsupported class or setting, naming the layer, its type
   *     and the supported types or values
   */
  public static Layer fromConfig(String className, Map<String, Object> config, String source) {
    Object nameValue = config.get("name");
    if (nameValue != null && !(nameValue instanceof String)) {
      throw new InvalidInputException(
          source + ": a " + className + " layer has name " + nameValue + "; expected a string");
    }
    String name = (String) nameValue;
    try {
      Layer layer = create(className, config, name, source);
      Object trainable = config.get("trainable");
      if (trainable instanceof Boolean b) {
        layer.setTrainable(b);
      }
      return layer;
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new InvalidInputException(
          source
              + ": layer '"
              + name
              + "' ("
              + className
              + ") has an invalid config: "
              + e.getMessage(),
          e);
    }
  }

  private static Layer create(String className, Map<String, Object> c, String name, String source) {
    return switch (className) {
      case "InputLayer" -> new InputLayer(inputShape(c, name, source), name);
      case "Conv2D", "Convolution2D" -> conv2d(c, name, source);
      case "Dense" ->
          Dense.builder(intValue(c.get("units")))
              .activation(activation(c))
              .useBias(bool(c, "use_bias", true))
              .name(name)
              .build();
      case "Activation" ->
          new Activation(ActivationFunction.forKerasName((String) c.get("activation")), name);
      case "MaxPooling2D", "MaxPool2D" ->
          new MaxPooling2D(
              pair(c.get("pool_size"), 2), pairOrNull(c.get("strides")), padding(c), name);
      case "AveragePooling2D", "AvgPool2D" ->
          new AveragePooling2D(
              pair(c.get("pool_size"), 2), pairOrNull(c.get("strides")), padding(c), name);
      case "Dropout" -> new Dropout(number(c.get("rate")).doubleValue(), name);
      case "Flatten" -> {
        checkChannelsLast(c, name, className, source);
        yield new Flatten(name);
      }
      case "Reshape" -> new Reshape(longs(c.get("target_shape")), name);
      case "BatchNormalization" -> batchNormalization(c, name, source);
      default ->
          throw new InvalidInputException(
              source
                  + ": layer '"
                  + name
                  + "' has type "
                  + className
                  + ", which is not supported; supported types: "
                  + String.join(", ", SUPPORTED));
    };
  }

  /** Returns the example shape (batch dimension dropped) of an InputLayer config. */
  public static long[] inputShape(Map<String, Object> c, String name, String source) {
    Object shape = c.containsKey("batch_shape") ? c.get("batch_shape") : c.get("batch_input_shape");
    if (!(shape instanceof List<?> dims) || dims.size() < 2) {
      throw new InvalidInputException(
          source
              + ": InputLayer '"
              + name
              + "' needs 'batch_shape' or 'batch_input_shape' like [null, 28, 28, 1], found "
              + shape);
    }
    long[] result = new long[dims.size() - 1];
    for (int i = 1; i < dims.size(); i++) {
      if (!(dims.get(i) instanceof Number n)) {
        throw new InvalidInputException(
            source
                + ": InputLayer '"
                + name
                + "' has an unknown dimension in "
                + dims
                + "; only the batch dimension may be null");
      }
      result[i - 1] = n.longValue();
    }
    return result;
  }

  private static Conv2D conv2d(Map<String, Object> c, String name, String source) {
    checkChannelsLast(c, name, "Conv2D", source);
    int[] dilation = pairOrNull(c.get("dilation_rate"));
    if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
      throw new InvalidInputException(
          source
              + ": layer '"
              + name
              + "' (Conv2D) uses dilation_rate "
              + dilation[0]
              + "x"
              + dilation[1]
              + "; only 1x1 is supported");
    }
    Object groups = c.get("groups");
    if (groups instanceof Number g && g.intValue() != 1) {
      throw new InvalidInputException(
          source + ": layer '" + name + "' (Conv2D) uses groups=" + g + "; only 1 is supported");
    }
    int[] kernel = pair(c.get("kernel_size"), -1);
    int[] strides = pairOrNull(c.get("strides"));
    Conv2D.Builder b =
        Conv2D.builder(intValue(c.get("filters")), kernel[0], kernel[1])
            .padding(padding(c))
            .activation(activation(c))
            .useBias(bool(c, "use_bias", true))
            .name(name);
    if (strides != null) {
      b.strides(strides[0], strides[1]);
    }
    return b.build();
  }

  private static BatchNormalization batchNormalization(
      Map<String, Object> c, String name, String source) {
    Object axis = c.get("axis");
    if (axis instanceof List<?> list && list.size() == 1) {
      axis = list.get(0);
    }
    if (axis != null && !(axis instanceof Number)) {
      throw new InvalidInputException(
          source
              + ": layer '"
              + name
              + "' (BatchNormalization) has axis "
              + axis
              + "; expected one integer");
    }
    float momentum =
        c.containsKey("momentum")
            ? number(c.get("momentum")).floatValue()
            : BatchNormalization.MOMENTUM_DEFAULT;
    float epsilon =
        c.containsKey("epsilon")
            ? number(c.get("epsilon")).floatValue()
            : BatchNormalization.EPSILON_DEFAULT;
    BatchNormalization layer =
        new BatchNormalization(
            momentum, epsilon, bool(c, "center", true), bool(c, "scale", true), name);
    return axis == null ? layer : layer.withAxis(((Number) axis).intValue());
  }

  private static void checkChannelsLast(
      Map<String, Object> c, String name, String className, String source) {
    Object format = c.get("data_format");
    if (format != null && !"channels_last".equals(format)) {
      throw new InvalidInputException(
          source
              + ": layer '"
              + name
              + "' ("
              + className
              + ") uses data_format "
              + format
              + "; only channels_last (NHWC) is supported");
    }
  }

  private static ActivationFunction activation(Map<String, Object> c) {
    Object a = c.get("activation");
    if (a instanceof Map<?, ?> m) {
      // Keras 3 may serialize an activation as {"class_name": "function", "config": "relu"}.
      Object inner = m.get("config");
      a = inner instanceof String ? inner : m.get("class_name");
    }
    return ActivationFunction.forKerasName((String) a);
  }

  private static Padding padding(Map<String, Object> c) {
    Object p = c.get("padding");
    return p == null ? Padding.VALID : Padding.forKerasName((String) p);
  }

  private static boolean bool(Map<String, Object> c, String key, boolean fallback) {
    Object v = c.get(key);
    return v == null ? fallback : (Boolean) v;
  }

  private static Number number(Object v) {
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("expected a number, found " + v);
    }
    return n;
  }

  private static int intValue(Object v) {
    return number(v).intValue();
  }

  private static int[] pair(Object v, int fallback) {
    int[] p = pairOrNull(v);
    if (p == null) {
      if (fallback < 0) {
        throw new IllegalArgumentException("expected an integer or a pair of integers, found null");
      }
      return new int[] {fallback, fallback};
    }
    return p;
  }

  private static int[] pairOrNull(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return new int[] {n.intValue(), n.intValue()};
    }
    if (v instanceof List<?> list && list.size() == 2) {
      return new int[] {intValue(list.get(0)), intValue(list.get(1))};
    }
    throw new IllegalArgumentException("expected an integer or a pair of integers, found " + v);
  }

  private static long[] longs(Object v) {
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException("expected a list of integers, found " + v);
    }
    List<Long> out = new ArrayList<>();
    for (Object o : list) {
      out.add(number(o).longValue());
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
