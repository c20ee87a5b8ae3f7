package org.tffinetune.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A java.net.http client for the REST API with helpers to build and read its JSON bodies. */
final class ServingClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  private final URI base;

  ServingClient(URI base) {
    this.base = base;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode parse(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** Writes images of 784 pixels as nested [28][28][1] JSON lists, one per image. */
  static String nestedImages(float[][] images) {
    StringBuilder json = new StringBuilder("[");
    for (int n = 0; n < images.length; n++) {
      json.append(n == 0 ? "[" : ",[");
      for (int y = 0; y < TestModels.HEIGHT; y++) {
        json.append(y == 0 ? "[" : ",[");
        for (int x = 0; x < TestModels.WIDTH; x++) {
          json.append(x == 0 ? "[" : ",[").append(images[n][y * TestModels.WIDTH + x]).append(']');
        }
        json.append(']');
      }
      json.append(']');
    }
    return json.append(']').toString();
  }

  /** Returns the body {@code {"instances": [...]}} for the images. */
  static String instancesBody(float[][] images) {
    return "{\"instances\": " + nestedImages(images) + "}";
  }

  /** Reads a JSON list of lists of numbers into rows. */
  static float[][] rows(JsonNode node) {
    float[][] rows = new float[node.size()][];
    for (int i = 0; i < node.size(); i++) {
      JsonNode row = node.get(i);
      rows[i] = new float[row.size()];
      for (int j = 0; j < row.size(); j++) {
        rows[i][j] = (float) row.get(j).asDouble();
      }
    }
    return rows;
  }
}
