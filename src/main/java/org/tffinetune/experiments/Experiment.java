package org.tffinetune.experiments;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.data.Digits;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.Evaluation;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.Freezing;
import org.tffinetune.models.History;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.SavedModels;

/**
 * Runs the control experiment that Keras's transfer-learning notebook leaves out: for every seed it
 * pretrains once on the source digits, then trains three {@link Arm}s on the target digits at every
 * training-set size, with the same epochs, optimizer, batches and data for each arm.
 *
 * <p>For experiment seed {@code s}, pretraining draws weights, shuffling and dropout from {@code
 * s}. The arms draw them from {@code s ^ TRAINING_SEED_MASK}, so at one seed and size they see the
 * same subset, batch order and dropout masks, and the scratch arm's initial weights differ from the
 * pretrained model's. The subsets come from {@link ExperimentData#targetSubset}.
 *
 * <p>By default the pretrained arms start from every pretrained weight, head included, as the
 * notebook does, except an output layer whose shape differs because the target has another number
 * of digits. With {@link ExperimentSettings#newHead()} only the feature layers are copied and the
 * head starts from random weights. Validation on the target test images runs after every epoch only
 * at the largest size, which the per-epoch chart shows. Runs at other sizes are evaluated once,
 * after training.
 *
 * <p>Every finished pretraining and run is written to the {@link ResultsFolder} at once. With
 * {@code resume}, runs whose file exists are read instead of trained.
 */
