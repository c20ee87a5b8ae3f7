package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link BatchQueue} with a runner that returns each example's single value as its output
 * row, and that can hold its first batch until the test releases it, to make the model busy.
 */
class BatchQueueTest {
  private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  /** A batch runner that records batch sizes and blocks its first call until released. */
  private static final class GatedRunner implements BatchQueue.BatchRunner {
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public float[][] run(float[] values, int count) {
      boolean first = firstStarted.getCount() == 1;
      firstStarted.countDown();
      if (first) {
        try {
          assertTrue(release.await(30, TimeUnit.SECONDS), "test never released the first batch");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      batchSizes.add(count);
      float[][] rows = new float[count][];
      for (int i = 0; i < count; i++) {
        rows[i] = new float[] {values[i]};
      }
      return rows;
    }
  }

  /** Returns {@code count} one-value examples numbered from {@code first}. */
  private static float[] examples(int first, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = first + i;
    }
    return values;
  }

  private static void assertRows(int first, int count, CompletableFuture<float[][]> result)
      throws Exception {
    float[][] rows = result.get(30, TimeUnit.SECONDS);
    assertEquals(count, rows.length, "rows");
    for (int i = 0; i < count; i++) {
      assertArrayEquals(new float[] {first + i}, rows[i], "row " + i);
    }
  }

  /** Submits one blocking request and waits until the runner holds it. */
  private static CompletableFuture<float[][]> occupyModel(BatchQueue queue, GatedRunner runner)
      throws InterruptedException {
    CompletableFuture<float[][]> blocker = queue.submit(examples(100, 1), 1);
    assertTrue(runner.firstStarted.await(30, TimeUnit.SECONDS), "first batch never started");
    return blocker;
  }

  @Test
  void mergesRequestsWhileModelIsBusy() throws Exception {
    GatedRunner runner = new GatedRunner();
    List<Integer> observed = new CopyOnWriteArrayList<>();
    try (BatchQueue queue = new BatchQueue("test", runner, 8, TIMEOUT_NANOS, 2, observed::add)) {
      CompletableFuture<float[][]> blocker = occupyModel(queue, runner);
      List<CompletableFuture<float[][]>> results = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        results.add(queue.submit(examples(10 * i, 2), 2));
      }
      for (int i = 0; i < 3; i++) {
        assertRows(10 * i, 2, results.get(i));
      }
      runner.release.countDown();
      assertRows(100, 1, blocker);
    }
    assertEquals(List.of(6, 1), runner.batchSizes);
    assertEquals(List.of(6, 1), observed, "sizes reported for metrics");
  }

  @Test
  void splitsBatchesAtMaxBatchSize() throws Exception {
    GatedRunner runner = new GatedRunner();
    try (BatchQueue queue = new BatchQueue("test", runner, 4, TIMEOUT_NANOS, 2, n -> {})) {
      CompletableFuture<float[][]> blocker = occupyModel(queue, runner);
      List<CompletableFuture<float[][]>> results = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        results.add(queue.submit(examples(10 * i, 2), 2));
      }
      for (int i = 0; i < 3; i++) {
        assertRows(10 * i, 2, results.get(i));
      }
      runner.release.countDown();
      assertRows(100, 1, blocker);
    }
    assertEquals(List.of(4, 2, 1), runner.batchSizes);
  }

  @Test
  void runsAtOnceWhenModelIsIdle() throws Exception {
    GatedRunner runner = new GatedRunner();
    runner.release.countDown();
    long longTimeout = TimeUnit.SECONDS.toNanos(20);
    try (BatchQueue queue = new BatchQueue("test", runner, 8, longTimeout, 2, n -> {})) {
      long start = System.nanoTime();
      assertRows(0, 1, queue.submit(examples(0, 1), 1));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 5_000, "idle queue waited " + millis + " ms for more requests");
    }
  }

  @Test
  void runsOversizedRequestAlone() throws Exception {
    GatedRunner runner = new GatedRunner();
    runner.release.countDown();
    try (BatchQueue queue = new BatchQueue("test", runner, 4, TIMEOUT_NANOS, 1, n -> {})) {
      assertRows(0, 10, queue.submit(examples(0, 10), 10));
    }
    assertEquals(List.of(10), runner.batchSizes);
  }

  @Test
  void failedRunFailsEveryRequestInBatch() throws Exception {
    IllegalStateException failure = new IllegalStateException("model closed");
    GatedRunner gate = new GatedRunner();
    BatchQueue.BatchRunner runner =
        (values, count) -> {
          if (values[0] == 100) {
            return gate.run(values, count);
          }
          throw failure;
        };
    try (BatchQueue queue = new BatchQueue("test", runner, 8, TIMEOUT_NANOS, 2, n -> {})) {
      CompletableFuture<float[][]> blocker = occupyModel(queue, gate);
      CompletableFuture<float[][]> first = queue.submit(examples(0, 1), 1);
      CompletableFuture<float[][]> second = queue.submit(examples(1, 1), 1);
      for (CompletableFuture<float[][]> result : List.of(first, second)) {
        ExecutionException e =
            assertThrows(ExecutionException.class, () -> result.get(30, TimeUnit.SECONDS));
        assertSame(failure, e.getCause());
      }
      gate.release.countDown();
      assertRows(100, 1, blocker);
    }
  }

  @Test
  void closeRunsQueuedRequestsThenRejectsNewOnes() throws Exception {
    GatedRunner runner = new GatedRunner();
    BatchQueue queue = new BatchQueue("test", runner, 8, TIMEOUT_NANOS, 1, n -> {});
    CompletableFuture<float[][]> blocker = occupyModel(queue, runner);
    CompletableFuture<float[][]> queued = queue.submit(examples(0, 1), 1);
    runner.release.countDown();
    queue.close();

    assertTrue(queued.isDone(), "request queued before close completed");
    assertRows(0, 1, queued);
    assertRows(100, 1, blocker);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> queue.submit(examples(0, 1), 1));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
