package org.tffinetune.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.serving.PredictRequestParser.PredictRequest;
import org.tffinetune.serving.PredictRequestParser.RequestTooLargeException;

/**
 * Serves TensorFlow Serving's REST API and the Prometheus endpoint:
 *
 * <ul>
 *   <li>{@code GET /v1/models/NAME[/versions/N]}: version status;
 *   <li>{@code GET /v1/models/NAME[/versions/N]/metadata}: the signature definition;
 *   <li>{@code POST /v1/models/NAME[/versions/N]:predict}: predictions;
 *   <li>{@code GET /metrics}: Prometheus text format.
 * </ul>
 *
 * <p>Errors are JSON objects {@code {"error": "..."}} with status 400 for invalid requests, 404 for
 * unknown paths, models or versions, 405 for a wrong method, 413 for a body above the size limit
 * and 500 when the model run fails. Model names are only looked up in the map of served models.
 */
final class RestApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(RestApiHandler.class);
  private static final String MODELS_PREFIX = "/v1/models/";
  private static final String JSON_CONTENT_TYPE = "application/json";

  private final Map<String, ServedModel> models;
  private final ServingMetrics metrics;

  /** How many times the size limit a rejected body may be read and discarded. */
  private static final long DRAIN_LIMIT_FACTOR = 4;

  private final long maxRequestBytes;
  private final PredictRequestParser parser = new PredictRequestParser();
  private final ObjectMapper mapper = new ObjectMapper();

  /** A parsed {@code /v1/models/...} path. */
  private record Route(String model, Long version, String api) {}

  RestApiHandler(Map<String, ServedModel> models, ServingMetrics metrics, long maxRequestBytes) {
    this.models = Map.copyOf(models);
    this.metrics = metrics;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = Request.getPathInContext(request);
    if (path.equals("/metrics")) {
      handleMetrics(request, response, callback);
      return true;
    }
    Route route = null;
    ServedModel model = null;
    int status;
    try {
      route = parseRoute(path);
      model = models.get(route.model());
      if (model == null) {
        metrics.recordUnknownModel();
        throw new ApiException(404, "Servable not found for request: " + describe(route));
      }
      requireMethod(request, path, route.api().equals("predict") ? "POST" : "GET");
      Object body =
          switch (route.api()) {
            case "predict" -> predict(request, model, route);
            case "metadata" -> metadata(model, route);
            default -> status(model, route);
          };
      status = 200;
      writeJson(response, callback, status, body);
    } catch (ApiException e) {
      status = e.status();
      if (e.allowedMethod() != null) {
        response.getHeaders().put(HttpHeader.ALLOW, e.allowedMethod());
      }
      if (status >= 500) {
        LOG.error("Failed to serve {} {}: {}", request.getMethod(), path, e.getMessage(), e);
      } else {
        LOG.debug("Rejected {} {} with {}: {}", request.getMethod(), path, status, e.getMessage());
      }
      writeError(response, callback, status, e.getMessage());
    } catch (RuntimeException e) {
      status = 500;
      LOG.error("Failed to serve {} {}", request.getMethod(), path, e);
      writeError(response, callback, status, "internal error: " + e.getMessage());
    }
    if (model != null) {
      metrics.recordRequest(model.name(), route.api(), status, System.nanoTime() - start);
    }
    return true;
  }

  private static Route parseRoute(String path) {
    if (!path.startsWith(MODELS_PREFIX)) {
      throw new ApiException(
          404,
          "no endpoint at "
              + path
              + "; expected /v1/models/NAME[/versions/N][/metadata"
              + " or :predict] or /metrics");
    }

    // Split off a trailing ":verb", then read NAME, optional versions/N and optional metadata.
    String rest = path.substring(MODELS_PREFIX.length());
    String api = "status";
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf('/', colon) < 0) {
      String verb = rest.substring(colon + 1);
      if (!verb.equals("predict")) {
        throw new ApiException(
            404, "unsupported API \":" + verb + "\"; this server serves :predict only");
      }
      api = "predict";
      rest = rest.substring(0, colon);
    }

    String[] parts = rest.split("/", -1);
    int next = 1;
    Long version = null;
    if (parts.length >= 3 && parts[1].equals("versions")) {
      version = parseVersion(parts[2]);
      next = 3;
    }

    if (api.equals("status") && parts.length == next + 1 && parts[next].equals("metadata")) {
      api = "metadata";
      next++;
    }

    if (parts[0].isEmpty() || parts.length != next) {
      throw new ApiException(
          404,
          "no endpoint at "
              + path
              + "; expected /v1/models/NAME[/versions/N][/metadata"
              + " or :predict]");
    }
    return new Route(parts[0], version, api);
  }

  private static Long parseVersion(String text) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ApiException(404, "invalid model version \"" + text + "\"; expected digits");
    }
    return Long.parseLong(text);
  }

  private static void requireMethod(Request request, String path, String allowed) {
    if (!request.getMethod().equals(allowed)) {
      throw ApiException.methodNotAllowed(request.getMethod(), path, allowed);
    }
  }

  private static String describe(Route route) {
    return route.version() == null
        ? "Latest(" + route.model() + ")"
        : "Specific(" + route.model() + ", " + route.version() + ")";
  }

  private Object status(ServedModel model, Route route) {
    long version = servedVersion(model, route);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("error_code", "OK");
    status.put("error_message", "");
    Map<String, Object> versionStatus = new LinkedHashMap<>();
    versionStatus.put("version", Long.toString(version));
    versionStatus.put("state", "AVAILABLE");
    versionStatus.put("status", status);
    return Map.of("model_version_status", List.of(versionStatus));
  }

  private Object metadata(ServedModel model, Route route) {
    ServedVersion version = acquire(model, route);
    try {
      ModelSignature signature = version.predictor().signature();
      Map<String, Object> signatureDef = new LinkedHashMap<>();
      signatureDef.put("inputs", Map.of(signature.input().key(), tensorInfo(signature.input())));
      signatureDef.put("outputs", Map.of(signature.output().key(), tensorInfo(signature.output())));
      signatureDef.put("method_name", signature.methodName());
      Map<String, Object> modelSpec = new LinkedHashMap<>();
      modelSpec.put("name", model.name());
      modelSpec.put("signature_name", "");
      modelSpec.put("version", Long.toString(version.version()));
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("model_spec", modelSpec);
      response.put(
          "metadata",
          Map.of("signature_def", Map.of("signature_def", Map.of(signature.key(), signatureDef))));
      return response;
    } finally {
      version.release();
    }
  }

  private static Map<String, Object> tensorInfo(TensorSpec spec) {
    List<Map<String, String>> dims = new ArrayList<>();
    for (long size : spec.shape()) {
      dims.add(Map.of("size", Long.toString(size), "name", ""));
    }
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("dim", dims);
    shape.put("unknown_rank", spec.shape().isEmpty());
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("dtype", spec.dtype());
    info.put("tensor_shape", shape);
    info.put("name", spec.tensorName());
    return info;
  }

  private Object predict(Request request, ServedModel model, Route route) {
    long declaredLength = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (declaredLength > maxRequestBytes) {
      // A body within the drain budget is read so that the client receives the 413. A larger
      // declared length gets the response at once, and the connection closes after it.
      if (declaredLength <= maxRequestBytes * DRAIN_LIMIT_FACTOR) {
        try (InputStream body = Content.Source.asInputStream(request)) {
          drain(body);
        } catch (IOException e) {
          LOG.debug("Failed to drain an oversized request body", e);
        }
      }
      throw tooLarge(declaredLength);
    }
    ServedVersion version = acquire(model, route);
    try {
      PredictRequest parsed = readBody(request, version.predictor().signature());
      float[][] output = version.batchQueue().submit(parsed.values(), parsed.count()).get();
      return Map.of(parsed.columnar() ? "outputs" : "predictions", output);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException) {
        throw new ApiException(400, "invalid input: " + cause.getMessage(), cause);
      }
      throw new ApiException(500, "prediction failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "server is shutting down");
    } finally {
      version.release();
    }
  }

  private PredictRequest readBody(Request request, ModelSignature signature) {
    InputStream raw = Content.Source.asInputStream(request);
    try (InputStream body = new LimitedInputStream(raw)) {
      return parser.parse(body, signature);
    } catch (RequestTooLargeException e) {
      try {
        drain(raw);
      } catch (IOException drainFailure) {
        LOG.debug("Failed to drain an oversized request body", drainFailure);
      }
      throw tooLarge(-1);
    } catch (IOException e) {
      throw ApiException.badRequest("failed to read request body: " + e.getMessage());
    }
  }

  /**
   * Reads and discards the rest of a rejected body, up to {@link #DRAIN_LIMIT_FACTOR} times the
   * limit. Closing a connection with unread bytes makes the kernel reset it, which can destroy the
   * 413 response before the client reads it. Past the cap the connection is closed anyway.
   */
  private void drain(InputStream body) throws IOException {
    long budget = maxRequestBytes * DRAIN_LIMIT_FACTOR;
    byte[] buffer = new byte[64 * 1024];
    int read;
    while (budget > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, budget))) > 0) {
      budget -= read;
    }
  }

  private ApiException tooLarge(long declaredLength) {
    String found = declaredLength >= 0 ? declaredLength + " bytes" : "more";
    return new ApiException(
        413,
        "request body too large: limit is "
            + maxRequestBytes
            + " bytes, found "
            + found
            + "; send fewer examples per request");
  }

  private ServedVersion acquire(ServedModel model, Route route) {
    ServedVersion version = model.acquire(route.version());
    if (version == null) {
      throw new ApiException(
          404,
          "Servable not found for request: "
              + describe(route)
              + "; serving version "
              + model.currentVersion());
    }
    return version;
  }

  private static long servedVersion(ServedModel model, Route route) {
    long current = model.currentVersion();
    if (current < 0 || (route.version() != null && route.version() != current)) {
      throw new ApiException(
          404,
          "Servable not found for request: " + describe(route) + "; serving version " + current);
    }
    return current;
  }

  private void handleMetrics(Request request, Response response, Callback callback) {
    if (!request.getMethod().equals("GET")) {
      ApiException e = ApiException.methodNotAllowed(request.getMethod(), "/metrics", "GET");
      response.getHeaders().put(HttpHeader.ALLOW, e.allowedMethod());
      writeError(response, callback, e.status(), e.getMessage());
      return;
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      metrics.write(out);
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, metrics.contentType());
      response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
    } catch (IOException e) {
      LOG.error("Failed to write metrics", e);
      writeError(response, callback, 500, "failed to write metrics: " + e.getMessage());
    }
  }

  private void writeJson(Response response, Callback callback, int status, Object body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("failed to encode response as JSON", e);
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  private void writeError(Response response, Callback callback, int status, String message) {
    writeJson(response, callback, status, Map.of("error", message));
  }

  /** Fails reads once more than {@code maxRequestBytes} bytes have come through. */
  private final class LimitedInputStream extends FilterInputStream {
    private long remaining = maxRequestBytes;

    LimitedInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int value = super.read();
      if (value >= 0) {
        count(1);
      }
      return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        count(read);
      }
      return read;
    }

    private void count(int bytes) throws RequestTooLargeException {
      remaining -= bytes;
      if (remaining < 0) {
        throw new RequestTooLargeException("request body larger than " + maxRequestBytes);
      }
    }
  }
}
