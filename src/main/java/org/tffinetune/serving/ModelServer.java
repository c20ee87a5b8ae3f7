package org.tffinetune.serving;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;

/**
 * An HTTP server that serves SavedModels through TensorFlow Serving's REST API, so that existing
 * TensorFlow Serving clients work unchanged. See {@link RestApiHandler} for the endpoints.
 *
 * <p>Concurrent predict requests to one model are merged into batches of at most {@code
 * maxBatchSize} examples. Model folders in TensorFlow Serving's versioned layout are polled, and a
 * new version replaces the old one without failing requests. {@link #close()} stops accepting
 * connections, waits for requests in flight, then unloads the models.
 *
 * <pre>{@code
 * try (ModelServer server =
 *     ModelServer.builder().model("mnist", Path.of("models/mnist")).port(8501).start()) {
 *   server.join();
 * }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelServer.class);

  /** Default listening address: loopback only, so that serving to a network is a choice. */
  public static final String HOST_DEFAULT = "127.0.0.1";

  /** Default port, the one TensorFlow Serving uses for its REST API. */
  public static final int PORT_DEFAULT = 8501;

  /** Default maximum number of examples in one model run. */
  public static final int MAX_BATCH_SIZE_DEFAULT = 32;

  /**
   * Default time a batch waits for more requests after its first one arrives, while another batch
   * is running. A batch on an idle model runs at once.
   */
  public static final Duration BATCH_TIMEOUT_DEFAULT = Duration.ofMillis(2);

  /** Default number of threads per model version that collect and run batches. */
  public static final int BATCH_THREADS_DEFAULT = 2;

  /** Default interval between scans of versioned model folders, as in TensorFlow Serving. */
  public static final Duration POLL_INTERVAL_DEFAULT = Duration.ofSeconds(1);

  /**
   * Default request body limit, 16 MiB. One 28 x 28 example written as JSON takes 2 to 12 KiB
   * depending on the digits per value, so the limit admits over a thousand examples per request
   * while bounding the memory a single request can take.
   */
  public static final long MAX_REQUEST_BYTES_DEFAULT = 16L << 20;

  /** Default time that {@link #close()} waits for requests in flight. */
  public static final Duration DRAIN_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final int MAX_HTTP_THREADS = 200;

  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler requestTracker;
  private final Map<String, ServedModel> models;
  private final ScheduledExecutorService poller;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ModelServer(
      Server server,
      ServerConnector connector,
      GracefulHandler requestTracker,
      Map<String, ServedModel> models,
      ScheduledExecutorService poller) {
    this.server = server;
    this.connector = connector;
    this.requestTracker = requestTracker;
    this.models = models;
    this.poller = poller;
  }

  /** Returns a builder with the defaults above and no models. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the port the server listens on; useful after binding to port 0. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Returns the server's base address, such as {@code http://127.0.0.1:8501}. */
  public URI baseUri() {
    String host = connector.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /** Returns the version each model serves now, by model name. */
  public Map<String, Long> servedVersions() {
    Map<String, Long> versions = new LinkedHashMap<>();
    models.forEach((name, model) -> versions.put(name, model.currentVersion()));
    return versions;
  }

  /** Returns the number of HTTP requests that the handlers are serving now. */
  long requestsInFlight() {
    return requestTracker.getCurrentRequestCount();
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /**
   * Stops accepting connections, waits up to the drain timeout for requests in flight, stops
   * polling for versions and unloads the models. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Stopping server at {}; draining requests in flight", baseUri());
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly", e);
    }
    poller.shutdownNow();
    try {
      if (!poller.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("Version poller still running 1 min after stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    models.values().forEach(ServedModel::close);
    LOG.info("Server stopped");
  }

  private void pollVersions() {
    for (ServedModel model : models.values()) {
      try {
        model.pollForNewVersion();
      } catch (RuntimeException e) {
        // A failed scan must not cancel the scheduled task, which would stop all polling.
        LOG.warn("Failed to poll model {} for new versions", model.name(), e);
      }
    }
  }

  /** Settings for a {@link ModelServer}; {@link #start()} loads the models and binds the port. */
  public static final class Builder {
    private final Map<String, Path> modelDirs = new LinkedHashMap<>();
    private String host = HOST_DEFAULT;
    private int port = PORT_DEFAULT;
    private int maxBatchSize = MAX_BATCH_SIZE_DEFAULT;
    private Duration batchTimeout = BATCH_TIMEOUT_DEFAULT;
    private int batchThreads = BATCH_THREADS_DEFAULT;
    private Duration pollInterval = POLL_INTERVAL_DEFAULT;
    private long maxRequestBytes = MAX_REQUEST_BYTES_DEFAULT;
    private Duration drainTimeout = DRAIN_TIMEOUT_DEFAULT;

    private Builder() {}

    /**
     * Adds a model served under {@code name} from {@code dir}: a SavedModel folder, served as
     * version 1, or a base folder with numbered version sub-folders.
     *
     * @param name letters, digits, '.', '_' and '-', starting with a letter or digit
     */
    public Builder model(String name, Path dir) {
      if (!MODEL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "invalid model name \""
                + name
                + "\": expected letters, digits, '.', '_' or '-',"
                + " starting with a letter or digit");
      }
      if (modelDirs.putIfAbsent(name, dir) != null) {
        throw new IllegalArgumentException("model name \"" + name + "\" given twice");
      }
      return this;
    }

    /** Sets the listening address; default {@value ModelServer#HOST_DEFAULT}. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Sets the port, 0 for any free port; default {@value ModelServer#PORT_DEFAULT}. */
    public Builder port(int port) {
      requireRange("port", port, 0, 65535);
      this.port = port;
      return this;
    }

    /** Sets the maximum examples per model run; default 32. */
    public Builder maxBatchSize(int maxBatchSize) {
      requireRange("maxBatchSize", maxBatchSize, 1, 1 << 20);
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Sets how long a batch waits for more requests while another batch is running; default 2 ms,
     * zero to never wait. A batch on an idle model runs at once.
     */
    public Builder batchTimeout(Duration batchTimeout) {
      requireNotNegative("batchTimeout", batchTimeout);
      this.batchTimeout = batchTimeout;
      return this;
    }

    /** Sets the number of batch threads per model version; default 2. */
    public Builder batchThreads(int batchThreads) {
      requireRange("batchThreads", batchThreads, 1, 64);
      this.batchThreads = batchThreads;
      return this;
    }

    /** Sets the interval between scans for new versions; default 1 s. */
    public Builder pollInterval(Duration pollInterval) {
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException(
            "pollInterval must be positive, found " + pollInterval.toMillis() + " ms");
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** Sets the request body limit in bytes; default 16 MiB. */
    public Builder maxRequestBytes(long maxRequestBytes) {
      if (maxRequestBytes < 1) {
        throw new IllegalArgumentException(
            "maxRequestBytes must be at least 1, found " + maxRequestBytes);
      }
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    /** Sets how long {@link ModelServer#close()} waits for requests in flight; default 30 s. */
    public Builder drainTimeout(Duration drainTimeout) {
      requireNotNegative("drainTimeout", drainTimeout);
      this.drainTimeout = drainTimeout;
      return this;
    }

    /**
     * Loads every model and starts listening. The caller closes the returned server.
     *
     * @throws InvalidInputException if no model was added or a model folder does not load
     * @throws IOException if the port cannot be bound
     */
    public ModelServer start() throws IOException {
      if (modelDirs.isEmpty()) {
        throw new InvalidInputException("no model to serve: add at least one model");
      }
      ServingMetrics metrics = new ServingMetrics();
      Map<String, ServedModel> models = loadModels(metrics);
      ScheduledExecutorService poller = null;
      try {
        poller =
            Executors.newSingleThreadScheduledExecutor(
                task -> {
                  Thread thread = new Thread(task, "model-version-poller");
                  thread.setDaemon(true);
                  return thread;
                });
        ModelServer modelServer = startHttp(models, metrics, poller);
        long intervalMillis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(
            modelServer::pollVersions, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.info(
            "Serving {} at {} (max batch size {}, batch timeout {} ms)",
            modelServer.servedVersions(),
            modelServer.baseUri(),
            maxBatchSize,
            batchTimeout.toMillis());
        return modelServer;
      } catch (IOException | RuntimeException e) {
        if (poller != null) {
          poller.shutdownNow();
        }
        models.values().forEach(ServedModel::close);
        throw e;
      }
    }

    private Map<String, ServedModel> loadModels(ServingMetrics metrics) {
      Map<String, ServedModel> models = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, Path> entry : modelDirs.entrySet()) {
          String name = entry.getKey();
          models.put(name, ServedModel.open(name, entry.getValue(), versionLoader(metrics)));
        }
      } catch (RuntimeException e) {
        models.values().forEach(ServedModel::close);
        throw e;
      }
      return models;
    }

    private ServedModel.VersionLoader versionLoader(ServingMetrics metrics) {
      return (name, version, dir) -> {
        Predictor predictor = Predictor.open(dir);
        BatchQueue queue =
            new BatchQueue(
                name + "-v" + version,
                predictor::predict,
                maxBatchSize,
                batchTimeout.toNanos(),
                batchThreads,
                examples -> metrics.recordBatch(name, examples));
        ModelSignature signature = predictor.signature();
        LOG.info(
            "Loaded model {} version {} from {}: input {} {}, output {} {}",
            name,
            version,
            dir,
            signature.input().key(),
            signature.input().shapeText(),
            signature.output().key(),
            signature.output().shapeText());
        return new ServedVersion(name, version, predictor, queue);
      };
    }

    private ModelServer startHttp(
        Map<String, ServedModel> models, ServingMetrics metrics, ScheduledExecutorService poller)
        throws IOException {
      QueuedThreadPool threads = new QueuedThreadPool(MAX_HTTP_THREADS);
      threads.setName("serving-http");
      Server server = new Server(threads);
      HttpConfiguration config = new HttpConfiguration();
      config.setSendServerVersion(false);
      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
      connector.setHost(host);
      connector.setPort(port);
      server.addConnector(connector);
      GracefulHandler graceful =
          new GracefulHandler(new RestApiHandler(models, metrics, maxRequestBytes));
      server.setHandler(graceful);
      server.setErrorHandler(new JsonErrorHandler());
      server.setStopTimeout(drainTimeout.toMillis());
      try {
        server.start();
      } catch (IOException e) {
        stopQuietly(server);
        throw new IOException(
            "failed to listen on " + host + ":" + port + ": " + e.getMessage(), e);
      } catch (Exception e) {
        stopQuietly(server);
        throw new IllegalStateException("failed to start HTTP server: " + e.getMessage(), e);
      }
      return new ModelServer(server, connector, graceful, models, poller);
    }

    private static void stopQuietly(Server server) {
      try {
        server.stop();
      } catch (Exception e) {
        LOG.debug("Stopping a server that failed to start also failed", e);
      }
    }

    private static void requireRange(String field, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            field + " must be between " + min + " and " + max + ", found " + value);
      }
    }

    private static void requireNotNegative(String field, Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException(
            field + " must be zero or more, found " + value.toMillis() + " ms");
      }
    }
  }
}
