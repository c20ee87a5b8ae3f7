package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class IdxDirectoryReaderTest {
  @TempDir Path dir;

  @Test
  void readRawFiles() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);

    MnistDataset dataset = IdxDirectoryReader.read(dir);

    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
    assertEquals(MnistFixtures.TEST_LABELS.length, dataset.test().size());
    assertEquals(3, dataset.train().label(0));
    assertEquals(8, dataset.test().label(3));
    assertEquals("IDX files in " + dir, dataset.source());
  }

  @Test
  void readGzipFiles() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, true);

    MnistDataset dataset = IdxDirectoryReader.read(dir);

    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
    assertEquals(MnistFixtures.TEST_LABELS.length, dataset.test().size());
    float[] image = new float[LabeledImages.IMAGE_PIXELS];
    dataset.test().fillImages(null, 4, 1, image);
    assertEquals(MnistFixtures.pixel(4, 100) / 255f, image[100]);
  }

  @Test
  void readDottedNames() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);
    Files.move(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-images.idx3-ubyte"));
    Files.move(dir.resolve("t10k-labels-idx1-ubyte"), dir.resolve("t10k-labels.idx1-ubyte"));

    MnistDataset dataset = IdxDirectoryReader.read(dir);

    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
    assertEquals(MnistFixtures.TEST_LABELS.length, dataset.test().size());
  }

  @Test
  void rejectMissingFile() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> IdxDirectoryReader.read(dir));

    assertTrue(
        e.getMessage().contains("missing MNIST file t10k-labels-idx1-ubyte"), e.getMessage());
    assertTrue(e.getMessage().contains("t10k-labels.idx1-ubyte.gz"), e.getMessage());
  }

  @Test
  void rejectDifferentCounts() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);
    Files.write(dir.resolve("train-labels-idx1-ubyte"), MnistFixtures.idxLabels(new byte[3]));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> IdxDirectoryReader.read(dir));

    assertEquals(
        String.format(
            "image and label counts differ: %s has 14 images, %s has 3 labels",
            dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte")),
        e.getMessage());
  }

  @Test
  void rejectLabelAboveNine() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);
    byte[] labels = MnistFixtures.TEST_LABELS.clone();
    labels[2] = 10;
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), MnistFixtures.idxLabels(labels));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> IdxDirectoryReader.read(dir));

    assertEquals(
        dir.resolve("t10k-labels-idx1-ubyte") + ": label at index 2 must be a digit 0-9, found 10",
        e.getMessage());
  }

  @Test
  void rejectLabelAboveNineAsUnsignedByte() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);
    byte[] labels = MnistFixtures.TEST_LABELS.clone();
    labels[0] = (byte) 200;
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), MnistFixtures.idxLabels(labels));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> IdxDirectoryReader.read(dir));

    assertTrue(e.getMessage().endsWith("found 200"), e.getMessage());
  }

  @Test
  void rejectWrongMagicNamingFile() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);
    Path images = dir.resolve("t10k-images-idx3-ubyte");
    Files.write(images, MnistFixtures.idxLabels(new byte[40]));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> IdxDirectoryReader.read(dir));

    assertTrue(e.getMessage().startsWith(images + ": wrong magic number"), e.getMessage());
  }
}
