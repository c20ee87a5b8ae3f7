package org.tffinetune.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tffinetune.data.LabeledImages;

/**
 * The loop behind {@link Sequential#fit} and {@link Sequential#evaluate}: shuffles indices in Java,
 * feeds one batch of indices per step, and lets the graph gather and convert the images.
 */
final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** Images per session run while filling the frozen-feature cache. */
  private static final int CACHE_BATCH = 512;

  private final Sequential model;
  private final ModelGraph graph;
  private final FitOptions options;
  private final List<TrainingListener> listeners = new ArrayList<>();

  Trainer(Sequential model, ModelGraph graph, FitOptions options) {
    this.model = model;
    this.graph = graph;
    this.options = options;
    if (options.verbose > 0) {
      boolean interactive = options.verbose == 1 && System.console() != null;
      listeners.add(new ProgressBar(System.out, System.err, interactive));
    }
    listeners.addAll(options.listeners);
  }

  History fit(LabeledImages x) {
    int n = x.size();
    int batchSize = options.batchSize;
    int steps = (n + batchSize - 1) / batchSize;
    graph.trainData.load(graph.session, x);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    IntDataBuffer orderBuffer = DataBuffers.of(order, true, false);
    History history = new History();
    boolean cached = options.cacheFrozenFeatures && graph.cachedTrainStep != null;

    for (int epoch = 1; epoch <= options.epochs; epoch++) {
      long start = System.nanoTime();
      if (cached && graph.cachedFor != x) {
        // Counted in the first epoch's time, as it is part of what fine-tuning costs.
        fillCache(x);
      }
      if (options.shuffle) {
        shuffle(order, model.random());
      }
      final int e = epoch;
      listeners.forEach(l -> l.onEpochBegin(e, options.epochs, steps));
      LOG.debug("Epoch {}/{}: {} steps of batch {}", epoch, options.epochs, steps, batchSize);

      double lossSum = 0;
      double correct = 0;
      int seen = 0;
      for (int step = 1; step <= steps; step++) {
        int from = (step - 1) * batchSize;
        int count = Math.min(batchSize, n - from);
        float[] batch = runStep(orderBuffer.slice(from, count), count, cached);
        if (!Float.isFinite(batch[0])) {
          throw new TrainingDivergedException(epoch, step, batch[0]);
        }
        lossSum += (double) batch[0] * count;
        correct += batch[1];
        seen += count;
        Map<String, Double> running = metrics(lossSum / seen, correct / seen, null);
        final int s = step;
        listeners.forEach(l -> l.onBatchEnd(s, running));
      }

      Map<String, Double> logs = metrics(lossSum / seen, correct / seen, null);
      if (options.validationData != null) {
        Evaluation val = evaluate(graph, options.validationData, batchSize);
        logs = metrics(lossSum / seen, correct / seen, val);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      history.addEpoch(logs, seconds, steps, n);
      Map<String, Double> finalLogs = logs;
      listeners.forEach(l -> l.onEpochEnd(e, finalLogs, seconds, steps));
      LOG.debug("Epoch {} done in {} s: {}", epoch, seconds, logs);
    }
    return history;
  }

  private void fillCache(LabeledImages x) {
    long start = System.nanoTime();
    graph.session.runner().addTarget(graph.initCachedFeatures).run().close();
    int n = x.size();
    for (int from = 0; from < n; from += CACHE_BATCH) {
      int count = Math.min(CACHE_BATCH, n - from);
      try (TInt32 idx = TInt32.tensorOf(Shape.of(count), identity(n).slice(from, count))) {
        graph
            .session
            .runner()
            .feed(graph.batchIndices, idx)
            .addTarget(graph.fillCachedFeatures)
            .run()
            .close();
      }
    }
    graph.cachedFor = x;
    LOG.info(
        "Cached the output of {} frozen layers for {} images in {} ms",
        graph.cacheSplit,
        n,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static IntDataBuffer identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return DataBuffers.of(order, true, false);
  }

  private float[] runStep(IntDataBuffer indices, int count, boolean cached) {
    try (TInt32 idx = TInt32.tensorOf(Shape.of(count), indices);
        TInt64 seed = TInt64.vectorOf(model.seed(), model.nextStep());
        Result r =
            graph
                .session
                .runner()
                .feed(graph.batchIndices, idx)
                .feed(graph.seed, seed)
                .addTarget(cached ? graph.cachedTrainStep : graph.trainStep)
                .fetch(cached ? graph.cachedLossMean : graph.trainLossMean)
                .fetch(cached ? graph.cachedCorrect : graph.trainCorrect)
                .run()) {
      return new float[] {((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat()};
    }
  }

  static Evaluation evaluate(ModelGraph graph, LabeledImages x, int batchSize) {
    graph.evalData.load(graph.session, x);
    int n = x.size();
    IntDataBuffer all = identity(n);
    double lossSum = 0;
    double correct = 0;
    for (int from = 0; from < n; from += batchSize) {
      int count = Math.min(batchSize, n - from);
      try (TInt32 idx = TInt32.tensorOf(Shape.of(count), all.slice(from, count));
          Result r =
              graph
                  .session
                  .runner()
                  .feed(graph.batchIndices, idx)
                  .fetch(graph.evalLossSum)
                  .fetch(graph.evalCorrect)
                  .run()) {
        lossSum += ((TFloat32) r.get(0)).getFloat();
        correct += ((TFloat32) r.get(1)).getFloat();
      }
    }
    return new Evaluation(lossSum / n, correct / n, n);
  }

  private static Map<String, Double> metrics(double loss, double accuracy, Evaluation val) {
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", loss);
    logs.put("accuracy", accuracy);
    if (val != null) {
      logs.put("val_loss", val.loss());
      logs.put("val_accuracy", val.accuracy());
    }
    return logs;
  }

  /** Shuffles {@code order} in place (Fisher-Yates). */
  static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
  }
}
