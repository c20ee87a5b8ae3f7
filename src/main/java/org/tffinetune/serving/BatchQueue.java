package org.tffinetune.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges concurrent prediction requests into batches for one model.
 *
 * <p>A worker takes the oldest request, then adds queued requests while the batch has at most
 * {@code maxBatchSize} examples. While another batch is running, it also waits for more requests,
 * until {@code batchTimeoutNanos} after the oldest request arrived or until the model becomes idle.
 * When no batch is running it runs at once, because waiting would only add latency while the model
 * sits idle. Under load, requests queue up while batches run, so batches still fill. A request with
 * more examples than {@code maxBatchSize} runs alone. One worker at a time collects a batch, so
 * with several workers the next batch fills while the previous one runs.
 */
final class BatchQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchQueue.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 60;

  /** Runs one batch: {@code count} examples stored one after another in {@code values}. */
  @FunctionalInterface
  interface BatchRunner {
    float[][] run(float[] values, int count);
  }

  private record Task(
      float[] values, int count, long enqueuedNanos, CompletableFuture<float[][]> result) {}

  private final String name;
  private final BatchRunner runner;
  private final int maxBatchSize;
  private final long batchTimeoutNanos;
  private final IntConsumer batchSizeObserver;
  private final List<Thread> workers = new ArrayList<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private int runningBatches;
  private boolean closed;

  // Held by the one worker that is collecting a batch; the others wait here.
  private final ReentrantLock collectLock = new ReentrantLock();

  /**
   * Starts {@code workerCount} daemon worker threads named after {@code name}.
   *
   * @param runner runs each batch, such as {@code predictor::predict}
   * @param batchSizeObserver receives the number of examples in each batch run, for metrics
   */
  BatchQueue(
      String name,
      BatchRunner runner,
      int maxBatchSize,
      long batchTimeoutNanos,
      int workerCount,
      IntConsumer batchSizeObserver) {
    this.name = name;
    this.runner = runner;
    this.maxBatchSize = maxBatchSize;
    this.batchTimeoutNanos = batchTimeoutNanos;
    this.batchSizeObserver = batchSizeObserver;
    for (int i = 0; i < workerCount; i++) {
      Thread worker = new Thread(this::work, name + "-batch-" + i);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  /**
   * Queues {@code count} examples stored one after another in {@code values}.
   *
   * @return a future with one row of model output per example; it fails with the runner's exception
   *     if the batch run fails
   * @throws IllegalStateException if the queue is closed
   */
  CompletableFuture<float[][]> submit(float[] values, int count) {
    Task task = new Task(values, count, System.nanoTime(), new CompletableFuture<>());
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("batch queue is closed");
      }
      queue.add(task);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    return task.result;
  }

  private void work() {
    while (true) {
      List<Task> batch;
      collectLock.lock();
      try {
        batch = collect();
      } finally {
        collectLock.unlock();
      }
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /** Returns the next batch, or null once the queue is closed and empty. */
  private List<Task> collect() {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (closed) {
          return null;
        }
        notEmpty.awaitUninterruptibly();
      }
      Task first = queue.poll();
      List<Task> batch = new ArrayList<>();
      batch.add(first);
      int examples = first.count;
      long deadline = first.enqueuedNanos + batchTimeoutNanos;
      while (examples < maxBatchSize) {
        Task next = queue.peek();
        if (next == null) {
          long remaining = deadline - System.nanoTime();
          if (runningBatches == 0 || remaining <= 0 || closed || !awaitMore(remaining)) {
            break;
          }
          continue;
        }
        if (examples + next.count > maxBatchSize) {
          break;
        }
        batch.add(queue.poll());
        examples += next.count;
      }
      runningBatches++;
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Waits for a new request or an idle model; returns false if the worker was interrupted. */
  private boolean awaitMore(long nanos) {
    try {
      notEmpty.awaitNanos(nanos);
      return true;
    } catch (InterruptedException e) {
      // Nothing interrupts workers on purpose; run what was collected and keep the flag.
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void run(List<Task> batch) {
    try {
      runBatch(batch);
    } finally {
      lock.lock();
      try {
        runningBatches--;
        // Wakes the collecting worker, which stops waiting once the model is idle.
        notEmpty.signal();
      } finally {
        lock.unlock();
      }
    }
  }

  private void runBatch(List<Task> batch) {
    int examples = batch.stream().mapToInt(Task::count).sum();
    float[] values;
    if (batch.size() == 1) {
      values = batch.get(0).values;
    } else {
      values = new float[batch.stream().mapToInt(task -> task.values.length).sum()];
      int offset = 0;
      for (Task task : batch) {
        System.arraycopy(task.values, 0, values, offset, task.values.length);
        offset += task.values.length;
      }
    }
    try {
      float[][] output = runner.run(values, examples);
      batchSizeObserver.accept(examples);
      int row = 0;
      for (Task task : batch) {
        task.result.complete(Arrays.copyOfRange(output, row, row + task.count));
        row += task.count;
      }
    } catch (RuntimeException | Error e) {
      LOG.warn("Batch of {} examples failed in {}", examples, name, e);
      for (Task task : batch) {
        task.result.completeExceptionally(e);
      }
      if (e instanceof Error) {
        throw e;
      }
    }
  }

  /** Stops accepting requests, runs the ones already queued, then stops the workers. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread worker : workers) {
      try {
        worker.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (worker.isAlive()) {
        LOG.warn(
            "Batch worker {} still running {} s after close",
            worker.getName(),
            CLOSE_TIMEOUT_SECONDS);
      }
    }
  }
}
