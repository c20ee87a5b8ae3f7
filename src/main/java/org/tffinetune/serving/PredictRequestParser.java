package org.tffinetune.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Parses the body of a TensorFlow Serving predict request for a model with one float32 input.
 *
 * <p>Accepted forms, where each example is a nested list with the input's non-batch shape:
 *
 * <ul>
 *   <li>row format: {@code {"instances": [example, ...]}}, where an example may also be written as
 *       {@code {"INPUT_NAME": example}};
 *   <li>columnar format: {@code {"inputs": [example, ...]}} or {@code {"inputs": {"INPUT_NAME":
 *       [example, ...]}}}.
 * </ul>
 *
 * <p>An optional {@code signature_name} must name the served signature. Values must be finite JSON
 * numbers within the float32 range. TensorFlow Serving itself accepts {@code NaN} and {@code
 * Infinity}, but for image input they only mean a broken client, so they are rejected with a
 * message that names their position. Any other problem also raises an {@link ApiException} with
 * status 400 that names the field, the expected shape and what was found.
 */
final class PredictRequestParser {
  private static final int MAX_QUOTED_TEXT = 40;

  /** A parsed request: {@code count} examples stored one after another in {@code values}. */
  record PredictRequest(boolean columnar, float[] values, int count) {}

  private final JsonFactory jsonFactory =
      JsonFactory.builder()
          // Read NaN and Infinity as numbers so that the error can name their position.
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * Reads one request body.
   *
   * @throws ApiException with status 400 for malformed JSON or input that does not fit the
   *     signature
   * @throws IOException if reading the body fails, including {@link RequestTooLargeException}
   */
  PredictRequest parse(InputStream body, ModelSignature signature) throws IOException {
    long[] exampleShape =
        signature.input().shape().stream().skip(1).mapToLong(Long::longValue).toArray();
    try (JsonParser parser = jsonFactory.createParser(body)) {
      return new Reader(parser, signature, exampleShape).readRequest();
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON in request body: " + e.getOriginalMessage());
    }
  }

