package org.tffinetune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.tffinetune.InvalidInputException;
import org.tffinetune.serving.ModelServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves SavedModels over TensorFlow Serving's REST API until the process is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve SavedModels over TensorFlow Serving's REST API: GET /v1/models/NAME, GET"
          + " /v1/models/NAME/metadata, POST /v1/models/NAME[/versions/N]:predict, and"
          + " Prometheus metrics at GET /metrics.",
      "A model folder with numbered version folders serves the highest complete version and"
          + " switches to a higher one when it appears. Ctrl-C or SIGTERM waits for requests in"
          + " flight, then exits."
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME=DIR",
      description =
          "Model to serve under NAME, from a SavedModel folder or a folder of numbered version"
              + " folders. Repeat for several models.")
  List<String> models;

  @Option(
      names = "--host",
      defaultValue = ModelServer.HOST_DEFAULT,
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + ModelServer.PORT_DEFAULT,
      description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--max-batch-size",
      defaultValue = "" + ModelServer.MAX_BATCH_SIZE_DEFAULT,
      description =
          "Maximum examples per model run after merging concurrent requests"
              + " (default: ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(
      names = "--batch-timeout-ms",
      defaultValue = "2",
      description =
          "Milliseconds a batch waits for more requests after its first one while another"
              + " batch is running; a batch on an idle model runs at once, and 0 never waits"
              + " (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMillis;

  @Option(
      names = "--batch-threads",
      defaultValue = "" + ModelServer.BATCH_THREADS_DEFAULT,
      description = "Threads per model that collect and run batches (default: ${DEFAULT-VALUE}).")
  int batchThreads;

  @Option(
      names = "--poll-interval-ms",
      defaultValue = "1000",
      description =
          "Milliseconds between scans of versioned model folders for new versions"
              + " (default: ${DEFAULT-VALUE}).")
  long pollIntervalMillis;

  @Option(
      names = "--max-request-bytes",
      defaultValue = "" + ModelServer.MAX_REQUEST_BYTES_DEFAULT,
      description =
          "Largest request body in bytes; larger ones get status 413 (default: ${DEFAULT-VALUE},"
              + " 16 MiB).")
  long maxRequestBytes;

  @Option(
      names = "--drain-timeout-ms",
      defaultValue = "30000",
      description =
          "Milliseconds that shutdown waits for requests in flight (default: ${DEFAULT-VALUE}).")
  long drainTimeoutMillis;

  @Override
  public Integer call() throws InterruptedException {
    ModelServer.Builder builder =
        ModelServer.builder()
            .host(host)
            .port(port)
            .maxBatchSize(maxBatchSize)
            .batchTimeout(Duration.ofMillis(batchTimeoutMillis))
            .batchThreads(batchThreads)
            .pollInterval(Duration.ofMillis(pollIntervalMillis))
            .maxRequestBytes(maxRequestBytes)
            .drainTimeout(Duration.ofMillis(drainTimeoutMillis));
    for (String model : models) {
      int equals = model.indexOf('=');
      if (equals <= 0 || equals == model.length() - 1) {
        throw new InvalidInputException("--model must be NAME=DIR, found \"" + model + "\"");
      }
      builder.model(model.substring(0, equals), Path.of(model.substring(equals + 1)));
    }
    ModelServer server;
    try {
      server = builder.start();
    } catch (IOException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
    // The hook runs on Ctrl-C and SIGTERM: close() drains requests in flight, then join returns.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "serving-shutdown"));
    server.join();
    return 0;
  }
}
