package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.Weight;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.ModelConfig;
import org.tffinetune.saving.SavedModels;
import org.tffinetune.testing.SyntheticDigits;

/** Pretrains, fine-tunes and evaluates the notebook's network on a small IDX data folder. */
class TrainingCommandsTest {
  private static final int TEST_IMAGES = 50;

  @TempDir Path dir;

  @Test
  void pretrainFinetuneEvaluate() throws IOException {
    Path data = CliRun.writeDigits(dir.resolve("data"), 200, TEST_IMAGES);
    Path pretrained = dir.resolve("pretrained");
    Path finetuned = dir.resolve("finetuned");

    CliRun pretrain =
        CliRun.execute(
            "pretrain",
            "--data",
            data.toString(),
            "--limit",
            "50",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--seed",
            "1",
            "--digits",
            "5-9",
            "--output",
            pretrained.toString());

    assertEquals(0, pretrain.status(), pretrain.toString());
    assertSavedModel(pretrained);
    assertTrue(pretrain.out().contains("Saved: " + pretrained), pretrain.toString());

    CliRun finetune =
        CliRun.execute(
            "finetune",
            "--model",
            pretrained.toString(),
            "--data",
            data.toString(),
            "--limit",
            "50",
            "--epochs",
            "1",
            "--batch-size",
            "16",
            "--seed",
            "2",
            "--digits",
            "0-4",
            "--output",
            finetuned.toString());

    assertEquals(0, finetune.status(), finetune.toString());
    assertSavedModel(finetuned);
    assertFineTuning(pretrained, finetuned);

    CliRun evaluate =
        CliRun.execute(
            "evaluate",
            "--model",
            finetuned.toString(),
            "--data",
            data.toString(),
            "--digits",
            "0-4",
            "--batch-size",
            "16");

    assertEquals(0, evaluate.status(), evaluate.toString());
    assertTrue(evaluate.out().contains("25 test samples"), evaluate.toString());
    assertScoresMatchPredictions(finetuned, evaluate.out());
  }

  private static void assertSavedModel(Path model) {
    assertTrue(Files.isRegularFile(model.resolve("saved_model.pb")), model + "/saved_model.pb");
    assertTrue(
        Files.isRegularFile(model.resolve("variables").resolve("variables.index")),
        model + "/variables/variables.index");
    assertTrue(
        Files.isRegularFile(model.resolve("assets").resolve(ModelConfig.FILE_NAME)),
        model + "/assets/" + ModelConfig.FILE_NAME);
  }

  /** Checks that fine-tuning kept the frozen feature layers and trained the head. */
  private static void assertFineTuning(Path pretrained, Path finetuned) {
    try (Sequential before = SavedModels.load(pretrained);
        Sequential after = SavedModels.load(finetuned)) {
      Map<String, Weight> beforeWeights = before.getWeights();
      Map<String, Weight> afterWeights = after.getWeights();
      for (String frozen : List.of("conv2d/kernel", "conv2d/bias", "conv2d_1/kernel")) {
        assertArrayEquals(
            beforeWeights.get(frozen).values(), afterWeights.get(frozen).values(), frozen);
      }
      assertNotEquals(beforeWeights.get("dense_1/kernel"), afterWeights.get("dense_1/kernel"));
      assertFalse(after.getLayer("conv2d").isTrainable());
      assertFalse(after.getLayer("flatten").isTrainable());
      assertTrue(after.getLayer("dense").isTrainable());
      assertEquals(List.of("5", "6", "7", "8", "9"), before.classNames());
      assertEquals(List.of("0", "1", "2", "3", "4"), after.classNames());
    }
  }

  /**
   * Recomputes the printed test score (mean cross-entropy) and accuracy from the saved model's
   * predictions on the same test images.
   */
  private static void assertScoresMatchPredictions(Path model, String output) {
    // The same images as the test split that CliRun.writeDigits wrote.
    LabeledImages test = SyntheticDigits.create(TEST_IMAGES, 2).select(0, 1, 2, 3, 4);
    float[][] probabilities;
    try (Sequential loaded = SavedModels.load(model)) {
      probabilities = loaded.predict(test, 16);
    }
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      loss -= Math.log(probabilities[i][test.label(i)]);
      int predicted = 0;
      for (int c = 1; c < probabilities[i].length; c++) {
        if (probabilities[i][c] > probabilities[i][predicted]) {
          predicted = c;
        }
      }
      if (predicted == test.label(i)) {
        correct++;
      }
    }
    assertEquals(loss / test.size(), printed(output, "Test score"), 1e-4, output);
    assertEquals(correct / (double) test.size(), printed(output, "Test accuracy"), 1e-9, output);
  }

  private static double printed(String output, String label) {
    Matcher m = Pattern.compile(label + ": (\\S+)").matcher(output);
    assertTrue(m.find(), label + " missing from\n" + output);
    return Double.parseDouble(m.group(1));
  }
}
