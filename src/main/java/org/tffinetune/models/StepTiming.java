package org.tffinetune.models;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tffinetune.data.LabeledImages;

/**
 * Times training steps with no Java-side work between them, for the benchmark: the index tensors of
 * every timed step are built before the clock starts, from a shuffled order as in {@link
 * Sequential#fit}, so the time is TensorFlow's alone. Comparing it with the step time of {@code
 * fit} gives the cost of the Java loop.
 */
public final class StepTiming {
  private StepTiming() {}

  /**
   * Runs {@code warmup} untimed and then {@code steps} timed training steps on batches of {@code
   * data} and returns the mean milliseconds per timed step.
   *
   * @param cached true to time the step that trains on cached frozen features; the cache is filled
   *     first, outside the timing
   * @throws IllegalStateException before compile, or when {@code cached} is requested for a model
   *     without a cacheable frozen prefix
   */
  public static double graphOnlyStepMillis(
      Sequential model, LabeledImages data, int batchSize, int warmup, int steps, boolean cached) {
    ModelGraph graph = model.graph();
    if (graph.trainStep == null) {
      throw new IllegalStateException("call compile() before timing training steps");
    }
    if (cached && graph.cachedTrainStep == null) {
      throw new IllegalStateException(
          "the model has no frozen prefix to cache; freeze its first layers and compile again");
    }
    // One epoch loads the data into the graph and, when cached, fills the cache.
    model.fit(
        data,
        FitOptions.builder()
            .batchSize(batchSize)
            .epochs(1)
            .verbose(0)
            .cacheFrozenFeatures(cached)
            .build());

    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Trainer.shuffle(order, new SplittableRandom(1));
    int batch = Math.min(batchSize, n);
    List<TInt32> batches = new ArrayList<>();
    try (TInt64 seed = TInt64.vectorOf(1L, 2L)) {
      for (int s = 0; s < warmup + steps; s++) {
        int from = (s * batch) % (n - batch + 1);
        batches.add(
            TInt32.tensorOf(
                Shape.of(batch), DataBuffers.of(order, true, false).slice(from, batch)));
      }
      for (int s = 0; s < warmup; s++) {
        runOnce(graph, batches.get(s), seed, cached);
      }
      long start = System.nanoTime();
      for (int s = warmup; s < warmup + steps; s++) {
        runOnce(graph, batches.get(s), seed, cached);
      }
      return (System.nanoTime() - start) / 1e6 / steps;
    } finally {
      batches.forEach(TInt32::close);
    }
  }

  private static void runOnce(ModelGraph graph, TInt32 idx, TInt64 seed, boolean cached) {
    graph
        .session
        .runner()
        .feed(graph.batchIndices, idx)
        .feed(graph.seed, seed)
        .addTarget(cached ? graph.cachedTrainStep : graph.trainStep)
        .run()
        .close();
  }
}
