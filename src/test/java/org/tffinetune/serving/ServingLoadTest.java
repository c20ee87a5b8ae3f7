package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sends concurrent predict requests from many client threads and checks every response. */
class ServingLoadTest {
  private static final int DISTINCT_IMAGES = 16;

  /**
   * Runs {@code clients} threads that each send {@code requestsEach} single-image requests and
   * check each response against the plain-Java model.
   */
  private static void runLoad(Path dir, int clients, int requestsEach) throws Exception {
    TestModels model = TestModels.exportLinear(dir.resolve("m"), 81);
    float[][] images = TestModels.randomImages(82, DISTINCT_IMAGES);
    List<String> bodies = new ArrayList<>();
    for (float[] image : images) {
      bodies.add(ServingClient.instancesBody(new float[][] {image}));
    }
    try (ModelServer server =
        ModelServer.builder().model("mnist", dir.resolve("m")).port(0).start()) {
      ServingClient client = new ServingClient(server.baseUri());
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int thread = 0; thread < clients; thread++) {
          int offset = thread;
          futures.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < requestsEach; i++) {
                      int index = (offset + i) % DISTINCT_IMAGES;
                      HttpResponse<String> response =
                          client.post("/v1/models/mnist:predict", bodies.get(index));
                      assertEquals(200, response.statusCode(), response.body());
                      float[][] rows =
                          ServingClient.rows(ServingClient.parse(response).get("predictions"));
                      assertArrayEquals(model.expected(images[index]), rows[0], 1e-5f);
                    }
                    return requestsEach;
                  }));
        }
        int answered = 0;
        for (Future<Integer> future : futures) {
          answered += future.get(10, TimeUnit.MINUTES);
        }
        assertEquals(clients * requestsEach, answered);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Takes about 20 s on two cores: 16,000 requests of one 28 x 28 image each. */
  @Test
  void thirtyTwoClientsFiveHundredRequestsEach(@TempDir Path dir) throws Exception {
    runLoad(dir, 32, 500);
  }

  @Test
  void concurrentRequestsShareBatches(@TempDir Path dir) throws Exception {
    TestModels.exportLinear(dir.resolve("m"), 83);
    try (ModelServer server =
        ModelServer.builder()
            .model("mnist", dir.resolve("m"))
            .port(0)
            .maxBatchSize(64)
            .batchTimeout(Duration.ofMillis(200))
            .start()) {
      ServingClient client = new ServingClient(server.baseUri());
      String body = ServingClient.instancesBody(new float[1][784]);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          futures.add(
              pool.submit(() -> client.post("/v1/models/mnist:predict", body).statusCode()));
        }
        for (Future<Integer> future : futures) {
          assertEquals(200, future.get(60, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }

      String metrics = client.get("/metrics").body();
      assertTrue(
          metrics.contains("tffinetune_serving_batch_size_sum{model=\"mnist\"} 16.0"), metrics);
      long batches = metricValue(metrics, "tffinetune_serving_batch_size_count{model=\"mnist\"}");
      assertTrue(batches < 16, "16 concurrent requests ran in " + batches + " batches");
    }
  }

  static long metricValue(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + series + " in metrics:\n" + metrics);
  }
}
