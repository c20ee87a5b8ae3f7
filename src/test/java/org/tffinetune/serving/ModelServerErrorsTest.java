package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that each kind of bad request gets its own status and a JSON error message, and that the
 * server keeps serving afterwards.
 */
class ModelServerErrorsTest {
  /** Request limit for this test: larger than one example (about 5 KiB), smaller than 100. */
  private static final long MAX_REQUEST_BYTES = 64 * 1024;

  private static final String PREDICT = "/v1/models/mnist:predict";

  @TempDir static Path tempDir;
  private static ModelServer server;
  private static ServingClient client;

  @BeforeAll
  static void startServer() throws Exception {
    Path modelDir = tempDir.resolve("linear");
    TestModels.exportLinear(modelDir, 31);
    server =
        ModelServer.builder()
            .model("mnist", modelDir)
            .port(0)
            .maxRequestBytes(MAX_REQUEST_BYTES)
            .start();
    client = new ServingClient(server.baseUri());
  }

  @AfterAll
  static void stopServer() throws Exception {
    HttpResponse<String> after =
        client.post(PREDICT, ServingClient.instancesBody(new float[1][784]));
    assertEquals(200, after.statusCode(), "server still predicts after the bad requests");
    server.close();
  }

  /** Asserts the status and that the JSON error message contains {@code fragment}. */
  private static void assertError(HttpResponse<String> response, int status, String fragment)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    String error = ServingClient.parse(response).get("error").asText();
    assertTrue(error.contains(fragment), "error \"" + error + "\" lacks \"" + fragment + "\"");
  }

  private static String oneExampleWith(String value) {
    String body = ServingClient.instancesBody(new float[1][784]);
    return body.replaceFirst("0\\.0", value);
  }

  @Test
  void malformedJsonReturns400() throws Exception {
    assertError(client.post(PREDICT, "{\"instances\" [[[0.1"), 400, "malformed JSON");
  }

  @Test
  void bodyNotObjectReturns400() throws Exception {
    assertError(client.post(PREDICT, "[1, 2]"), 400, "must be a JSON object");
  }

  @Test
  void trailingContentReturns400() throws Exception {
    String body = ServingClient.instancesBody(new float[1][784]) + " {}";
    assertError(client.post(PREDICT, body), 400, "unexpected content after");
  }

  @Test
  void duplicateFieldReturns400() throws Exception {
    String body = "{\"signature_name\": \"a\", \"signature_name\": \"b\"}";
    assertError(client.post(PREDICT, body), 400, "Duplicate field 'signature_name'");
  }

  @Test
  void flatExampleReturns400() throws Exception {
    StringBuilder flat = new StringBuilder("{\"instances\": [[");
    for (int i = 0; i < 784; i++) {
      flat.append(i == 0 ? "0" : ",0");
    }
    flat.append("]]}");
    assertError(
        client.post(PREDICT, flat.toString()),
        400,
        "invalid shape at instances[0][0]: expected a list of 28 elements (shape [28, 1]),"
            + " found number 0; each example must have shape [28, 28, 1]");
  }

  @Test
  void shortRowReturns400() throws Exception {
    String body = ServingClient.instancesBody(new float[1][784]).replaceFirst("\\[0\\.0\\],", "");
    assertError(
        client.post(PREDICT, body),
        400,
        "invalid shape at instances[0][0]: expected 28 elements," + " found 27");
  }

  @Test
  void extraChannelReturns400() throws Exception {
    assertError(
        client.post(PREDICT, oneExampleWith("0.0, 0.5")),
        400,
        "invalid shape at instances[0][0][0]: expected 1 elements, found more");
  }

  @Test
  void columnarWrongShapeReturns400() throws Exception {
    assertError(
        client.post(PREDICT, "{\"inputs\": [[]]}"),
        400,
        "invalid shape at inputs[0]: expected 28 elements, found 0");
  }

  @Test
  void stringValueReturns400() throws Exception {
    assertError(
        client.post(PREDICT, oneExampleWith("\"0.5\"")),
        400,
        "invalid value at instances[0][0][0][0]: expected a float32 number, found string \"0.5\"");
  }

  @Test
  void booleanValueReturns400() throws Exception {
    assertError(
        client.post(PREDICT, oneExampleWith("true")),
        400,
        "expected a float32 number, found boolean true");
  }

  @Test
  void nullValueReturns400() throws Exception {
    assertError(
        client.post(PREDICT, oneExampleWith("null")), 400, "expected a float32 number, found null");
  }

  @Test
  void nanValueReturns400() throws Exception {
    assertError(
        client.post(PREDICT, oneExampleWith("NaN")),
        400,
        "invalid value at instances[0][0][0][0]: expected a finite float32 number, found NaN");
  }

  @Test
  void infinityValueReturns400() throws Exception {
    assertError(
        client.post(PREDICT, oneExampleWith("-Infinity")),
        400,
        "expected a finite float32 number, found -Infinity");
  }

  @Test
  void valueBeyondFloatRangeReturns400() throws Exception {
    assertError(
        client.post(PREDICT, oneExampleWith("1e39")),
        400,
        "expected a finite float32 number, found 1e39");
  }

  @Test
  void emptyInstancesReturns400() throws Exception {
    assertError(client.post(PREDICT, "{\"instances\": []}"), 400, "\"instances\" is empty");
  }

  @Test
  void missingInstancesReturns400() throws Exception {
    assertError(
        client.post(PREDICT, "{\"signature_name\": \"serving_default\"}"), 400, "found neither");
  }

  @Test
  void instancesAndInputsReturns400() throws Exception {
    String body =
        "{\"instances\": " + ServingClient.nestedImages(new float[1][784]) + ", \"inputs\": []}";
    assertError(client.post(PREDICT, body), 400, "either \"instances\" or \"inputs\", not both");
  }

  @Test
  void unknownFieldReturns400() throws Exception {
    assertError(client.post(PREDICT, "{\"instance\": []}"), 400, "unknown field \"instance\"");
  }

  @Test
  void unknownSignatureReturns400() throws Exception {
    String body =
        "{\"signature_name\": \"classify\", \"instances\": "
            + ServingClient.nestedImages(new float[1][784])
            + "}";
    assertError(client.post(PREDICT, body), 400, "signature_name \"classify\" not found");
  }

  @Test
  void unknownInputNameReturns400() throws Exception {
    assertError(
        client.post(PREDICT, "{\"inputs\": {\"image\": []}}"), 400, "unknown input \"image\"");
  }

  @Test
  void unknownModelReturns404() throws Exception {
    assertError(
        client.post("/v1/models/nope:predict", ServingClient.instancesBody(new float[1][784])),
        404,
        "Servable not found for request: Latest(nope)");
    assertError(client.get("/v1/models/nope"), 404, "Latest(nope)");
    assertError(client.get("/v1/models/nope/metadata"), 404, "Latest(nope)");
  }

  @Test
  void encodedDotSegmentsReturn400() throws Exception {
    assertError(client.get("/v1/models/..%2F..%2Fetc"), 400, "Ambiguous URI path separator");
    assertError(client.get("/v1/models/%2e%2e/metadata"), 400, "Ambiguous URI path segment");
  }

  @Test
  void modelNameLikeFolderReturns404() throws Exception {
    String folder = tempDir.resolve("linear").toString();
    assertError(client.get("/v1/models/" + folder.substring(1)), 404, "no endpoint");
    assertError(client.get("/v1/models/linear"), 404, "Latest(linear)");
  }

  @Test
  void unknownVersionReturns404() throws Exception {
    assertError(
        client.post(
            "/v1/models/mnist/versions/2:predict", ServingClient.instancesBody(new float[1][784])),
        404,
        "Specific(mnist, 2)");
    assertError(client.get("/v1/models/mnist/versions/7"), 404, "Specific(mnist, 7)");
    assertError(client.get("/v1/models/mnist/versions/x1"), 404, "invalid model version");
  }

  @Test
  void unknownPathReturns404() throws Exception {
    assertError(client.get("/v2/models/mnist"), 404, "no endpoint at /v2/models/mnist");
    assertError(client.get("/v1/models/mnist/labels/stable"), 404, "no endpoint");
    assertError(
        client.post("/v1/models/mnist:classify", "{}"), 404, "unsupported API \":classify\"");
  }

  @Test
  void bodyAboveLimitReturns413() throws Exception {
    String body = ServingClient.instancesBody(new float[20][784]);
    assertTrue(body.length() > MAX_REQUEST_BYTES, "body length " + body.length());
    assertError(client.post(PREDICT, body), 413, "request body too large: limit is 65536 bytes");
  }

  @Test
  void chunkedBodyAboveLimitReturns413() throws Exception {
    byte[] body = ServingClient.instancesBody(new float[20][784]).getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.baseUri().resolve(PREDICT))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    assertError(client.send(request), 413, "request body too large");
  }

  @Test
  void wrongMethodReturns405() throws Exception {
    HttpResponse<String> getPredict = client.get(PREDICT);
    assertError(getPredict, 405, "method GET not allowed");
    assertEquals("POST", getPredict.headers().firstValue("Allow").orElse(""));

    HttpResponse<String> postStatus = client.post("/v1/models/mnist", "{}");
    assertError(postStatus, 405, "method POST not allowed");
    assertEquals("GET", postStatus.headers().firstValue("Allow").orElse(""));

    HttpResponse<String> deleteMetrics =
        client.send(HttpRequest.newBuilder(server.baseUri().resolve("/metrics")).DELETE());
    assertError(deleteMetrics, 405, "method DELETE not allowed on /metrics");
  }
}
