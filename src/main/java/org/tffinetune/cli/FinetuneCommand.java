package org.tffinetune.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.Digits;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.keras.Heads;
import org.tffinetune.keras.ModelImport;
import org.tffinetune.models.Freezing;
import org.tffinetune.models.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Reloads a SavedModel, freezes its feature layers and trains the rest on chosen digits. */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    description =
        "Load a model (ours or an exported Keras model), freeze its feature layers and"
            + " train the remaining layers on the chosen digits; save the result as our SavedModel.")
final class FinetuneCommand implements Callable<Integer> {
  @Mixin TrainingOptions training;

  @Option(
      names = "--model",
      required = true,
      description =
          "Model to start from: a SavedModel written by this tool, a tf.keras SavedModel folder"
              + " (with keras_metadata.pb) or a Keras 3 .keras archive.")
  Path model;

  @Option(
      names = "--new-head",
      paramLabel = "CLASSES",
      description =
          "Replace the final Dense layer (and its softmax) by a new Dense(CLASSES) softmax with"
              + " fresh weights, for a different number of classes; by default the head is kept.")
  Integer newHead;

  @Option(
      names = "--digits",
      defaultValue = "0-4",
      description = "Digits to train on, such as 0-4 (default: ${DEFAULT-VALUE}).")
  String digits;

  @Option(
      names = "--freeze-until",
      description =
          "Freeze every layer up to and including this one (default: flatten, the notebook's"
              + " last feature layer).")
  String freezeUntil;

  @Option(
      names = "--freeze",
      split = ",",
      description = "Freeze these layers by name (comma-separated), instead of --freeze-until.")
  List<String> freeze;

  @Option(
      names = "--output",
      defaultValue = "models/finetuned-0-4",
      description = "SavedModel folder to write (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--overwrite", description = "Replace the output folder if it exists.")
  boolean overwrite;

  @Option(names = "--history", description = "Also write the training history as JSON here.")
  Path history;

  @Override
  public Integer call() throws Exception {
    int[] selected = Digits.parse(digits);
    var optimizer = training.validate();
    Outputs.checkModelTarget(output, overwrite);
    Outputs.checkFileTarget(history, overwrite, "--history");
    TrainingRun.requireTwoClasses(selected, digits);
    if (newHead != null && newHead < 2) {
      throw new InvalidInputException("--new-head must be at least 2 classes, got " + newHead);
    }
    if (newHead != null && newHead != selected.length) {
      throw new InvalidInputException(
          "--new-head "
              + newHead
              + " does not match --digits "
              + digits
              + ", which selects "
              + selected.length
              + " classes");
    }
    Sequential loaded = ModelImport.loadForTraining(model);
    ModelImport.requireImageInput(loaded, model.toString(), "finetune");
    if (newHead != null) {
      Sequential replaced =
          Heads.replaceHead(loaded, newHead, training.seed == null ? loaded.seed() : training.seed);
      loaded.close();
      loaded = replaced;
    }
    try (Sequential m = loaded) {
      applyFreezing(m);
      if (training.seed != null) {
        m.setSeed(training.seed);
      }
      m.setThreads(training.intraOpThreads, training.interOpThreads);
      if (m.numClasses() != selected.length) {
        throw new InvalidInputException(
            "--digits "
                + digits
                + " selects "
                + selected.length
                + " classes but the model in "
                + model
                + " has a head of "
                + m.numClasses()
                + " classes; pass --new-head "
                + selected.length
                + " to replace the head");
      }
      m.setClassNames(TrainingRun.classNames(selected));
      System.out.print(m.summary());

      MnistDataset data = MnistDataset.load(training.data);
      LabeledImages train = TrainingRun.trainingImages(data, selected, training);
      LabeledImages test = data.test().select(selected);
      TrainingRun.fitEvaluateSave(m, optimizer, train, test, training, output, overwrite, history);
    }
    return 0;
  }

  private void applyFreezing(Sequential m) {
    if (freeze != null && freezeUntil != null) {
      throw new InvalidInputException("use either --freeze or --freeze-until, not both");
    }
    try {
      if (freeze != null) {
        Freezing.freeze(m, freeze);
      } else {
        Freezing.freezeUntil(m, freezeUntil == null ? "flatten" : freezeUntil);
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }
}
