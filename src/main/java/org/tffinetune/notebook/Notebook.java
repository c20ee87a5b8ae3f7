package org.tffinetune.notebook;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.charts.HistoryChart;
import org.tffinetune.data.Digits;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.Devices;
import org.tffinetune.models.Evaluation;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.History;
import org.tffinetune.models.Sequential;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.saving.SavedModels;

/**
 * Reproduces Keras's MNIST transfer-learning notebook: train the network on digits 5-9, save it,
 * reload it, freeze its feature layers and train the head on digits 0-4; then the same in reverse.
 * Each phase prints what the notebook prints and writes a SavedModel and its history.
 */
public final class Notebook {
  private static final Logger LOG = LoggerFactory.getLogger(Notebook.class);

  /**
   * Test accuracies that the Keras notebook published for its four phases: pretrain 5-9, fine-tune
   * 0-4, pretrain 0-4, fine-tune 5-9 (Keras 3, Adadelta with learning rate 0.001, 5 epochs, batch
   * 128).
   */
  public static final double[] NOTEBOOK_ACCURACY = {0.6573, 0.7225, 0.8821, 0.6521};

  /** The SavedModel folders that a run writes under its output folder, in phase order. */
  public static final java.util.List<String> MODEL_FOLDERS =
      java.util.List.of("pretrained-5-9", "finetuned-0-4", "pretrained-0-4", "finetuned-5-9");

  private static final int[] LOW = {0, 1, 2, 3, 4};
  private static final int[] HIGH = {5, 6, 7, 8, 9};

  private final Settings settings;
  private final PrintStream out;

  /**
   * Settings of a notebook run.
   *
   * @param epochs epochs per phase (notebook: 5)
   * @param batchSize examples per step (notebook: 128)
   * @param optimizer the optimizer (notebook: Adadelta, learning rate 0.001 in Keras 3)
   * @param seed seed for weights, shuffling and dropout
   * @param limit at most this many training images per phase, or 0 for all
   * @param output folder for the SavedModels and histories
   * @param overwrite whether to replace existing model folders
   * @param cacheFrozenFeatures whether fine-tuning trains the head on cached frozen features
   * @param intraOpThreads TensorFlow intra-op threads, 0 for TensorFlow's choice
   * @param interOpThreads TensorFlow inter-op threads, 0 for TensorFlow's choice
   */
  public record Settings(
      int epochs,
      int batchSize,
      OptimizerSpec optimizer,
      long seed,
      int limit,
      Path output,
      boolean overwrite,
      boolean cacheFrozenFeatures,
      int intraOpThreads,
      int interOpThreads) {}

