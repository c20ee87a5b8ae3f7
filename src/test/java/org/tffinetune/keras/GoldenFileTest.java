package org.tffinetune.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.data.MnistFixtures;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Flatten;
import org.tffinetune.models.Sequential;

class GoldenFileTest {
  @TempDir Path dir;

  private LabeledImages testImages() throws IOException {
    return MnistDataset.load(MnistFixtures.writeIdxDirectory(dir.resolve("mnist"), false)).test();
  }

  private static Sequential tinyModel() {
    Sequential model = new Sequential("tiny", 28, 28, 1);
    model.setSeed(3);
    return model
        .add(new Flatten())
        .add(Dense.builder(3).activation(ActivationFunction.SOFTMAX).build());
  }

  @Test
  void writeThenReadReturnsTheSameArrays() throws IOException {
    LabeledImages test = testImages();
    GoldenFile golden;
    try (Sequential model = tinyModel()) {
      golden = GoldenFile.compute(model, test, 4);
    }
    Path file = dir.resolve("golden.npz");

    golden.write(file);
    GoldenFile read = GoldenFile.read(file);

    assertArrayEquals(new long[] {4, 28, 28, 1}, read.inputShape());
    assertArrayEquals(new long[] {4, 3}, read.outputShape());
    assertArrayEquals(golden.inputs(), read.inputs());
    assertArrayEquals(golden.outputs(), read.outputs());
    assertEquals(4, read.count());
    // Pixel p of image i is MnistFixtures.pixel(i, p) / 255.
    assertEquals(MnistFixtures.pixel(2, 100) / 255f, read.inputs()[2 * 784 + 100]);
  }

  @Test
  void outputsArePredictionsOfTheModel() throws IOException {
    LabeledImages test = testImages();
    try (Sequential model = tinyModel()) {
      GoldenFile golden = GoldenFile.compute(model, test, 2);

      float[][] expected = model.predict(golden.inputs(), 2);
      assertArrayEquals(expected[1], java.util.Arrays.copyOfRange(golden.outputs(), 3, 6));
    }
  }

  @Test
  void headerIsNumpyVersion1AlignedTo64Bytes() throws IOException {
    Path file = dir.resolve("golden.npz");
    try (Sequential model = tinyModel()) {
      GoldenFile.compute(model, testImages(), 5).write(file);
    }

    try (ZipFile zip = new ZipFile(file.toFile());
        InputStream in = zip.getInputStream(zip.getEntry("inputs.npy"))) {
      byte[] prefix = in.readNBytes(10);
      int headerLength =
          ByteBuffer.wrap(prefix, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
      String header = new String(in.readNBytes(headerLength), StandardCharsets.US_ASCII);
      assertEquals((byte) 0x93, prefix[0]);
      assertEquals("NUMPY", new String(prefix, 1, 5, StandardCharsets.US_ASCII));
      assertEquals(1, prefix[6]);
      assertEquals(0, (10 + headerLength) % 64);
      assertEquals(
          "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 28, 28, 1), }", header.strip());
      assertTrue(header.endsWith("\n"));
    }
  }

  @Test
  void countOutsideTheImagesIsRejected() throws IOException {
    LabeledImages test = testImages();
    try (Sequential model = tinyModel()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> GoldenFile.compute(model, test, 6));

      assertEquals("count must be between 1 and 5, got 6", e.getMessage());
    }
  }

  @Test
  void readRejectsOtherDtypes() throws IOException {
    Path file =
        MnistFixtures.writeZip(
            dir.resolve("uint8.npz"),
            Map.of(
                "inputs.npy", MnistFixtures.npy("|u1", new long[] {2}, new byte[] {1, 2}),
                "outputs.npy", MnistFixtures.npy("|u1", new long[] {2}, new byte[] {1, 2})));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> GoldenFile.read(file));

    assertTrue(
        e.getMessage().startsWith(file + "!inputs.npy must hold little-endian float32 values"),
        e.getMessage());
  }
}
