package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tffinetune.cli.CliRun.assertInvalid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainCommandTest {
  @TempDir Path dir;

  @Test
  void unknownOptimizerExitsTwo() {
    CliRun run = pretrain("--optimizer", "adagrad");

    assertInvalid(run, "unknown optimizer 'adagrad'");
    assertTrue(run.err().contains("supported: [adadelta, adam, rmsprop, sgd]"), run.toString());
  }

  @Test
  void zeroEpochsExitsTwo() {
    assertInvalid(pretrain("--epochs", "0"), "--epochs must be positive, got 0");
  }

  @Test
  void negativeBatchSizeExitsTwo() {
    assertInvalid(pretrain("--batch-size", "-1"), "--batch-size must be positive, got -1");
  }

  @Test
  void negativeLimitExitsTwo() {
    assertInvalid(pretrain("--limit", "-5"), "--limit must be 0 (all) or positive, got -5");
  }

  @Test
  void negativeThreadCountExitsTwo() {
    assertInvalid(pretrain("--intra-op-threads", "-2"), "must be 0 or more, got -2");
  }

  @Test
  void zeroLearningRateExitsTwo() {
    assertInvalid(
        pretrain("--learning-rate", "0"),
        "--learning-rate must be a positive finite number, got 0.0");
  }

  @Test
  void malformedDigitsExitsTwo() {
    assertInvalid(
        pretrain("--digits", "5-x"),
        "invalid digit selection '5-x': '5-x' is not a digit or a range like 5-9");
  }

  @Test
  void descendingDigitsExitsTwo() {
    assertInvalid(pretrain("--digits", "9-5"), "must lie within 0-9, low to high");
  }

  @Test
  void repeatedDigitExitsTwo() {
    assertInvalid(pretrain("--digits", "1,2,1"), "digit 1 is listed twice");
  }

  @Test
  void existingOutputExitsTwoWithoutOverwrite() throws IOException {
    Path existing = Files.createDirectories(dir.resolve("model"));
    Path marker = Files.writeString(existing.resolve("keep.txt"), "earlier model");

    CliRun run = CliRun.execute("pretrain", "--output", existing.toString());

    assertInvalid(run, existing + " already exists; pass --overwrite");
    assertEquals("earlier model", Files.readString(marker));
  }

  @Test
  void outputFileRejectedBeforeTraining() throws IOException {
    Path data = CliRun.writeDigits(dir.resolve("data"), 100, 20);
    Path existing = Files.writeString(dir.resolve("model"), "not a model");

    CliRun run =
        CliRun.execute(
            "pretrain",
            "--data",
            data.toString(),
            "--limit",
            "20",
            "--epochs",
            "1",
            "--batch-size",
            "10",
            "--seed",
            "1",
            "--output",
            existing.toString(),
            "--overwrite");

    assertInvalid(run, "is not a folder");
    assertFalse(run.out().contains("Training time"), run.toString());
    assertEquals("not a model", Files.readString(existing));
  }

  @Test
  void missingDataExitsTwo() {
    Path missing = dir.resolve("no-data");

    CliRun run = pretrain("--data", missing.toString());

    assertInvalid(run, missing + " does not exist");
  }

  /** Runs pretrain with an output in the temporary folder and the given arguments after it. */
  private CliRun pretrain(String... args) {
    String[] full = new String[args.length + 3];
    full[0] = "pretrain";
    full[1] = "--output";
    full[2] = dir.resolve("out").toString();
    System.arraycopy(args, 0, full, 3, args.length);
    return CliRun.execute(full);
  }
}
