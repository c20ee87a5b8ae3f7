package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tffinetune.cli.CliRun.assertInvalid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.saving.ModelConfig;

class SummaryCommandTest {
  @TempDir Path dir;

  @Test
  void notebookSummaryWithoutModel() {
    CliRun run = CliRun.execute("summary");

    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().contains("Total params: 600,165"), run.toString());
  }

  @Test
  void savedModelSummaryWithFreezing() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run =
        CliRun.execute("summary", "--model", model.toString(), "--freeze-until", "flatten");

    // conv2d has 3 * 3 * 2 + 2 = 20 parameters, dense 26 * 26 * 2 * 5 + 5 = 6,765.
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().contains("Total params: 6,785"), run.toString());
    assertTrue(run.out().contains("Trainable params: 6,765"), run.toString());
    assertTrue(run.out().contains("Non-trainable params: 20"), run.toString());
  }

  @Test
  void missingModelExitsTwo() {
    Path missing = dir.resolve("absent");

    CliRun run = CliRun.execute("summary", "--model", missing.toString());

    assertInvalid(run, "model folder " + missing + " does not exist");
  }

  @Test
  void unknownActivationInModelExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);
    Path config = model.resolve("assets").resolve(ModelConfig.FILE_NAME);
    String json = Files.readString(config);
    assertTrue(json.contains("\"activation\" : \"relu\""), json);
    Files.writeString(
        config, json.replace("\"activation\" : \"relu\"", "\"activation\" : \"swish\""));

    CliRun run = CliRun.execute("summary", "--model", model.toString());

    assertInvalid(run, "layer 'conv2d' (Conv2D) has an invalid config");
    assertInvalid(run, "unknown activation 'swish'");
  }

  @Test
  void unknownFreezeLayerExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run = CliRun.execute("summary", "--model", model.toString(), "--freeze-until", "top");

    assertInvalid(run, "has no layer named 'top'");
  }
}
