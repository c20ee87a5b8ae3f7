package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class NpzReaderTest {
  @TempDir Path dir;

  @Test
  void readUint8Labels() throws IOException {
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), MnistFixtures.npzEntries());

    MnistDataset dataset = NpzReader.read(npz);

    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
    assertEquals(MnistFixtures.TEST_LABELS.length, dataset.test().size());
    assertArrayEquals(new int[] {1, 2, 1, 2, 1, 3, 1, 1, 1, 1}, dataset.train().countsPerClass());
    float[] image = new float[LabeledImages.IMAGE_PIXELS];
    dataset.train().fillImages(null, 7, 1, image);
    assertEquals(MnistFixtures.pixel(7, 29) / 255f, image[29]);
    assertEquals("Keras npz " + npz, dataset.source());
  }

  @Test
  void readInt64Labels() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("y_test.npy", int64Labels(MnistFixtures.TEST_LABELS));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    MnistDataset dataset = NpzReader.read(npz);

    for (int i = 0; i < MnistFixtures.TEST_LABELS.length; i++) {
      assertEquals(MnistFixtures.TEST_LABELS[i], dataset.test().label(i));
    }
  }

  @Test
  void rejectMissingArray() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.remove("y_test.npy");
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        npz + ": missing array y_test.npy; expected x_train, y_train, x_test, y_test",
        e.getMessage());
  }

  @Test
  void rejectFloatImages() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("x_train.npy", MnistFixtures.npy("<f4", new long[] {1, 28, 28}, new byte[3136]));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        "entry x_train.npy of " + npz + ": dtype must be '|u1' (uint8), found '<f4'",
        e.getMessage());
  }

  @Test
  void rejectInt64Images() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("x_test.npy", MnistFixtures.npy("<i8", new long[] {1, 28, 28}, new byte[6272]));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertTrue(e.getMessage().contains("dtype must be '|u1' (uint8)"), e.getMessage());
  }

  @Test
  void rejectFloatLabels() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("y_train.npy", MnistFixtures.npy("<f8", new long[] {14}, new byte[112]));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        "entry y_train.npy of "
            + npz
            + ": dtype must be '|u1' (uint8) or '<i8' (int64), found '<f8'",
        e.getMessage());
  }

  @Test
  void rejectFlatImageShape() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("x_test.npy", MnistFixtures.npy("|u1", new long[] {5, 784}, new byte[3920]));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        "entry x_test.npy of " + npz + ": shape must be (n, 28, 28), found (5, 784)",
        e.getMessage());
  }

  @Test
  void rejectTwoDimensionalLabels() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("y_test.npy", MnistFixtures.npy("|u1", new long[] {5, 1}, new byte[5]));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        "entry y_test.npy of " + npz + ": shape must be (n,), found (5, 1)", e.getMessage());
  }

  @Test
  void rejectFortranOrder() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put(
        "x_train.npy", MnistFixtures.npy(1, "|u1", true, "(14, 28, 28)", MnistFixtures.pixels(14)));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        "entry x_train.npy of "
            + npz
            + ": array must be in C order (fortran_order False), found fortran_order True",
        e.getMessage());
  }

  @Test
  void rejectInt64LabelAboveNine() throws IOException {
    byte[] labels = MnistFixtures.TEST_LABELS.clone();
    labels[4] = 12;
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("y_test.npy", int64Labels(labels));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        "entry y_test.npy of " + npz + ": label at index 4 must be a digit 0-9, found 12",
        e.getMessage());
  }

  @Test
  void rejectDifferentCounts() throws IOException {
    Map<String, byte[]> entries = new HashMap<>(MnistFixtures.npzEntries());
    entries.put("x_test.npy", MnistFixtures.imagesNpy(4));
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.npz"), entries);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertEquals(
        String.format(
            "image and label counts differ: entry x_test.npy of %s has 4 images,"
                + " entry y_test.npy of %s has 5 labels",
            npz, npz),
        e.getMessage());
  }

  @Test
  void rejectNonZipFile() throws IOException {
    Path npz = Files.write(dir.resolve("mnist.npz"), new byte[] {1, 2, 3, 4, 5});

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertTrue(
        e.getMessage().startsWith(npz + ": cannot read as a zip archive of NPY arrays"),
        e.getMessage());
  }

  @Test
  void rejectMissingFile() {
    Path npz = dir.resolve("absent.npz");

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpzReader.read(npz));

    assertTrue(e.getMessage().startsWith(npz.toString()), e.getMessage());
  }

  private static byte[] int64Labels(byte[] labels) {
    return MnistFixtures.npy("<i8", new long[] {labels.length}, MnistFixtures.int64(labels));
  }
}
