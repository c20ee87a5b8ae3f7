package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Flatten;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.SavedModels;

class InspectCommandTest {
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

  private static Path fixture(String name) {
    String root = System.getProperty("tffinetune.fixtures");
    assumeTrue(root != null, "system property tffinetune.fixtures is not set; skipping " + name);
    Path path = Path.of(root, name);
    assumeTrue(Files.exists(path), "fixture " + path + " is absent; skipping the test");
    return path;
  }

  private String run(String... args) {
    int status = Main.execute(args);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void keras2SavedModelIsTrainable() {
    String stdout = run("inspect", fixture("keras2-savedmodel-cnn").toString());

    assertTrue(stdout.contains("Format: tf.keras (Keras 2) SavedModel"), stdout);
    assertTrue(stdout.contains("Keras version: 2.11.0"), stdout);
    assertTrue(stdout.contains("  serving_default (tensorflow/serving/predict)\n"), stdout);
    assertTrue(stdout.contains("    input  conv2d_input: DT_FLOAT [-1, 28, 28, 1]\n"), stdout);
    assertTrue(stdout.contains("    output dense_1: DT_FLOAT [-1, 10]\n"), stdout);
    assertTrue(stdout.contains("  conv2d/kernel DT_FLOAT [3, 3, 1, 32]\n"), stdout);
    assertTrue(
        stdout.matches("(?s).*\\n  dense_1 +Dense +\\(None, 10\\) +1,290 true\\n.*"), stdout);
    assertTrue(stdout.contains("Can be fine-tuned: yes"), stdout);
  }

  @Test
  void kerasArchiveListsWeightsAndLayers() {
    String stdout = run("inspect", fixture("keras3-archive-cnn/mnist.keras").toString());

    assertTrue(stdout.contains("Format: Keras 3 .keras archive"), stdout);
    assertTrue(stdout.contains("Keras version: 3.4.1"), stdout);
    assertTrue(stdout.contains("Signatures: none"), stdout);
    assertTrue(stdout.contains("  /layers/conv2d/vars/0 float32 [5, 5, 1, 32]\n"), stdout);
    assertTrue(stdout.contains("Keras layers: 10 (model 'sequential', input (None, 28, 28, 1))"));
    assertTrue(stdout.contains("Can be fine-tuned: yes"), stdout);
  }

  @Test
  void exportWithoutConfigSaysWhyNotTrainable() {
    String stdout = run("inspect", fixture("keras3-export-cnn").toString());

    assertTrue(stdout.contains("Format: SavedModel without a Keras model config"), stdout);
    assertTrue(stdout.contains("    input  keras_tensor: DT_FLOAT [-1, 28, 28, 1]\n"), stdout);
    assertTrue(stdout.contains("    output output_0: DT_FLOAT [-1, 10]\n"), stdout);
    assertTrue(stdout.contains("  sequential/dense/kernel DT_FLOAT [1600, 100]\n"), stdout);
    assertTrue(stdout.contains("Keras layers: unknown"), stdout);
    assertTrue(stdout.contains("Can be fine-tuned: no. "), stdout);
    assertTrue(stdout.contains("its layers cannot be rebuilt for training"), stdout);
  }

  @Test
  void ownSavedModelShowsSignatureAndVariables() throws IOException {
    Path saved = dir.resolve("own");
    Sequential model = new Sequential("own", 2, 2, 1).add(new Flatten()).add(Dense.of(3));
    SavedModels.save(model, saved, false);

    String stdout = run("inspect", saved.toString());

    assertTrue(stdout.contains("Format: tf-finetune SavedModel"), stdout);
    assertTrue(stdout.contains("    input  input: DT_FLOAT [-1, 2, 2, 1]\n"), stdout);
    assertTrue(stdout.contains("    output probabilities: DT_FLOAT [-1, 3]\n"), stdout);
    assertTrue(stdout.contains("  dense/kernel DT_FLOAT [4, 3]\n"), stdout);
    assertTrue(stdout.contains("Can be fine-tuned: yes"), stdout);
  }

  @Test
  void missingPathExitsWithStatus2() {
    Path missing = dir.resolve("absent");

    int status = Main.execute("inspect", missing.toString());

    assertEquals(2, status);
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains("error: model path " + missing + " does not exist"));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }
}
