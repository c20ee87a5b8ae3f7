package org.tffinetune.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tffinetune.InvalidInputException;

/** Parses the JSON documents that Keras writes and normalizes Keras 2's tuple encoding. */
final class KerasJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KerasJson() {}

  /**
   * Parses a JSON object and replaces every {@code {"class_name": "__tuple__", "items": [...]}}
   * with its item list, because Keras 2 writes Python tuples such as {@code kernel_size} that way
   * in {@code keras_metadata.pb}.
   *
   * @param source the file, named in error messages
   * @throws InvalidInputException when the text is not a JSON object
   */
  static Map<String, Object> parseObject(String json, String source) {
    try {
      return checkObject(JSON.readValue(json, Object.class), source);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          source + " is not valid JSON (corrupt or truncated): " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a UTF-8 JSON object as {@link #parseObject(String, String)} does. */
  static Map<String, Object> parseObject(byte[] json, String source) {
    try {
      return checkObject(JSON.readValue(json, Object.class), source);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          source + " is not valid JSON (corrupt or truncated): " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> checkObject(Object value, String source) {
    if (!(value instanceof Map<?, ?>)) {
      throw new InvalidInputException(
          source
              + " must hold a JSON object; found "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return (Map<String, Object>) untuple(value);
  }

  /**
   * Returns {@code value} with Keras 2 {@code __tuple__} objects replaced by lists, recursively.
   */
  static Object untuple(Object value) {
    if (value instanceof Map<?, ?> map) {
      if ("__tuple__".equals(map.get("class_name")) && map.get("items") instanceof List<?> items) {
        return untuple(items);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((key, item) -> result.put(String.valueOf(key), untuple(item)));
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>(list.size());
      list.forEach(item -> result.add(untuple(item)));
      return result;
    }
    return value;
  }
}
