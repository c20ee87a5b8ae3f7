package org.tffinetune.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.models.Evaluation;
import org.tffinetune.testing.SyntheticDigits;

class TrainingExampleTest {

  @Test
  void readmeExampleRuns(@TempDir Path models) throws Exception {
    Evaluation eval =
        TrainingExample.run(
            SyntheticDigits.create(400, 1).select(5, 6, 7, 8, 9),
            SyntheticDigits.create(400, 2).select(0, 1, 2, 3, 4),
            SyntheticDigits.create(200, 3).select(0, 1, 2, 3, 4),
            models,
            2);
    assertTrue(Files.isRegularFile(models.resolve("finetuned-0-4").resolve("saved_model.pb")));
    // Synthetic digits differ by the position of one bright block, so the frozen features of
    // the 5-9 model separate 0-4 as well; chance is 0.2.
    assertTrue(eval.accuracy() > 0.8, "accuracy " + eval.accuracy());
  }
}
