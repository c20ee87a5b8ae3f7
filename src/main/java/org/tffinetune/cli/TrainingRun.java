package org.tffinetune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.Evaluation;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.History;
import org.tffinetune.models.Sequential;
import org.tffinetune.notebook.Phase;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.saving.SavedModels;

/**
 * The part that {@code pretrain} and {@code finetune} share: train on the chosen digits with the
 * test digits as validation data, print what the Keras notebook prints, and save the model.
 */
final class TrainingRun {
  private TrainingRun() {}

  /** Returns the training images of {@code digits}, cut to {@code --limit} when it is set. */
  static LabeledImages trainingImages(MnistDataset data, int[] digits, TrainingOptions training) {
    LabeledImages train = data.train().select(digits);
    if (training.limit > 0 && training.limit < train.size()) {
      train = train.limit(training.limit);
    }
    return train;
  }

  /** Compiles, fits, evaluates and saves {@code model}, printing the notebook's lines. */
  static void fitEvaluateSave(
      Sequential model,
      OptimizerSpec optimizer,
      LabeledImages train,
      LabeledImages test,
      TrainingOptions training,
      Path output,
      boolean overwrite,
      Path history)
      throws IOException {
    model.compile(optimizer, Loss.CATEGORICAL_CROSSENTROPY);
    History h =
        model.fit(
            train,
            FitOptions.builder()
                .batchSize(training.batchSize)
                .epochs(training.epochs)
                .validationData(test)
                .cacheFrozenFeatures(!training.noCache)
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

  /** Rejects a digit selection of fewer than two classes, which a softmax cannot learn from. */
  static void requireTwoClasses(int[] selected, String text) {
    if (selected.length < 2) {
      throw new InvalidInputException(
          "--digits "
              + text
              + " selects "
              + selected.length
              + " class; a classifier needs at least two, such as 0-4");
    }
  }

  /** Returns the digits as class names, such as {@code ["5", "6", "7", "8", "9"]}. */
  static List<String> classNames(int[] digits) {
    List<String> names = new ArrayList<>();
    for (int d : digits) {
      names.add(Integer.toString(d));
    }
    return names;
  }
}
