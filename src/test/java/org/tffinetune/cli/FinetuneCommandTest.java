package org.tffinetune.cli;

import static org.tffinetune.cli.CliRun.assertInvalid;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinetuneCommandTest {
  @TempDir Path dir;

  @Test
  void missingModelExitsTwo() {
    Path missing = dir.resolve("absent");

    CliRun run = finetune("--model", missing.toString());

    assertInvalid(run, missing + " does not exist");
  }

  @Test
  void digitCountDifferentFromHeadExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run = finetune("--model", model.toString(), "--digits", "0-2");

    assertInvalid(run, "--digits 0-2 selects 3 classes");
    assertInvalid(run, "has a head of 5 classes");
  }

  @Test
  void unknownFreezeLayerExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run = finetune("--model", model.toString(), "--freeze-until", "conv9");

    assertInvalid(run, "has no layer named 'conv9'");
    assertInvalid(run, "layers: [conv2d, flatten, dense]");
  }

  @Test
  void freezeAndFreezeUntilTogetherExitTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run =
        finetune("--model", model.toString(), "--freeze", "conv2d", "--freeze-until", "flatten");

    assertInvalid(run, "use either --freeze or --freeze-until, not both");
  }

  @Test
  void unknownOptimizerExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    CliRun run = finetune("--model", model.toString(), "--optimizer", "nadam");

    assertInvalid(run, "unknown optimizer 'nadam'");
  }

  @Test
  void zeroEpochsExitsTwo() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("five"), 5);

    assertInvalid(
        finetune("--model", model.toString(), "--epochs", "0"), "--epochs must be positive");
  }

  /** Runs finetune with an output in the temporary folder and the given arguments after it. */
  private CliRun finetune(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "finetune";
    full[1] = "--output";
    full[2] = dir.resolve("out").toString();
    System.arraycopy(args, 0, full, 3, args.length);
    return CliRun.execute(full);
  }
}
