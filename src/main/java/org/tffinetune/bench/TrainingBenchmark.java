package org.tffinetune.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.History;
import org.tffinetune.models.Sequential;
import org.tffinetune.models.StepTiming;
import org.tffinetune.notebook.NotebookModel;
import org.tffinetune.optimizers.OptimizerSpec;

/**
 * The training and inference benchmark behind {@code bin/finetune bench}. Every figure is the
 * median of several repetitions after warm-up, with the range, and every comparison is a ratio of
 * two figures measured in the same run.
 */
public final class TrainingBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingBenchmark.class);
  private static final int[] LOW = {0, 1, 2, 3, 4};
  private static final int[] HIGH = {5, 6, 7, 8, 9};

  private final MnistDataset data;
  private final int batchSize;
  private final int repetitions;
  private final int steps;
  private final PrintStream out;
  private final Map<String, Object> results = new LinkedHashMap<>();

  /**
   * Creates a benchmark.
   *
   * @param batchSize training batch size (the notebook's is 128)
   * @param repetitions timed repetitions per figure
   * @param steps training steps per repetition of the step-time figures
   */
  public TrainingBenchmark(
      MnistDataset data, int batchSize, int repetitions, int steps, PrintStream out) {
    this.data = data;
    this.batchSize = batchSize;
    this.repetitions = repetitions;
    this.steps = steps;
    this.out = out;
  }

  /** Returns the figures measured so far, keyed by name, for JSON output. */
  public Map<String, Object> results() {
    return results;
  }

  private Sequential model(boolean frozen) {
    Sequential model = NotebookModel.build(5, 1);
    if (frozen) {
      NotebookModel.freezeFeatureLayers(model);
    }
    model.compile(OptimizerSpec.of("adadelta"), Loss.CATEGORICAL_CROSSENTROPY);
    return model;
  }

  /** Measures step times: full, graph-only, frozen and cached, with their ratios. */
  public void stepTimes() {
    LabeledImages train = data.train().select(HIGH).limit(batchSize * steps);
    double[] fitFull = new double[repetitions];
    double[] graphFull = new double[repetitions];
    double[] graphFrozen = new double[repetitions];
    double[] graphCached = new double[repetitions];
    double[] fitCached = new double[repetitions];

    try (Sequential full = model(false);
        Sequential frozen = model(true)) {
      fit(full, train, 1);
      fit(frozen, train, 1);
      for (int r = 0; r < repetitions; r++) {
        fitFull[r] = fit(full, train, 1).millisPerStep();
        graphFull[r] = StepTiming.graphOnlyStepMillis(full, train, batchSize, 3, steps, false);
        graphFrozen[r] = StepTiming.graphOnlyStepMillis(frozen, train, batchSize, 3, steps, false);
        graphCached[r] = StepTiming.graphOnlyStepMillis(frozen, train, batchSize, 3, steps, true);
        fitCached[r] = fitCachedWarm(frozen, train);
      }
    }

    Stats fitFullStats = Stats.of(fitFull);
    Stats graphFullStats = Stats.of(graphFull);
    Stats frozenStats = Stats.of(graphFrozen);
    Stats cachedStats = Stats.of(graphCached);
    Stats fitCachedStats = Stats.of(fitCached);

    out.println(
        "## Training step time, batch "
            + batchSize
            + " ("
            + steps
            + " steps x "
            + repetitions
            + " repetitions, median (min-max))");
    out.println();
    out.println("| Step | ms/step | ratio |");
    out.println("| --- | ---: | ---: |");
    row(
        "full, fit() loop (indices fed, data in graph)",
        fitFullStats,
        fitFullStats.median() / graphFullStats.median(),
        "to graph-only");
    row("full, graph-only (index tensors built before timing)", graphFullStats, 1.0, "");
    row(
        "feature layers frozen, graph-only",
        frozenStats,
        frozenStats.median() / graphFullStats.median(),
        "to full");
    row(
        "frozen + cached features, graph-only",
        cachedStats,
        cachedStats.median() / graphFullStats.median(),
        "to full");
    row(
        "frozen + cached features, fit() loop",
        fitCachedStats,
        fitCachedStats.median() / cachedStats.median(),
        "to cached graph-only");
    out.println();
    results.put("full_fit_ms_per_step", fitFullStats);
    results.put("full_graph_only_ms_per_step", graphFullStats);
    results.put("frozen_graph_only_ms_per_step", frozenStats);
    results.put("cached_graph_only_ms_per_step", cachedStats);
    results.put("cached_fit_ms_per_step", fitCachedStats);
  }

  private double fitCachedWarm(Sequential model, LabeledImages train) {
    // The timing runs above load other data, so the first epoch refills the cache; the second
    // epoch is the cached fit() loop alone.
    History h = fit(model, train, 2);
    return h.epochSeconds().get(1) * 1000 / h.epochSteps().get(1);
  }

  private void row(String name, Stats stats, double ratio, String against) {
    out.println(
        "| "
            + name
            + " | "
            + stats.format("%.1f")
            + " | "
            + (against.isEmpty() ? "1.00" : String.format(Locale.ROOT, "%.2f %s", ratio, against))
            + " |");
  }

  private History fit(Sequential model, LabeledImages train, int epochs) {
    return model.fit(
        train, FitOptions.builder().batchSize(batchSize).epochs(epochs).verbose(0).build());
  }

  /** Measures the graph-only full training step under several TensorFlow thread settings. */
  public void threadSettings() {
    int cores = Runtime.getRuntime().availableProcessors();
    int[][] settings = {{1, 1}, {cores, 1}, {cores, 2}, {0, 0}};
    LabeledImages train = data.train().select(HIGH).limit(batchSize * steps);
    out.println("## Thread settings: graph-only full training step, batch " + batchSize);
    out.println();
    out.println("| intra-op | inter-op | ms/step |");
    out.println("| ---: | ---: | ---: |");
    for (int[] setting : settings) {
      double[] times = new double[repetitions];
      try (Sequential model = NotebookModel.build(5, 1)) {
        model.setThreads(setting[0], setting[1]);
        model.compile(OptimizerSpec.of("adadelta"), Loss.CATEGORICAL_CROSSENTROPY);
        for (int r = 0; r < repetitions; r++) {
          times[r] = StepTiming.graphOnlyStepMillis(model, train, batchSize, 3, steps, false);
        }
      }
      Stats stats = Stats.of(times);
      String intra = setting[0] == 0 ? "0 (TF default)" : Integer.toString(setting[0]);
      String inter = setting[1] == 0 ? "0 (TF default)" : Integer.toString(setting[1]);
      out.println("| " + intra + " | " + inter + " | " + stats.format("%.1f") + " |");
      results.put("threads_" + setting[0] + "_" + setting[1] + "_ms_per_step", stats);
    }
    out.println();
  }

  /**
   * Measures whole epochs over the digits 0-4 (30,596 images): full training, frozen fine-tuning
   * without the cache, and with it (the first epoch fills the cache, the second reuses it).
   */
  public void epochTimes() {
    LabeledImages train = data.train().select(LOW);
    double full;
    double uncached;
    double cachedFirst;
    double cachedSecond;
    try (Sequential m = model(false)) {
      full = fit(m, train, 1).totalSeconds();
    }
    try (Sequential m = model(true)) {
      uncached =
          m.fit(
                  train,
                  FitOptions.builder()
                      .batchSize(batchSize)
                      .epochs(1)
                      .verbose(0)
                      .cacheFrozenFeatures(false)
                      .build())
              .totalSeconds();
    }
    try (Sequential m = model(true)) {
      History h = fit(m, train, 2);
      cachedFirst = h.epochSeconds().get(0);
      cachedSecond = h.epochSeconds().get(1);
    }

    out.println("## Epoch time over the " + train.size() + " training images of digits 0-4");
    out.println();
    out.println("| Epoch | seconds | speed-up over full training |");
    out.println("| --- | ---: | ---: |");
    epochRow("full training, every layer trainable", full, full);
    epochRow("fine-tuning, features frozen, no cache", uncached, full);
    epochRow("fine-tuning, cached features, first epoch (fills the cache)", cachedFirst, full);
    epochRow("fine-tuning, cached features, later epochs", cachedSecond, full);
    out.println();
    results.put("epoch_full_seconds", full);
    results.put("epoch_frozen_uncached_seconds", uncached);
    results.put("epoch_cached_first_seconds", cachedFirst);
    results.put("epoch_cached_later_seconds", cachedSecond);
  }

  private void epochRow(String name, double seconds, double full) {
    out.println(String.format(Locale.ROOT, "| %s | %.2f | %.1fx |", name, seconds, full / seconds));
  }

  /** Measures prediction throughput at several batch sizes. */
  public void predictThroughput(int[] batchSizes, double secondsEach) {
    LabeledImages test = data.test();
    out.println("## Prediction throughput (Sequential.predict, images per second)");
    out.println();
    out.println("| Batch | images/s |");
    out.println("| ---: | ---: |");
    try (Sequential model = NotebookModel.build(5, 1)) {
      for (int batch : batchSizes) {
        float[] images = new float[batch * LabeledImages.IMAGE_PIXELS];
        test.fillImages(null, 0, batch, images);
        for (int i = 0; i < 5; i++) {
          model.predict(images, batch);
        }
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
          long start = System.nanoTime();
          long deadline = start + (long) (secondsEach * 1e9 / repetitions);
          long count = 0;
          while (System.nanoTime() < deadline) {
            model.predict(images, batch);
            count += batch;
          }
          rates[r] = count / ((System.nanoTime() - start) / 1e9);
        }
        Stats stats = Stats.of(rates);
        out.println("| " + batch + " | " + stats.format("%.0f") + " |");
        results.put("predict_images_per_second_batch_" + batch, stats);
      }
    }
    out.println();
  }

  /**
   * Runs {@code bin/finetune notebook} with one epoch per phase on all data in a child JVM and
   * reports its peak resident memory (VmHWM), which it prints when it exits.
   */
  public void notebookPeakMemory(Path dataPath, Path scratch)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.tffinetune.cli.Main");
    command.add("notebook");
    command.add("--epochs");
    command.add("1");
    command.add("--seed");
    command.add("1");
    command.add("--overwrite");
    command.add("--output");
    command.add(scratch.toString());
    if (dataPath != null) {
      command.add("--data");
      command.add(dataPath.toString());
    }
    LOG.info("Running a one-epoch notebook in a child JVM to measure its peak memory");

    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String peak = null;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("Peak resident memory:")) {
          peak = line.substring("Peak resident memory:".length()).trim();
        }
      }
    }

    int status = process.waitFor();
    out.println("## Peak resident memory of a notebook run (1 epoch per phase, all data)");
    out.println();
    out.println(peak == null ? "not measured: the child exited with status " + status : peak);
    out.println();
    results.put("notebook_peak_rss", peak);
  }

  /** Returns the CPU model from /proc/cpuinfo, or "unknown". */
  public static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      LOG.debug("Cannot read /proc/cpuinfo", e);
    }
    return "unknown";
  }
}
