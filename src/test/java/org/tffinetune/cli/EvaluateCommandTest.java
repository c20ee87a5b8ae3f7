package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tffinetune.cli.CliRun.assertInvalid;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @TempDir Path dir;

  @Test
  void missingModelExitsTwo() {
    Path missing = dir.resolve("absent");

    CliRun run = CliRun.execute("evaluate", "--model", missing.toString(), "--digits", "0-4");

    assertInvalid(run, "model folder " + missing + " does not exist");
  }

  @Test
  void digitCountDifferentFromModelExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run = CliRun.execute("evaluate", "--model", model.toString(), "--digits", "0-2");

    assertInvalid(run, "--digits 0-2 selects 3 classes");
    assertInvalid(run, "has 5 classes");
  }

  @Test
  void zeroBatchSizeExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run =
        CliRun.execute(
            "evaluate", "--model", model.toString(), "--digits", "0-4", "--batch-size", "0");

    assertInvalid(run, "--batch-size must be positive, got 0");
  }

  @Test
  void malformedDigitsExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run = CliRun.execute("evaluate", "--model", model.toString(), "--digits", "0-4,x");

    assertInvalid(run, "'x' is not a digit or a range like 5-9");
  }

  @Test
  void missingDigitsOptionExitsTwo() {
    CliRun run = CliRun.execute("evaluate", "--model", dir.toString());

    assertEquals(2, run.status(), run.toString());
    assertTrue(run.err().contains("Missing required option: '--digits=<digits>'"), run.toString());
  }
}