  /** Creates a run that prints to {@code out}. */
  public Notebook(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs the four phases and returns their results in order. */
  public List<Phase> run(MnistDataset data) throws IOException {
    List<Phase> phases = new ArrayList<>();
    phases.add(pretrain(data, HIGH, MODEL_FOLDERS.get(0), settings.seed(), NOTEBOOK_ACCURACY[0]));
    phases.add(
        finetune(data, phases.get(0).modelDir(), LOW, MODEL_FOLDERS.get(1), NOTEBOOK_ACCURACY[1]));
    phases.add(
        pretrain(data, LOW, MODEL_FOLDERS.get(2), settings.seed() + 1, NOTEBOOK_ACCURACY[2]));
    phases.add(
        finetune(data, phases.get(2).modelDir(), HIGH, MODEL_FOLDERS.get(3), NOTEBOOK_ACCURACY[3]));

    Map<String, History> histories = new LinkedHashMap<>();
    for (Phase phase : phases) {
      histories.put(phase.label(), phase.history());
    }
    Path chart = settings.output().resolve("history").resolve("notebook.png");
    HistoryChart.write(histories, chart);
    out.println();
    out.print(formatTable(phases));
    out.println();
    out.println("Models and histories: " + settings.output().toAbsolutePath());
    out.println("Chart: " + chart.toAbsolutePath());
    out.println("Devices: " + String.join(", ", Devices.list()));
    return phases;
  }

  /** Trains a new notebook model on {@code digits} and saves it under {@code dirName}. */
  Phase pretrain(MnistDataset data, int[] digits, String dirName, long seed, double published)
      throws IOException {
    out.println();
    out.println("=== Pretrain on digits " + Digits.format(digits) + " ===");
    try (Sequential model = NotebookModel.build(digits.length, seed)) {
      model.setClassNames(classNames(digits));
      model.setThreads(settings.intraOpThreads(), settings.interOpThreads());
      out.print(model.summary());
      return train(model, data, digits, "pretrain", dirName, published);
    }
  }

  /**
   * Reloads the SavedModel in {@code source}, freezes its feature layers, trains the head on {@code
   * digits} and saves the result under {@code dirName}.
   */
  Phase finetune(MnistDataset data, Path source, int[] digits, String dirName, double published)
      throws IOException {
    out.println();
    out.println("=== Fine-tune on digits " + Digits.format(digits) + " (features frozen) ===");
    try (Sequential model = SavedModels.load(source)) {
      model.setClassNames(classNames(digits));
      model.setThreads(settings.intraOpThreads(), settings.interOpThreads());
      NotebookModel.freezeFeatureLayers(model);
      out.print(model.summary());
      return train(model, data, digits, "finetune", dirName, published);
    }
  }

  private Phase train(
      Sequential model,
      MnistDataset data,
      int[] digits,
      String name,
      String dirName,
      double published)
      throws IOException {
    LabeledImages train = data.train().select(digits);
    if (settings.limit() > 0 && settings.limit() < train.size()) {
      train = train.limit(settings.limit());
    }
    LabeledImages test = data.test().select(digits);
    out.println("x_train shape: (" + train.size() + ", 28, 28, 1)");
    out.println(train.size() + " train samples");
    out.println(test.size() + " test samples");

    model.compile(settings.optimizer(), Loss.CATEGORICAL_CROSSENTROPY);
    LOG.info("Phase {} {} runs on {}", name, Digits.format(digits), Devices.list());
    History history =
        model.fit(
            train,
            FitOptions.builder()
                .batchSize(settings.batchSize())
                .epochs(settings.epochs())
                .validationData(test)
                .cacheFrozenFeatures(settings.cacheFrozenFeatures())
                .build());
    out.println("Training time: " + Phase.formatTimedelta(history.totalSeconds()));
    Evaluation score = model.evaluate(test, settings.batchSize());
    out.println("Test score: " + score.loss());
    out.println("Test accuracy: " + score.accuracy());

    Path dir = settings.output().resolve(dirName);
    SavedModels.save(model, dir, settings.overwrite());
    Phase phase = new Phase(name, digits, train.size(), history, score, published, dir);
    history.writeJson(settings.output().resolve("history").resolve(phase.slug() + ".json"));
    LOG.info("Phase {} done: test accuracy {}", phase.label(), score.accuracy());
    return phase;
  }

  private static List<String> classNames(int[] digits) {
    List<String> names = new ArrayList<>();
    for (int d : digits) {
      names.add(Integer.toString(d));
    }
    return names;
  }

  /** Formats the summary table of all phases beside the notebook's published accuracies. */
  public static String formatTable(List<Phase> phases) {
    StringBuilder sb = new StringBuilder();
    String header =
        String.format(
            Locale.ROOT,
            "%-14s %7s %7s %11s %8s %9s %13s %9s%n",
            "Phase",
            "Samples",
            "Epochs",
            "Train time",
            "ms/step",
            "Test loss",
            "Test accuracy",
            "Notebook");
    sb.append(header);
    sb.append("-".repeat(header.length() - 1)).append('\n');
    for (Phase p : phases) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-14s %7d %7d %10.1fs %8.1f %9.4f %13.4f %9s%n",
              p.label(),
              p.samples(),
              p.history().epochs(),
              p.history().totalSeconds(),
              p.history().millisPerStep(),
              p.test().loss(),
              p.test().accuracy(),
              Double.isNaN(p.notebookAccuracy())
                  ? "-"
                  : String.format(Locale.ROOT, "%.4f", p.notebookAccuracy())));
    }
    return sb.toString();
  }
}