  /** Thrown by the body stream when the request is larger than the server accepts. */
  static final class RequestTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    RequestTooLargeException(String message) {
      super(message);
    }
  }

  /** The state of one parse: the parser, the expected shape and the values read so far. */
  private static final class Reader {
    private final JsonParser parser;
    private final ModelSignature signature;
    private final long[] exampleShape;
    private final int exampleSize;
    private final String inputName;
    // Indices of the list elements being read, for error messages: path[0] is the example.
    private final int[] path;
    private String rootField;
    private float[] values = new float[1024];
    private int valueCount;

    Reader(JsonParser parser, ModelSignature signature, long[] exampleShape) {
      this.parser = parser;
      this.signature = signature;
      this.exampleShape = exampleShape;
      this.exampleSize = (int) Arrays.stream(exampleShape).reduce(1, Math::multiplyExact);
      this.inputName = signature.input().key();
      this.path = new int[exampleShape.length + 1];
    }

    PredictRequest readRequest() throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.badRequest(
            "request body must be a JSON object with \"instances\" or \"inputs\"; found "
                + describeCurrent());
      }
      Boolean columnar = null;
      int count = 0;
      String signatureName = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "signature_name" -> signatureName = readSignatureName();
          case "instances", "inputs" -> {
            if (columnar != null) {
              throw ApiException.badRequest(
                  "request must have either \"instances\" or \"inputs\", not both");
            }
            columnar = field.equals("inputs");
            rootField = field;
            count = columnar ? readColumnar() : readInstances();
          }
          default ->
              throw ApiException.badRequest(
                  "unknown field \""
                      + quote(field)
                      + "\" in request; expected \"instances\","
                      + " \"inputs\" or \"signature_name\"");
        }
      }
      if (parser.nextToken() != null) {
        throw ApiException.badRequest("unexpected content after the request's JSON object");
      }
      if (columnar == null) {
        throw ApiException.badRequest(
            "request must have \"instances\" or \"inputs\"; found neither");
      }
      if (signatureName != null && !signatureName.equals(signature.key())) {
        throw ApiException.badRequest(
            "signature_name \""
                + quote(signatureName)
                + "\" not found; this model serves \""
                + signature.key()
                + "\"");
      }
      return new PredictRequest(columnar, Arrays.copyOf(values, valueCount), count);
    }

    private String readSignatureName() throws IOException {
      if (parser.currentToken() != JsonToken.VALUE_STRING) {
        throw ApiException.badRequest(
            "signature_name must be a string; found " + describeCurrent());
      }
      return parser.getText();
    }

    /** Reads {@code "instances": [example or {"input": example}, ...]}. */
    private int readInstances() throws IOException {
      requireBatchList("instances");
      int count = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        path[0] = count;
        if (parser.currentToken() == JsonToken.START_OBJECT) {
          readNamedInput(() -> readTensor(1));
        } else {
          readTensor(1);
        }
        count++;
      }
      return requireNotEmpty(count);
    }

    /** Reads {@code "inputs": [example, ...]} or {@code "inputs": {"input": [example, ...]}}. */
    private int readColumnar() throws IOException {
      int[] count = new int[1];
      if (parser.currentToken() == JsonToken.START_OBJECT) {
        readNamedInput(() -> count[0] = readBatch());
      } else {
        count[0] = readBatch();
      }
      return count[0];
    }

    private int readBatch() throws IOException {
      requireBatchList(rootField);
      int count = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        path[0] = count;
        readTensor(1);
        count++;
      }
      return requireNotEmpty(count);
    }

    private interface ValueReader {
      void read() throws IOException;
    }

    /** Reads an object whose only field is the input name, calling {@code reader} on its value. */
    private void readNamedInput(ValueReader reader) throws IOException {
      boolean found = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (!name.equals(inputName)) {
          throw ApiException.badRequest(
              "unknown input \""
                  + quote(name)
                  + "\" in "
                  + location(0)
                  + "; this model has one input, \""
                  + inputName
                  + "\"");
        }
        parser.nextToken();
        reader.read();
        found = true;
      }
      if (!found) {
        throw ApiException.badRequest(
            "missing input \"" + inputName + "\" in " + location(0) + "; found an empty object");
      }
    }

    private void requireBatchList(String field) throws IOException {
      if (parser.currentToken() != JsonToken.START_ARRAY) {
        throw ApiException.badRequest(
            "\""
                + field
                + "\" must be a list of examples of shape "
                + shapeText(0)
                + "; found "
                + describeCurrent());
      }
    }

    private int requireNotEmpty(int count) {
      if (count == 0) {
        throw ApiException.badRequest(
            "\""
                + rootField
                + "\" is empty; expected at least one example of shape "
                + shapeText(0));
      }
      return count;
    }

    /** Reads the nested lists from {@code depth} (1 is a whole example) down to the numbers. */
    private void readTensor(int depth) throws IOException {
      JsonToken token = parser.currentToken();
      if (depth > exampleShape.length) {
        readNumber(depth, token);
        return;
      }
      long expected = exampleShape[depth - 1];
      if (token != JsonToken.START_ARRAY) {
        throw ApiException.badRequest(
            "invalid shape at "
                + location(depth - 1)
                + ": expected a list of "
                + expected
                + " elements (shape "
                + shapeText(depth - 1)
                + "), found "
                + describeCurrent()
                + "; each example must have shape "
                + shapeText(0));
      }
      int size = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (size == expected) {
          throw wrongLength(depth, expected, "more");
        }
        path[depth] = size;
        readTensor(depth + 1);
        size++;
      }
      if (size != expected) {
        throw wrongLength(depth, expected, Integer.toString(size));
      }
    }

    private ApiException wrongLength(int depth, long expected, String found) {
      return ApiException.badRequest(
          "invalid shape at "
              + location(depth - 1)
              + ": expected "
              + expected
              + " elements, found "
              + found
              + "; each example must have shape "
              + shapeText(0));
    }

    private void readNumber(int depth, JsonToken token) throws IOException {
      if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
        throw ApiException.badRequest(
            "invalid value at "
                + location(depth - 1)
                + ": expected a float32 number, found "
                + describeCurrent());
      }
      float value = parser.getFloatValue();
      if (!Float.isFinite(value)) {
        throw ApiException.badRequest(
            "invalid value at "
                + location(depth - 1)
                + ": expected a finite float32 number,"
                + " found "
                + quote(parser.getText()));
      }
      if (valueCount == values.length) {
        values = Arrays.copyOf(values, Math.max(exampleSize, values.length * 2));
      }
      values[valueCount++] = value;
    }

    /** Formats the position of the element at {@code path[0..depth]}, like inputs[3][0][27]. */
    private String location(int depth) {
      StringBuilder text = new StringBuilder(rootField);
      for (int i = 0; i <= depth; i++) {
        text.append('[').append(path[i]).append(']');
      }
      return text.toString();
    }

    /** Formats the example shape from dimension {@code from} on, like [28, 28, 1]. */
    private String shapeText(int from) {
      return Arrays.toString(Arrays.copyOfRange(exampleShape, from, exampleShape.length));
    }

    private String describeCurrent() throws IOException {
      JsonToken token = parser.currentToken();
      if (token == null) {
        return "end of input";
      }
      return switch (token) {
        case START_ARRAY -> "a list";
        case START_OBJECT -> "an object";
        case VALUE_STRING -> "string \"" + quote(parser.getText()) + "\"";
        case VALUE_TRUE, VALUE_FALSE -> "boolean " + parser.getText();
        case VALUE_NULL -> "null";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + quote(parser.getText());
        default -> token.asString() == null ? token.name() : token.asString();
      };
    }

    private static String quote(String text) {
      return text.length() <= MAX_QUOTED_TEXT ? text : text.substring(0, MAX_QUOTED_TEXT) + "...";
    }
  }
}
