package org.tffinetune.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tffinetune.data.Digits;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.Evaluation;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.History;
import org.tffinetune.models.Sequential;
import org.tffinetune.notebook.NotebookModel;
import org.tffinetune.notebook.Phase;
import org.tffinetune.saving.SavedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains the notebook's network from scratch on chosen digits and saves it. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description = "Train the notebook's network from random weights on the chosen digits and"
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
    MnistDataset data = MnistDataset.load(training.data);
    LabeledImages train = data.train().select(selected);
    if (training.limit > 0 && training.limit < train.size()) {
      train = train.limit(training.limit);
    }
    LabeledImages test = data.test().select(selected);
    try (Sequential model = NotebookModel.build(selected.length, training.seedOrRandom())) {
      model.setThreads(training.intraOpThreads, training.interOpThreads);
      model.setClassNames(names(selected));
      System.out.print(model.summary());
      model.compile(optimizer, Loss.CATEGORICAL_CROSSENTROPY);
      History h =
          model.fit(
              train,
              FitOptions.builder()
                  .batchSize(training.batchSize)
                  .epochs(training.epochs)
                  .validationData(test)
                  .build());
      System.out.println("Training time: " + Phase.formatTimedelta(h.totalSeconds()));
      Evaluation score = model.evaluate(test, training.batchSize);
      System.out.println("Test score: " + score.loss());
      System.out.println("Test accuracy: " + score.accuracy());
      SavedModels.save(model, output, overwrite);
      if (history != null) {
        h.writeJson(history);
      }
      System.out.println("Saved: " + output.toAbsolutePath());
    }
    return 0;
  }

  static List<String> names(int[] digits) {
    List<String> names = new ArrayList<>();
    for (int d : digits) {
      names.add(Integer.toString(d));
    }
    return names;
  }
}
