package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistFixtures;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Flatten;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.SavedModels;
import org.tffinetune.testing.SyntheticDigits;

/** The status and output of one CLI run, with helpers that write the data and models it reads. */
record CliRun(int status, String out, String err) {
  /** Magic number of an IDX file of unsigned-byte images, 3 dimensions. */
  private static final int IMAGES_MAGIC = 0x0803;

  /** Magic number of an IDX file of unsigned-byte labels, 1 dimension. */
  private static final int LABELS_MAGIC = 0x0801;

  /** Runs {@code Main.execute(args)} and returns its status and everything it printed. */
  static CliRun execute(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    int status;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      status = Main.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new CliRun(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Writes the four MNIST IDX files into {@code dir}, with {@code train} training images from
   * {@code SyntheticDigits.create(train, 1)} and {@code test} test images from {@code
   * SyntheticDigits.create(test, 2)}.
   */
  static Path writeDigits(Path dir, int train, int test) throws IOException {
    Files.createDirectories(dir);
    writeSplit(dir, "train", SyntheticDigits.create(train, 1));
    writeSplit(dir, "t10k", SyntheticDigits.create(test, 2));
    return dir;
  }

  private static void writeSplit(Path dir, String prefix, LabeledImages images) throws IOException {
    byte[] pixels = new byte[images.size() * LabeledImages.IMAGE_PIXELS];
    images.pixelBuffer().get(pixels);
    byte[] labels = new byte[images.size()];
    images.labelBuffer().get(labels);
    Files.write(
        dir.resolve(prefix + "-images-idx3-ubyte"),
        MnistFixtures.idxImages(IMAGES_MAGIC, images.size(), 28, 28, pixels));
    Files.write(
        dir.resolve(prefix + "-labels-idx1-ubyte"),
        MnistFixtures.idxLabels(LABELS_MAGIC, images.size(), labels));
  }

  /** Saves Conv2D(2, 3) relu, Flatten and Dense(classes) softmax as a SavedModel in {@code dir}. */
  static Path saveSmallModel(Path dir, int classes) throws IOException {
    try (Sequential model = new Sequential(28, 28, 1)) {
      model.setSeed(3);
      model
          .add(Conv2D.builder(2, 3).activation(ActivationFunction.RELU).build())
          .add(new Flatten())
          .add(Dense.builder(classes).activation(ActivationFunction.SOFTMAX).build());
      SavedModels.save(model, dir, false);
    }
    return dir;
  }

  /**
   * Checks that {@code run} exited with status 2 and printed an {@code error:} line that contains
   * {@code fragment}, without a stack trace.
   */
  static void assertInvalid(CliRun run, String fragment) {
    assertEquals(2, run.status(), run.toString());
    String error =
        run.err().lines().filter(line -> line.startsWith("error: ")).findFirst().orElse(null);
    assertNotNull(error, run.toString());
    assertTrue(error.contains(fragment), run.toString());
    assertFalse(run.err().contains("\tat "), run.toString());
  }

  @Override
  public String toString() {
    return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
