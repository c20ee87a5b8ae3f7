package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MnistFileTest {
  @Test
  void fileNamesStandardFirst() {
    assertEquals(
        List.of(
            "t10k-images-idx3-ubyte",
            "t10k-images-idx3-ubyte.gz",
            "t10k-images.idx3-ubyte",
            "t10k-images.idx3-ubyte.gz"),
        MnistFile.TEST_IMAGES.fileNames());
    assertEquals("train-labels-idx1-ubyte", MnistFile.TRAIN_LABELS.standardName());
  }

  @Test
  void isImages() {
    assertTrue(MnistFile.TRAIN_IMAGES.isImages());
    assertTrue(MnistFile.TEST_IMAGES.isImages());
    assertFalse(MnistFile.TRAIN_LABELS.isImages());
    assertFalse(MnistFile.TEST_LABELS.isImages());
  }
}