public final class Experiment {
  private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);

  /** Mixed into the experiment seed to seed the arms' models. Any constant other than 0 works. */
  static final long TRAINING_SEED_MASK = 0x5851F42D4C957F2DL;

  private final ExperimentSettings settings;
  private final ModelFactory factory;
  private final ResultsFolder folder;
  private final boolean resume;
  private final PrintStream out;
  private final String command;
  private final String dataSource;

  private Experiment(Builder b) {
    this.settings = b.settings;
    this.factory = b.factory;
    this.folder = new ResultsFolder(b.output);
    this.resume = b.resume;
    this.out = b.out;
    this.command = b.command;
    this.dataSource = b.dataSource;
  }

  /** Returns a builder for an experiment with {@code settings} that writes into {@code output}. */
  public static Builder builder(ExperimentSettings settings, Path output) {
    return new Builder(settings, output);
  }

  /**
   * Checks that the results folder can receive this experiment, before the data is loaded.
   *
   * @throws org.tffinetune.InvalidInputException as {@link ResultsFolder#check} does
   */
  public void checkOutput() throws IOException {
    folder.check(identity(), resume);
  }

  /**
   * Runs every pretraining and run that the results folder lacks, then writes the report.
   *
   * @param train the 10-class MNIST training split (or data shaped like it)
   * @param test the 10-class MNIST test split
   * @return the pretraining and the runs of the current settings, finished earlier or now
   * @throws org.tffinetune.InvalidInputException for data that does not fit the settings or a
   *     results folder that contains another experiment
   */
  public ExperimentResults run(LabeledImages train, LabeledImages test) throws IOException {
    ExperimentData data = ExperimentData.select(settings, train, test);
    checkOutput();
    long start = System.nanoTime();
    try (Closeable lock = folder.lock()) {
      folder.writeSettings(identity(), settings);
      printPlan(data);
      List<PretrainResult> pretraining = new ArrayList<>();
      List<RunResult> runs = new ArrayList<>();
      int total = settings.seeds() * settings.samplesPerClass().size() * Arm.values().length;
      for (long seed : settings.runSeeds()) {
        PretrainResult pretrained = pretrainOnce(seed, data);
        pretraining.add(pretrained);
        Map<String, Weight> weights = null;
        for (int size : settings.samplesPerClass()) {
          LabeledImages subset = data.targetSubset(size, seed);
          for (Arm arm : Arm.values()) {
            String label = progressLabel(runs.size() + 1, total, seed, size, arm);
            Path file = folder.runRecord(seed, size, arm);
            if (Files.isRegularFile(file)) {
              RunResult done = JsonFiles.read(file, RunResult.class);
              out.printf(
                  Locale.ROOT,
                  "%s: finished earlier, test accuracy %.4f%n",
                  label,
                  done.testAccuracy());
              runs.add(done);
              continue;
            }
            if (arm.usesPretrainedWeights() && weights == null) {
              weights = loadPretrained(seed);
            }
            out.println(label + ":");
            RunResult result = train(arm, seed, size, subset, data, weights);
            JsonFiles.write(file, result);
            out.printf(
                Locale.ROOT,
                "    test accuracy %.4f, %.2f s per epoch%n",
                result.testAccuracy(),
                result.secondsPerEpoch());
            runs.add(result);
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      ExperimentResults results =
          new ExperimentResults(
              settings, factory.name(), dataSource, command, data, pretraining, runs, seconds);
      ReportWriter.write(results, folder);
      out.println();
      out.print(ReportWriter.formatConsoleTable(results));
      out.println();
      out.println("Report: " + folder.dir().resolve(ReportWriter.MARKDOWN_FILE).toAbsolutePath());
      out.println(
          "Report as HTML: " + folder.dir().resolve(ReportWriter.HTML_FILE).toAbsolutePath());
      out.printf(Locale.ROOT, "Run time: %.1f min%n", seconds / 60);
      return results;
    }
  }

  private Map<String, Object> identity() {
    return settings.identity(factory.name());
  }

  private void printPlan(ExperimentData data) {
    out.printf(
        Locale.ROOT,
        "Experiment %s -> %s: %d seeds x %d sizes x %d arms; %d source and %d target training"
            + " images, %d target test images%n",
        Digits.format(settings.source()),
        Digits.format(settings.target()),
        settings.seeds(),
        settings.samplesPerClass().size(),
        Arm.values().length,
        data.sourceTrain().size(),
        data.targetTrain().size(),
        data.targetTest().size());
    out.println("Results folder: " + folder.dir().toAbsolutePath());
  }

  private static String progressLabel(int index, int total, long seed, int size, Arm arm) {
    String width = Integer.toString(Integer.toString(total).length());
    return String.format(
        Locale.ROOT,
        "[%" + width + "d/%d] seed %d, %s, %s",
        index,
        total,
        seed,
        SampleSizes.describe(size),
        arm.id());
  }

  /** Returns the pretraining of {@code seed}, running it unless a finished one is on disk. */
  private PretrainResult pretrainOnce(long seed, ExperimentData data) throws IOException {
    Path record = folder.pretrainRecord(seed);
    Path modelDir = folder.pretrainedModel(seed);
    if (Files.isRegularFile(record) && Files.isDirectory(modelDir)) {
      PretrainResult done = JsonFiles.read(record, PretrainResult.class);
      out.printf(
          Locale.ROOT,
          "Seed %d: pretrained earlier on %s, test accuracy %.4f%n",
          seed,
          done.digits(),
          done.testAccuracy());
      return done;
    }

    int[] source = settings.source();
    out.printf(
        Locale.ROOT,
        "Seed %d: pretraining on digits %s, %d images, %d epochs%n",
        seed,
        Digits.format(source),
        data.sourceTrain().size(),
        settings.pretrainEpochs());
    try (Sequential model = factory.build(source.length, seed)) {
      model.setThreads(settings.intraOpThreads(), settings.interOpThreads());
      model.setClassNames(names(source));
      model.compile(settings.optimizer(), Loss.CATEGORICAL_CROSSENTROPY);
      EpochTimer timer = new EpochTimer(out);
      model.fit(
          data.sourceTrain(),
          FitOptions.builder()
              .batchSize(settings.batchSize())
              .epochs(settings.pretrainEpochs())
              .verbose(0)
              .listener(timer)
              .build());
      Evaluation score = model.evaluate(data.sourceTest(), settings.batchSize());
      // A model folder without a record is left by an interrupted pretraining, so it is replaced.
      SavedModels.save(model, modelDir, true);
      PretrainResult result =
          new PretrainResult(
              JsonFiles.FORMAT_VERSION,
              seed,
              Digits.format(source),
              data.sourceTrain().size(),
              settings.pretrainEpochs(),
              score.loss(),
              score.accuracy(),
              score.samples(),
              timer.seconds(),
              folder.dir().relativize(modelDir).toString());
      JsonFiles.write(record, result);
      out.printf(Locale.ROOT, "    test accuracy on %s: %.4f%n", result.digits(), score.accuracy());
      LOG.debug(
          "Pretrained seed {} on {}: test accuracy {}", seed, result.digits(), score.accuracy());
      return result;
    }
  }

  private Map<String, Weight> loadPretrained(long seed) {
    try (Sequential pretrained = SavedModels.load(folder.pretrainedModel(seed))) {
      return pretrained.getWeights();
    }
  }

  private RunResult train(
      Arm arm,
      long seed,
      int size,
      LabeledImages subset,
      ExperimentData data,
      Map<String, Weight> pretrained) {
    boolean largest = size == settings.samplesPerClass().get(settings.samplesPerClass().size() - 1);
    try (Sequential model = buildModel(arm, seed, pretrained)) {
      model.compile(settings.optimizer(), Loss.CATEGORICAL_CROSSENTROPY);
      EpochTimer timer = new EpochTimer(out);
      History history =
          model.fit(
              subset,
              FitOptions.builder()
                  .batchSize(settings.batchSize())
                  .epochs(settings.epochs())
                  .validationData(largest ? data.targetTest() : null)
                  .cacheFrozenFeatures(settings.cacheFrozenFeatures())
                  .verbose(0)
                  .listener(timer)
                  .build());
      Evaluation score = model.evaluate(data.targetTest(), settings.batchSize());
      int[][] confusion =
          arm == Arm.TRANSFER
              ? confusionMatrix(model, data.targetTest(), settings.batchSize())
              : null;
      LOG.debug("Run {} seed {} size {}: test accuracy {}", arm.id(), seed, size, score.accuracy());
      return new RunResult(
          JsonFiles.FORMAT_VERSION,
          arm,
          seed,
          size,
          subset.size(),
          settings.epochs(),
          model.countTrainableParams(),
          score.loss(),
          score.accuracy(),
          score.samples(),
          timer.seconds(),
          history.epochSeconds(),
          history.history(),
          confusion);
    }
  }

  /** Builds the model of one run: pretrained weights for two arms, frozen features for one. */
  private Sequential buildModel(Arm arm, long seed, Map<String, Weight> pretrained) {
    int[] target = settings.target();
    Sequential model = factory.build(target.length, seed ^ TRAINING_SEED_MASK);
    try {
      model.setThreads(settings.intraOpThreads(), settings.interOpThreads());
      model.setClassNames(names(target));
      if (arm.usesPretrainedWeights()) {
        copyPretrainedWeights(model, Objects.requireNonNull(pretrained, "pretrained weights"));
      }
      for (Layer layer : model.layers()) {
        layer.setTrainable(true);
      }
      if (arm == Arm.TRANSFER) {
        Freezing.freezeUntil(model, factory.lastFeatureLayer());
      }
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private void copyPretrainedWeights(Sequential model, Map<String, Weight> pretrained) {
    model.setWeights(
        pretrainedWeightsToCopy(
            model, pretrained, factory.name(), factory.lastFeatureLayer(), settings.newHead()));
  }

  /**
   * Returns the pretrained weights that a pretrained arm starts from: those of the feature layers,
   * and unless {@code newHead} also every other pretrained weight whose name and shape match a
   * weight of {@code model}.
   *
   * @throws IllegalStateException when a feature-layer weight has no match, which means the factory
   *     builds layers with other names than the pretrained model has
   */
  static Map<String, Weight> pretrainedWeightsToCopy(
      Sequential model,
      Map<String, Weight> pretrained,
      String modelName,
      String lastFeatureLayer,
      boolean newHead) {
    Map<String, Weight> own = model.getWeights();
    Map<String, Weight> copied = new LinkedHashMap<>();
    for (String key : featureWeightKeys(model, modelName, lastFeatureLayer)) {
      Weight weight = pretrained.get(key);
      if (weight == null || !Arrays.equals(weight.shape(), own.get(key).shape())) {
        throw new IllegalStateException(
            "feature weight '"
                + key
                + "' of model '"
                + modelName
                + "' has no pretrained weight of that name and shape; pretrained weights: "
                + pretrained.keySet());
      }
      copied.put(key, weight);
    }
    if (!newHead) {
      for (Map.Entry<String, Weight> entry : pretrained.entrySet()) {
        Weight mine = own.get(entry.getKey());
        if (mine != null && Arrays.equals(mine.shape(), entry.getValue().shape())) {
          copied.put(entry.getKey(), entry.getValue());
        }
      }
    }
    return copied;
  }

  /** Returns the weight keys of the layers up to and including the last feature layer. */
  private static List<String> featureWeightKeys(
      Sequential model, String modelName, String lastFeatureLayer) {
    List<String> keys = new ArrayList<>();
    for (Layer layer : model.layers()) {
      for (WeightSpec spec : layer.weightSpecs()) {
        keys.add(layer.name() + "/" + spec.name());
      }
      if (layer.name().equals(lastFeatureLayer)) {
        return keys;
      }
    }
    throw new IllegalStateException(
        "model '" + modelName + "' has no layer named '" + lastFeatureLayer + "'");
  }

  /** Counts test images by true class (row) and predicted class (column). */
  static int[][] confusionMatrix(Sequential model, LabeledImages test, int batchSize) {
    int classes = test.numClasses();
    int[][] counts = new int[classes][classes];
    float[][] probabilities = model.predict(test, batchSize);
    for (int i = 0; i < probabilities.length; i++) {
      int predicted = 0;
      for (int c = 1; c < classes; c++) {
        if (probabilities[i][c] > probabilities[i][predicted]) {
          predicted = c;
        }
      }
      counts[test.label(i)][predicted]++;
    }
    return counts;
  }

  private static List<String> names(int[] digits) {
    return Arrays.stream(digits).mapToObj(Integer::toString).toList();
  }

  /** Builder for {@link Experiment}. */
  public static final class Builder {
    private final ExperimentSettings settings;
    private final Path output;
    private ModelFactory factory = ModelFactory.notebook();
    private boolean resume;
    private PrintStream out = System.out;
    private String command = "";
    private String dataSource = "";

    private Builder(ExperimentSettings settings, Path output) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.output = Objects.requireNonNull(output, "output");
    }

    /** Sets the network that every arm trains (default {@link ModelFactory#notebook()}). */
    public Builder modelFactory(ModelFactory factory) {
      this.factory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Continues the experiment in a non-empty results folder with the same settings. */
    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** Sets where progress is printed (default {@code System.out}). */
    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /** Sets the command line shown in the report. */
    public Builder command(String command) {
      this.command = Objects.requireNonNull(command, "command");
      return this;
    }

    /** Sets a description of where the data came from, shown in the report. */
    public Builder dataSource(String dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** Returns the experiment. */
    public Experiment build() {
      return new Experiment(this);
    }
  }
}
