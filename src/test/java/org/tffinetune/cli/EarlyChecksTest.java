package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that bad output paths and options fail before any training, with one error line. */
class EarlyChecksTest {
  @TempDir Path dir;

  @Test
  void existingHistoryRejectedBeforeTraining() throws IOException {
    Path history = Files.writeString(dir.resolve("history.json"), "earlier");
    CliRun run =
        CliRun.execute(
            "pretrain",
            "--output",
            dir.resolve("model").toString(),
            "--history",
            history.toString(),
            "--data",
            dir.resolve("no-data").toString());
    CliRun.assertInvalid(run, "--history " + history + " already exists");
    assertEquals("earlier", Files.readString(history));
  }

  @Test
  void historyUnderFileRejected() throws IOException {
    Path file = Files.writeString(dir.resolve("afile"), "x");
    CliRun run =
        CliRun.execute(
            "pretrain",
            "--output",
            dir.resolve("model").toString(),
            "--history",
            file.resolve("h.json").toString());
    CliRun.assertInvalid(run, "is a file, not a folder");
  }

  @Test
  void singleDigitRejected() {
    CliRun run =
        CliRun.execute("pretrain", "--output", dir.resolve("model").toString(), "--digits", "5");
    CliRun.assertInvalid(run, "a classifier needs at least two");
  }

  @Test
  void notebookChecksModelFoldersFirst() throws IOException {
    Path existing = Files.createDirectories(dir.resolve("finetuned-5-9"));
    CliRun run =
        CliRun.execute(
            "notebook",
            "--output",
            dir.toString(),
            "--seed",
            "1",
            "--data",
            dir.resolve("no-data").toString());
    // The model-folder check comes before MNIST is loaded, so the missing data is never reached.
    CliRun.assertInvalid(run, existing + " already exists; pass --overwrite");
  }

  @Test
  void newHeadBelowTwoRejected() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("model"), 5);
    CliRun run =
        CliRun.execute(
            "finetune",
            "--model",
            model.toString(),
            "--new-head",
            "0",
            "--output",
            dir.resolve("out").toString());
    CliRun.assertInvalid(run, "--new-head must be at least 2 classes, got 0");
  }

  @Test
  void predictRejectsModelWithoutVariables() throws IOException {
    Path model = CliRun.saveSmallModel(dir.resolve("model"), 5);
    try (Stream<Path> files = Files.walk(model.resolve("variables"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Path image = dir.resolve("digit.png");
    java.awt.image.BufferedImage picture =
        new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    javax.imageio.ImageIO.write(picture, "png", image.toFile());
    CliRun run = CliRun.execute("predict", "--model", model.toString(), image.toString());
    CliRun.assertInvalid(run, "cannot run its signature");
  }

  @Test
  void predictPrintsStoredClassNames() throws IOException {
    Path model = dir.resolve("model");
    try (org.tffinetune.models.Sequential digits =
        org.tffinetune.notebook.NotebookModel.build(5, 1)) {
      digits.setClassNames(java.util.List.of("5", "6", "7", "8", "9"));
      org.tffinetune.saving.SavedModels.save(digits, model, false);
    }
    Path image = dir.resolve("digit.png");
    java.awt.image.BufferedImage picture =
        new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    javax.imageio.ImageIO.write(picture, "png", image.toFile());
    CliRun run =
        CliRun.execute("predict", "--model", model.toString(), "--top-k", "5", image.toString());
    assertEquals(0, run.status(), run.toString());
    // The model stores the digits 5-9 as its class names, so no index 0-4 may appear as a label.
    assertTrue(run.out().matches("(?s).*digit\\.png: [5-9] \\(0\\.\\d{4}\\), [5-9] .*"), run.out());
  }

  @Test
  void subcommandVersionPrinted() {
    CliRun run = CliRun.execute("pretrain", "--version");
    assertEquals(0, run.status(), run.toString());
    assertTrue(run.out().contains("tf-finetune"), run.out());
  }

  @Test
  void parseErrorIsOneErrorLine() {
    CliRun run = CliRun.execute("pretrain", "--epochs", "abc");
    CliRun.assertInvalid(run, "--epochs");
    assertFalse(run.err().contains("Usage:"), run.err());
  }
}
