package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes version 2 of a model into its folder while clients send requests, and checks that no
 * request fails and that responses come from both versions.
 */
class VersionSwitchTest {
  private static final int CLIENTS = 8;
  private static final int MAX_REQUESTS_EACH = 2_000;
  private static final long MAX_LOAD_MILLIS = 90_000;
  private static final int REQUESTS_BEFORE_SWITCH = 200;
  private static final int MIN_VERSION_2_RESPONSES = 200;

  @Test
  void switchUnderLoadLosesNoRequest(@TempDir Path base) throws Exception {
    TestModels version1 = TestModels.exportLinear(base.resolve("1"), 91);
    TestModels version2 = TestModels.linear(92);
    float[] image = TestModels.randomImages(93, 1)[0];
    float[] expected1 = version1.expected(image);
    float[] expected2 = version2.expected(image);
    String body = ServingClient.instancesBody(new float[][] {image});

    AtomicInteger responded = new AtomicInteger();
    AtomicInteger respondedByVersion2 = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    try (ModelServer server =
        ModelServer.builder()
            .model("mnist", base)
            .port(0)
            .pollInterval(Duration.ofMillis(50))
            .start()) {
      ServingClient client = new ServingClient(server.baseUri());
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<int[]>> futures = new ArrayList<>();
      long deadline = System.currentTimeMillis() + MAX_LOAD_MILLIS;
      try {
        for (int thread = 0; thread < CLIENTS; thread++) {
          futures.add(
              pool.submit(
                  () -> {
                    // counts[v - 1] is the number of responses from version v that this client
                    // received.
                    int[] counts = new int[2];
                    for (int i = 0; i < MAX_REQUESTS_EACH && !stop.get(); i++) {
                      HttpResponse<String> response = client.post("/v1/models/mnist:predict", body);
                      assertEquals(200, response.statusCode(), response.body());
                      float[] row =
                          ServingClient.rows(ServingClient.parse(response).get("predictions"))[0];
                      int version = matches(row, expected2) ? 2 : matches(row, expected1) ? 1 : 0;
                      assertTrue(version > 0, "response matches neither version");
                      assertTrue(
                          version == 2 || counts[1] == 0,
                          "client got version 1 after it had seen version 2");
                      counts[version - 1]++;
                      responded.incrementAndGet();
                      if (version == 2) {
                        respondedByVersion2.incrementAndGet();
                      }
                      if (System.currentTimeMillis() > deadline) {
                        break;
                      }
                    }
                    return counts;
                  }));
        }

        waitUntil(() -> responded.get() >= REQUESTS_BEFORE_SWITCH, deadline);
        writeVersionAtomically(base, 2, 92);
        waitUntil(() -> respondedByVersion2.get() >= MIN_VERSION_2_RESPONSES, deadline);
        stop.set(true);

        int[] totals = new int[2];
        for (Future<int[]> future : futures) {
          int[] counts = future.get(2, TimeUnit.MINUTES);
          totals[0] += counts[0];
          totals[1] += counts[1];
        }
        assertTrue(totals[0] >= REQUESTS_BEFORE_SWITCH, "responses from version 1: " + totals[0]);
        assertTrue(totals[1] >= MIN_VERSION_2_RESPONSES, "responses from version 2: " + totals[1]);
        assertEquals(Map.of("mnist", 2L), server.servedVersions());
      } finally {
        stop.set(true);
        pool.shutdownNow();
      }
    }
  }

  /** Exports a model into a hidden folder, then renames it to its version number in one step. */
  private static void writeVersionAtomically(Path base, long version, long seed) throws Exception {
    Path staging = base.resolve(".tmp-" + version);
    TestModels.exportLinear(staging, seed);
    Files.move(staging, base.resolve(Long.toString(version)), StandardCopyOption.ATOMIC_MOVE);
  }

  private static boolean matches(float[] actual, float[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(actual[i] - expected[i]) > 1e-5f) {
        return false;
      }
    }
    return true;
  }

  private static void waitUntil(BooleanSupplier condition, long deadlineMillis) throws Exception {
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadlineMillis, "load test ran out of time");
      Thread.sleep(10);
    }
  }
}
