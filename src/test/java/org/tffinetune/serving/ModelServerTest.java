package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the REST API's successful responses against the in-process {@link Predictor}. */
class ModelServerTest {
  private static final float TOLERANCE = 1e-6f;

  @TempDir static Path tempDir;
  private static ModelServer server;
  private static Predictor predictor;
  private static ServingClient client;

  @BeforeAll
  static void startServer() throws Exception {
    Path modelDir = tempDir.resolve("linear");
    TestModels.exportLinear(modelDir, 21);
    predictor = Predictor.open(modelDir);
    server = ModelServer.builder().model("mnist", modelDir).port(0).start();
    client = new ServingClient(server.baseUri());
  }

  @AfterAll
  static void stopServer() {
    server.close();
    predictor.close();
  }

  private static void assertRowsEqual(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length, "number of rows");
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], actual[i], TOLERANCE, "row " + i);
    }
  }

  @Test
  void serverListensOnLoopback() {
    assertEquals("127.0.0.1", server.baseUri().getHost());
    assertTrue(server.port() > 0, "bound port " + server.port());
  }

  @Test
  void statusReportsAvailableVersion() throws Exception {
    HttpResponse<String> response = client.get("/v1/models/mnist");

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode expected =
        ServingClient.JSON.readTree(
            "{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\","
                + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}");
    assertEquals(expected, ServingClient.parse(response));
  }

  @Test
  void statusOfServedVersion() throws Exception {
    HttpResponse<String> response = client.get("/v1/models/mnist/versions/1");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("1", ServingClient.parse(response).at("/model_version_status/0/version").asText());
  }

  @Test
  void metadataDescribesSignature() throws Exception {
    HttpResponse<String> response = client.get("/v1/models/mnist/metadata");

    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = ServingClient.parse(response);
    assertEquals("mnist", body.at("/model_spec/name").asText());
    assertEquals("1", body.at("/model_spec/version").asText());
    JsonNode signature = body.at("/metadata/signature_def/signature_def/serving_default");
    JsonNode input = signature.at("/inputs/input");
    assertEquals("DT_FLOAT", input.get("dtype").asText());
    assertEquals("input:0", input.get("name").asText());
    assertEquals(
        List.of("-1", "28", "28", "1"), input.at("/tensor_shape/dim").findValuesAsText("size"));
    assertEquals(false, input.at("/tensor_shape/unknown_rank").asBoolean());
    JsonNode output = signature.at("/outputs/probabilities");
    assertEquals("DT_FLOAT", output.get("dtype").asText());
    assertEquals(List.of("-1", "5"), output.at("/tensor_shape/dim").findValuesAsText("size"));
  }

  @Test
  void predictRowFormatMatchesPredictor() throws Exception {
    float[][] images = TestModels.randomImages(22, 3);

    HttpResponse<String> response =
        client.post("/v1/models/mnist:predict", ServingClient.instancesBody(images));

    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = ServingClient.parse(response);
    assertRowsEqual(predictor.predict(images), ServingClient.rows(body.get("predictions")));
  }

  @Test
  void predictColumnarFormatMatchesPredictor() throws Exception {
    float[][] images = TestModels.randomImages(23, 2);
    String request = "{\"inputs\": " + ServingClient.nestedImages(images) + "}";

    HttpResponse<String> response = client.post("/v1/models/mnist:predict", request);

    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = ServingClient.parse(response);
    assertRowsEqual(predictor.predict(images), ServingClient.rows(body.get("outputs")));
  }

  @Test
  void predictColumnarNamedInput() throws Exception {
    float[][] images = TestModels.randomImages(24, 2);
    String request =
        "{\"signature_name\": \"serving_default\", \"inputs\": {\"input\": "
            + ServingClient.nestedImages(images)
            + "}}";

    HttpResponse<String> response = client.post("/v1/models/mnist:predict", request);

    assertEquals(200, response.statusCode(), response.body());
    assertRowsEqual(
        predictor.predict(images),
        ServingClient.rows(ServingClient.parse(response).get("outputs")));
  }

  @Test
  void predictRowFormatNamedInstances() throws Exception {
    float[][] images = TestModels.randomImages(25, 2);
    String nested = ServingClient.nestedImages(images);
    List<JsonNode> examples =
        List.of(
            ServingClient.JSON.readTree(nested).get(0), ServingClient.JSON.readTree(nested).get(1));
    String request =
        "{\"instances\": [{\"input\": "
            + examples.get(0)
            + "}, {\"input\": "
            + examples.get(1)
            + "}]}";

    HttpResponse<String> response = client.post("/v1/models/mnist:predict", request);

    assertEquals(200, response.statusCode(), response.body());
    assertRowsEqual(
        predictor.predict(images),
        ServingClient.rows(ServingClient.parse(response).get("predictions")));
  }

  @Test
  void predictSpecificVersion() throws Exception {
    float[][] images = TestModels.randomImages(26, 1);

    HttpResponse<String> response =
        client.post("/v1/models/mnist/versions/1:predict", ServingClient.instancesBody(images));

    assertEquals(200, response.statusCode(), response.body());
    assertRowsEqual(
        predictor.predict(images),
        ServingClient.rows(ServingClient.parse(response).get("predictions")));
  }

  @Test
  void predictAcceptsIntegerPixels() throws Exception {
    float[][] images = new float[1][784];
    images[0][5] = 1;
    String request = ServingClient.instancesBody(images).replace("1.0", "1").replace("0.0", "0");

    HttpResponse<String> response = client.post("/v1/models/mnist:predict", request);

    assertEquals(200, response.statusCode(), response.body());
    assertRowsEqual(
        predictor.predict(images),
        ServingClient.rows(ServingClient.parse(response).get("predictions")));
  }

  @Test
  void metricsCountRequestsAndLatency() throws Exception {
    client.post("/v1/models/mnist:predict", ServingClient.instancesBody(new float[1][784]));
    client.post("/v1/models/mnist:predict", "{");

    HttpResponse<String> response = client.get("/metrics");

    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        response.headers().toString());
    String text = response.body();
    assertTrue(
        text.contains("tffinetune_serving_requests_total{api=\"predict\",model=\"mnist\"}"), text);
    assertTrue(
        text.contains(
            "tffinetune_serving_request_errors_total"
                + "{api=\"predict\",code=\"400\",model=\"mnist\"}"),
        text);
    assertTrue(
        text.contains(
            "tffinetune_serving_request_duration_seconds_bucket{api=\"predict\","
                + "model=\"mnist\",le=\"+Inf\"}"),
        text);
    assertTrue(text.contains("tffinetune_serving_batch_size_count{model=\"mnist\"}"), text);
  }
}
