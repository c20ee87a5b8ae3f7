package org.tffinetune.models;

import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tffinetune.data.LabeledImages;

/**
 * Times training steps with no Java-side work between them, for the benchmark: one index tensor
 * and one seed tensor are built once and fed to every step, so the time is TensorFlow's alone.
 * Comparing it with the step time of {@link Sequential#fit} gives the cost of the Java loop.
 */
public final class StepTiming {
  private StepTiming() {}

  /**
   * Runs {@code warmup} untimed and then {@code steps} timed training steps on the first {@code
   * batchSize} images of {@code data} and returns the mean milliseconds per timed step.
   *
   * @param cached true to time the step that trains on cached frozen features; the cache is
   *     filled first, outside the timing
   * @throws IllegalStateException before compile, or when {@code cached} is requested for a
   *     model without a cacheable frozen prefix
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
    // One short fit loads the data and, when cached, fills the cache.
    model.fit(
        data.limit(Math.max(batchSize, 1)),
        FitOptions.builder().batchSize(batchSize).epochs(1).verbose(0).cacheFrozenFeatures(cached)
            .build());
    int[] indices = new int[Math.min(batchSize, data.size())];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = i;
    }
    Session session = graph.session;
    try (TInt32 idx = TInt32.tensorOf(Shape.of(indices.length), DataBuffers.of(indices, true, false));
        TInt64 seed = TInt64.vectorOf(1L, 2L)) {
      for (int i = 0; i < warmup; i++) {
        runOnce(session, graph, idx, seed, cached);
      }
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        runOnce(session, graph, idx, seed, cached);
      }
      return (System.nanoTime() - start) / 1e6 / steps;
    }
  }

  private static void runOnce(
      Session session, ModelGraph graph, TInt32 idx, TInt64 seed, boolean cached) {
    session
        .runner()
        .feed(graph.batchIndices, idx)
        .feed(graph.seed, seed)
        .addTarget(cached ? graph.cachedTrainStep : graph.trainStep)
        .run()
        .close();
  }
}
