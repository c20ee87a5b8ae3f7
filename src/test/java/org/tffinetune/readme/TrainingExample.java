package org.tffinetune.readme;

import java.io.IOException;
import java.nio.file.Path;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.losses.Loss;
import org.tffinetune.models.Evaluation;
import org.tffinetune.models.FitOptions;
import org.tffinetune.models.Freezing;
import org.tffinetune.models.Sequential;
import org.tffinetune.notebook.NotebookModel;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.saving.SavedModels;

/** The README's library example, kept here so that a test compiles and runs it. */
public final class TrainingExample {
  private TrainingExample() {}

  /**
   * Pretrains on {@code source}, saves, reloads, freezes the features and fine-tunes on {@code
   * target}; returns the fine-tuned model's evaluation on {@code targetTest}.
   */
  public static Evaluation run(
      LabeledImages source, LabeledImages target, LabeledImages targetTest, Path models, int epochs)
      throws IOException {
    Path pretrained = models.resolve("pretrained-5-9");
    try (Sequential model = NotebookModel.build(5, 42)) {
      model.compile(OptimizerSpec.of("adadelta", 1.0f), Loss.CATEGORICAL_CROSSENTROPY);
      model.fit(source, FitOptions.builder().batchSize(128).epochs(epochs).build());
      SavedModels.save(model, pretrained, true);
    }
    try (Sequential model = SavedModels.load(pretrained)) {
      Freezing.freezeUntil(model, "flatten"); // sets trainable = false up to flatten
      System.out.print(model.summary());
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      model.fit(target, FitOptions.builder().batchSize(128).epochs(epochs).build());
      SavedModels.save(model, models.resolve("finetuned-0-4"), true);
      return model.evaluate(targetTest, 128);
    }
  }
}
