package org.tffinetune.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tffinetune.InvalidInputException;
import org.tffinetune.saving.AtomicFiles;

/** Reads and writes the experiment's JSON files with snake_case names, atomically. */
final class JsonFiles {
  /** Version of the files this code writes. Files of another version are rejected. */
  static final int FORMAT_VERSION = 1;

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JsonFiles() {}

  /** Writes {@code value} as JSON to {@code file} through a temporary file and a rename. */
  static void write(Path file, Object value) throws IOException {
    AtomicFiles.write(file, MAPPER.writeValueAsBytes(value));
  }

  /**
   * Reads a JSON file written by {@link #write} and checks its {@code format_version}.
   *
   * @throws InvalidInputException when the file is not valid JSON or has another format version
   */
  static <T> T read(Path file, Class<T> type) throws IOException {
    JsonNode tree = readTree(file);
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "cannot read "
              + file
              + ": "
              + e.getOriginalMessage()
              + "; delete the file to redo what it records",
          e);
    }
  }

  /** Reads a JSON file and checks its {@code format_version}. */
  static JsonNode readTree(Path file) throws IOException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "cannot read "
              + file
              + ": invalid JSON ("
              + e.getOriginalMessage()
              + "); delete the file to redo what it records",
          e);
    }
    JsonNode version = tree.get("format_version");
    if (version == null || !version.isInt() || version.asInt() != FORMAT_VERSION) {
      throw new InvalidInputException(
          file
              + " has format_version "
              + (version == null ? "(missing)" : version.toString())
              + " but this version of tf-finetune reads only version "
              + FORMAT_VERSION);
    }
    return tree;
  }
}
