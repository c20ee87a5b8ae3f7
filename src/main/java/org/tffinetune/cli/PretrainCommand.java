package org.tffinetune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tffinetune.data.Digits;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.models.Sequential;
import org.tffinetune.notebook.NotebookModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains the notebook's network from scratch on chosen digits and saves it. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description =
        "Train the notebook's network from random weights on the chosen digits and"
            + " save it as a SavedModel.")
final class PretrainCommand implements Callable<Integer> {
  @Mixin TrainingOptions training;

  @Option(
      names = "--digits",
      defaultValue = "5-9",
      description = "Digits to train on, such as 5-9 or 0,1,2 (default: ${DEFAULT-VALUE}).")
  String digits;

  @Option(
      names = "--output",
      defaultValue = "models/pretrained-5-9",
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
    MnistDataset data = MnistDataset.load(training.data);
    LabeledImages train = TrainingRun.trainingImages(data, selected, training);
    LabeledImages test = data.test().select(selected);
    try (Sequential model = NotebookModel.build(selected.length, training.seedOrRandom())) {
      model.setThreads(training.intraOpThreads, training.interOpThreads);
      model.setClassNames(TrainingRun.classNames(selected));
      System.out.print(model.summary());
      TrainingRun.fitEvaluateSave(
          model, optimizer, train, test, training, output, overwrite, history);
    }
    return 0;
  }
}
