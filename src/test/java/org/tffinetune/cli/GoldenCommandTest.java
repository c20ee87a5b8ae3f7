package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.data.MnistFixtures;
import org.tffinetune.keras.GoldenFile;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Flatten;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.SavedModels;

class GoldenCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void captureOutput() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreOutput() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private Path saveModel(String name, long... inputShape) throws IOException {
    Sequential model = new Sequential(name, inputShape);
    model.setSeed(4);
    model.add(new Flatten()).add(Dense.builder(3).activation(ActivationFunction.SOFTMAX).build());
    Path saved = dir.resolve(name);
    SavedModels.save(model, saved, false);
    return saved;
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesImagesAndModelOutputs() throws IOException {
    Path model = saveModel("digits", 28, 28, 1);
    Path data = MnistFixtures.writeIdxDirectory(dir.resolve("mnist"), false);
    Path output = dir.resolve("golden.npz");

    int status =
        Main.execute(
            "golden",
            "--model",
            model.toString(),
            "--output",
            output.toString(),
            "--data",
            data.toString(),
            "--count",
            "3");

    assertEquals(0, status, stderr());
    GoldenFile golden = GoldenFile.read(output);
    assertArrayEquals(new long[] {3, 28, 28, 1}, golden.inputShape());
    assertArrayEquals(new long[] {3, 3}, golden.outputShape());
    try (Sequential loaded = SavedModels.load(model)) {
      float[][] expected = loaded.predict(golden.inputs(), 3);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(
            expected[i], java.util.Arrays.copyOfRange(golden.outputs(), 3 * i, 3 * i + 3));
      }
    }
    assertTrue(
        out.toString(StandardCharsets.UTF_8)
            .contains("Wrote 3 test images and outputs of shape [3, 3] to " + output));
  }

  @Test
  void modelWithoutImageInputWritesNothing() throws IOException {
    Path model = saveModel("tabular", 10);
    Path data = MnistFixtures.writeIdxDirectory(dir.resolve("mnist"), false);
    Path output = dir.resolve("golden.npz");

    int status =
        Main.execute(
            "golden",
            "--model",
            model.toString(),
            "--output",
            output.toString(),
            "--data",
            data.toString());

    assertEquals(2, status);
    assertTrue(
        stderr()
            .contains(
                "error: golden feeds 28x28 grayscale images, shape (None, 28, 28, 1),"
                    + " but the model "
                    + model
                    + " takes input (None, 10)"),
        stderr());
    assertFalse(Files.exists(output));
  }

  @Test
  void outputOtherThanNpzIsRejected() {
    Path output = dir.resolve("golden.json");

    int status = Main.execute("golden", "--model", "unused", "--output", output.toString());

    assertEquals(2, status);
    assertTrue(stderr().contains("must name an .npz file"), stderr());
    assertFalse(Files.exists(output));
  }

  @Test
  void existingOutputIsKeptWithoutOverwrite() throws IOException {
    Path output = Files.writeString(dir.resolve("golden.npz"), "old");

    int status = Main.execute("golden", "--model", "unused", "--output", output.toString());

    assertEquals(2, status);
    assertTrue(stderr().contains(output + " already exists; pass --overwrite"), stderr());
    assertEquals("old", Files.readString(output));
  }

  @Test
  void countAboveTestImagesWritesNothing() throws IOException {
    Path model = saveModel("digits", 28, 28, 1);
    Path data = MnistFixtures.writeIdxDirectory(dir.resolve("mnist"), false);
    Path output = dir.resolve("golden.npz");

    int status =
        Main.execute(
            "golden",
            "--model",
            model.toString(),
            "--output",
            output.toString(),
            "--data",
            data.toString(),
            "--count",
            "6");

    assertEquals(2, status);
    assertTrue(stderr().contains("--count 6 exceeds the 5 MNIST test images"), stderr());
    assertFalse(Files.exists(output));
  }
}
