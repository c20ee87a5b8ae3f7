package org.tffinetune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.Digits;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.Evaluation;
import org.tffinetune.models.Sequential;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.saving.SavedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a saved model's loss and accuracy on the test images of chosen digits. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Print a SavedModel's test score (loss) and accuracy on the chosen digits.")
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "SavedModel folder.")
  Path model;

  @Option(
      names = "--digits",
      required = true,
      description = "Digits the model's classes stand for, in order, such as 0-4.")
  String digits;

  @Option(
      names = "--batch-size",
      defaultValue = "128",
      description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--data", description = "MNIST location, as for the notebook command.")
  Path data;

  @Override
  public Integer call() throws Exception {
    int[] selected = Digits.parse(digits);
    if (batchSize <= 0) {
      throw new InvalidInputException("--batch-size must be positive, got " + batchSize);
    }
    try (Sequential m = SavedModels.load(model)) {
      if (m.numClasses() != selected.length) {
        throw new InvalidInputException(
            "--digits "
                + digits
                + " selects "
                + selected.length
                + " classes but the model in "
                + model
                + " has "
                + m.numClasses()
                + " classes");
      }
      LabeledImages test = MnistDataset.load(data).test().select(selected);
      m.compile(OptimizerSpec.of("sgd"), Loss.CATEGORICAL_CROSSENTROPY);
      Evaluation score = m.evaluate(test, batchSize);
      System.out.println(test.size() + " test samples");
      System.out.println("Test score: " + score.loss());
      System.out.println("Test accuracy: " + score.accuracy());
    }
    return 0;
  }
}
