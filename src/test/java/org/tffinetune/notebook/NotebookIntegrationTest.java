package org.tffinetune.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.models.Sequential;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.saving.SavedModels;

/**
 * Runs the notebook's four phases on a real MNIST subset: pretrain, save, reload, freeze,
 * fine-tune, save. Needs the MNIST data (found or fetched as {@link MnistDataset#load} does).
 */
@Tag("integration")
class NotebookIntegrationTest {

  @Test
  void notebookPhasesOnRealMnist(@TempDir Path output) throws Exception {
    MnistDataset data = MnistDataset.load(null);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Notebook.Settings settings =
        new Notebook.Settings(
            2, 64, OptimizerSpec.of("adam"), 17L, 2000, output, false, true, 0, 0);
    List<Phase> phases =
        new Notebook(settings, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(data);

    assertEquals(4, phases.size());
    for (Phase phase : phases) {
      // Chance is 0.2 for five classes; 2,000 images and two epochs of Adam reach about 0.95.
      assertTrue(phase.test().accuracy() > 0.85, phase.label() + ": " + phase.test());
      assertTrue(Files.isRegularFile(phase.modelDir().resolve("saved_model.pb")));
      assertTrue(Files.isRegularFile(output.resolve("history").resolve(phase.slug() + ".json")));
    }
    assertTrue(Files.size(output.resolve("history").resolve("notebook.png")) > 10_000);
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("Non-trainable params: 9,568 (37.38 KB)"), text);
    assertTrue(text.contains("Test accuracy: "), text);
    assertTrue(text.contains("finetune 0-4"), text);

    // The fine-tuned model kept the pretrained features bit for bit.
    try (Sequential pretrained = SavedModels.load(phases.get(0).modelDir());
        Sequential finetuned = SavedModels.load(phases.get(1).modelDir())) {
      for (String key : List.of("conv2d/kernel", "conv2d/bias", "conv2d_1/kernel")) {
        assertArrayEquals(
            pretrained.getWeights().get(key).values(),
            finetuned.getWeights().get(key).values(),
            key);
      }
      assertEquals(List.of("0", "1", "2", "3", "4"), finetuned.classNames());

      // Reloaded predictions equal the saved model's evaluation on the same images.
      LabeledImages test = data.test().select(0, 1, 2, 3, 4).limit(300);
      float[][] first = finetuned.predict(test, 128);
      try (Sequential again = SavedModels.load(phases.get(1).modelDir())) {
        float[][] second = again.predict(test, 128);
        for (int i = 0; i < first.length; i++) {
          assertArrayEquals(first[i], second[i], "image " + i);
        }
      }
    }
  }
}
