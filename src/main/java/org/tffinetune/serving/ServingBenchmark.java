package org.tffinetune.serving;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures serving speed: in-process {@link Predictor} throughput at several batch sizes, then
 * requests per second and latency percentiles of a {@link ModelServer} on loopback at several
 * client counts. Each measurement follows a warm-up of the same work, and prints a Markdown table.
 *
 * <p>The HTTP clients run in the same JVM as the server and share its CPU cores, so server figures
 * are lower bounds for a server with cores of its own.
 */
public final class ServingBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(ServingBenchmark.class);
  private static final long SEED = 20240101L;
  private static final int CLASSES = 5;

  /**
   * Benchmark settings.
   *
   * @param model a SavedModel folder, or null to export the notebook-shaped network with random
   *     weights into a temporary folder
   * @param warmUp the time each measurement first runs unmeasured
   * @param measure the time each measurement runs
   * @param batchSizes the in-process batch sizes to measure
   * @param clientCounts the numbers of concurrent HTTP clients to measure
   * @param maxBatchSize the server's maximum batch size
   * @param batchTimeout the server's batch timeout
   */
  public record Options(
      Path model,
      Duration warmUp,
      Duration measure,
      List<Integer> batchSizes,
      List<Integer> clientCounts,
      int maxBatchSize,
      Duration batchTimeout) {}

  private record LoadResult(long requests, long errors, double seconds, long[] latenciesNanos) {}

  private ServingBenchmark() {}

  /** Runs every measurement and prints the tables to {@code out}. */
  public static void run(Options options, PrintWriter out)
      throws IOException, InterruptedException {
    Path tempDir = null;
    Path model = options.model();
    String modelDescription;
    if (model == null) {
      tempDir = Files.createTempDirectory("serving-benchmark");
      model = tempDir.resolve("notebook-cnn");
      NotebookCnnExport.export(model, SEED, CLASSES);
      modelDescription =
          "notebook-shaped CNN with random weights (Conv2D 32 3x3, Conv2D 32 3x3, MaxPool 2x2,"
              + " Dense 128, Dense "
              + CLASSES
              + ")";
    } else {
      modelDescription = model.toString();
    }
    try {
      out.printf("Model: %s%n", modelDescription);
      out.printf(
          "Java %s, %d available processors; warm-up %d s and measurement %d s per row%n%n",
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          options.warmUp().toSeconds(),
          options.measure().toSeconds());
      out.flush();
      measureInProcess(model, options, out);
      measureServer(model, options, out);
    } finally {
      if (tempDir != null) {
        deleteRecursively(tempDir);
      }
    }
  }

  private static void measureInProcess(Path model, Options options, PrintWriter out) {
    out.println("In-process Predictor, one calling thread:");
    out.println();
    out.println("| batch size | examples/s | ms per batch |");
    out.println("|---:|---:|---:|");
    out.flush();
    try (Predictor predictor = Predictor.open(model)) {
      for (int batchSize : options.batchSizes()) {
        float[] values = randomPixels(batchSize * predictor.featureCount());
        runFor(options.warmUp(), () -> predictor.predict(values, batchSize));
        long start = System.nanoTime();
        long calls = runFor(options.measure(), () -> predictor.predict(values, batchSize));
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(
            "| %d | %.0f | %.3f |%n",
            batchSize, calls * batchSize / seconds, seconds * 1e3 / calls);
        out.flush();
      }
    }
    out.println();
  }

  private static long runFor(Duration duration, Runnable call) {
    long deadline = System.nanoTime() + duration.toNanos();
    long calls = 0;
    do {
      call.run();
      calls++;
    } while (System.nanoTime() < deadline);
    return calls;
  }

  private static void measureServer(Path model, Options options, PrintWriter out)
      throws IOException, InterruptedException {
    out.printf(
        "REST server on loopback, one example per request (max batch size %d, batch timeout"
            + " %d ms):%n%n",
        options.maxBatchSize(), options.batchTimeout().toMillis());
    out.println("| clients | requests/s | p50 ms | p99 ms | errors |");
    out.println("|---:|---:|---:|---:|---:|");
    out.flush();
    try (ModelServer server =
        ModelServer.builder()
            .model("bench", model)
            .port(0)
            .maxBatchSize(options.maxBatchSize())
            .batchTimeout(options.batchTimeout())
            .start()) {
      URI predict = server.baseUri().resolve("/v1/models/bench:predict");
      String body = instancesBody(randomPixels(784));
      for (int clients : options.clientCounts()) {
        runClients(predict, body, clients, options.warmUp());
        LoadResult result = runClients(predict, body, clients, options.measure());
        long[] latencies = result.latenciesNanos();
        Arrays.sort(latencies);
        out.printf(
            "| %d | %.0f | %.2f | %.2f | %d |%n",
            clients,
            result.requests() / result.seconds(),
            percentile(latencies, 0.50) / 1e6,
            percentile(latencies, 0.99) / 1e6,
            result.errors());
        out.flush();
      }
    }
  }

  private static LoadResult runClients(URI predict, String body, int clients, Duration duration)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(predict)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      long[] errors = new long[clients];
      for (int i = 0; i < clients; i++) {
        int client = i;
        futures.add(pool.submit(() -> sendUntil(http, request, deadline, errors, client)));
      }
      List<long[]> latencies = new ArrayList<>();
      for (Future<long[]> future : futures) {
        latencies.add(future.get());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
      return new LoadResult(all.length, Arrays.stream(errors).sum(), seconds, all);
    } catch (ExecutionException e) {
      throw new IllegalStateException("benchmark client failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Sends requests until {@code deadline} and returns the latency of each, in nanoseconds. */
  private static long[] sendUntil(
      HttpClient http, HttpRequest request, long deadline, long[] errors, int client)
      throws IOException, InterruptedException {
    long[] latencies = new long[1024];
    int count = 0;
    while (System.nanoTime() < deadline) {
      long sent = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long latency = System.nanoTime() - sent;
      if (response.statusCode() != 200) {
        errors[client]++;
        if (errors[client] == 1) {
          LOG.warn("Benchmark request failed with {}: {}", response.statusCode(), response.body());
        }
      }
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = latency;
    }
    return Arrays.copyOf(latencies, count);
  }

  private static double percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Returns pixels k / 255 for random k, as a client that scales 8-bit images sends them. */
  private static float[] randomPixels(int count) {
    Random random = new Random(SEED);
    float[] pixels = new float[count];
    for (int i = 0; i < count; i++) {
      pixels[i] = random.nextInt(256) / 255f;
    }
    return pixels;
  }

  private static String instancesBody(float[] pixels) {
    StringBuilder json = new StringBuilder("{\"instances\": [[");
    for (int y = 0; y < 28; y++) {
      json.append(y == 0 ? "[" : ",[");
      for (int x = 0; x < 28; x++) {
        json.append(x == 0 ? "[" : ",[").append(pixels[y * 28 + x]).append(']');
      }
      json.append(']');
    }
    return json.append("]]}").toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
