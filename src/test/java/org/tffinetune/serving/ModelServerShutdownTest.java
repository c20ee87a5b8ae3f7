package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelServerShutdownTest {
  private static final int REQUESTS = 4;
  private static final int EXAMPLES_PER_REQUEST = 128;

  @Test
  void closeDrainsRequestsInFlight(@TempDir Path dir) throws Exception {
    // The convolutional network takes about 0.4 ms per example on two cores, so each request of
    // 128 examples keeps the server busy for tens of milliseconds.
    NotebookCnnExport.export(dir.resolve("cnn"), 1, 5);
    ModelServer server = ModelServer.builder().model("mnist", dir.resolve("cnn")).port(0).start();
    ServingClient client = new ServingClient(server.baseUri());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = ServingClient.instancesBody(new float[EXAMPLES_PER_REQUEST][784]);
    long[] completedNanos = new long[REQUESTS];
    List<CompletableFuture<Integer>> inFlight = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      int index = i;
      HttpRequest request =
          HttpRequest.newBuilder(server.baseUri().resolve("/v1/models/mnist:predict"))
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      inFlight.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .thenApply(
                  response -> {
                    completedNanos[index] = System.nanoTime();
                    return response.statusCode();
                  }));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (server.requestsInFlight() < REQUESTS) {
      assertTrue(System.nanoTime() < deadline, "requests never reached the handler");
      Thread.sleep(1);
    }

    long closeStarted = System.nanoTime();
    server.close();

    for (CompletableFuture<Integer> status : inFlight) {
      assertEquals(200, status.get(60, TimeUnit.SECONDS));
    }
    long lastCompleted = Arrays.stream(completedNanos).max().orElseThrow();
    assertTrue(lastCompleted > closeStarted, "no request was still in flight when close started");
    assertThrows(IOException.class, () -> client.get("/v1/models/mnist"));
  }
}
