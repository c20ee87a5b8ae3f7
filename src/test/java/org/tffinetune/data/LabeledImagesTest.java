package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.tffinetune.InvalidInputException;

class LabeledImagesTest {
  private static final int PIXELS = LabeledImages.IMAGE_PIXELS;

  /** Labels 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 7, 0. */
  private final LabeledImages images = train();

  private static LabeledImages train() {
    int count = MnistFixtures.TRAIN_LABELS.length;
    return LabeledImages.ofDigits(
        MnistFixtures.pixels(count), "images", MnistFixtures.TRAIN_LABELS.clone(), "labels");
  }

  @Test
  void constants() {
    assertEquals(28, LabeledImages.IMAGE_HEIGHT);
    assertEquals(28, LabeledImages.IMAGE_WIDTH);
    assertEquals(784, LabeledImages.IMAGE_PIXELS);
    assertEquals(10, LabeledImages.DIGIT_CLASSES);
  }

  @Test
  void rawDigits() {
    assertEquals(14, images.size());
    assertEquals(10, images.numClasses());
    assertEquals(9, images.label(5));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, images.digits());
    assertArrayEquals(new int[] {1, 2, 1, 2, 1, 3, 1, 1, 1, 1}, images.countsPerClass());
  }

  @Test
  void selectHighDigitsSubtractsFive() {
    LabeledImages high = images.select(5, 6, 7, 8, 9);

    assertEquals(7, high.size());
    assertEquals(5, high.numClasses());
    assertArrayEquals(new int[] {5, 6, 7, 8, 9}, high.digits());
    // Digits 5, 9, 6, 5, 5, 8, 7 at indices 4, 5, 7, 8, 10, 11, 12 of the raw set.
    int[] expectedLabels = {0, 4, 1, 0, 0, 3, 2};
    int[] rawIndices = {4, 5, 7, 8, 10, 11, 12};
    float[] image = new float[PIXELS];
    for (int j = 0; j < high.size(); j++) {
      assertEquals(expectedLabels[j], high.label(j));
      high.fillImages(null, j, 1, image);
      assertEquals(MnistFixtures.pixel(rawIndices[j], 300) / 255f, image[300]);
    }
    assertArrayEquals(new int[] {3, 1, 1, 1, 1}, high.countsPerClass());
  }

  @Test
  void selectLowDigitsKeepsLabels() {
    LabeledImages low = images.select(0, 1, 2, 3, 4);

    assertEquals(7, low.size());
    assertEquals(5, low.numClasses());
    int[] expectedLabels = {3, 1, 4, 1, 2, 3, 0};
    for (int j = 0; j < low.size(); j++) {
      assertEquals(expectedLabels[j], low.label(j));
    }
  }

  @Test
  void selectOrdersClassesAscending() {
    LabeledImages selected = images.select(9, 1);

    assertArrayEquals(new int[] {1, 9}, selected.digits());
    // Digits 1, 1, 9 at indices 1, 3, 5 of the raw set.
    assertEquals(3, selected.size());
    assertEquals(0, selected.label(0));
    assertEquals(0, selected.label(1));
    assertEquals(1, selected.label(2));
  }

  @Test
  void selectTwiceComposesDigits() {
    LabeledImages selected = images.select(5, 6, 7, 8, 9).select(1, 4);

    assertArrayEquals(new int[] {6, 9}, selected.digits());
    assertEquals(2, selected.size());
    assertEquals(1, selected.label(0));
    assertEquals(0, selected.label(1));
  }

  @Test
  void selectRejectsEmpty() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> images.select());

    assertEquals("classes to select must not be empty", e.getMessage());
  }

  @Test
  void selectRejectsDuplicate() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> images.select(5, 6, 5));

    assertEquals("classes to select must be distinct, found 5 twice in [5, 6, 5]", e.getMessage());
  }

  @Test
  void selectRejectsOutOfRange() {
    InvalidInputException high =
        assertThrows(InvalidInputException.class, () -> images.select(3, 10));
    InvalidInputException negative =
        assertThrows(InvalidInputException.class, () -> images.select(-1));
    InvalidInputException afterSelect =
        assertThrows(InvalidInputException.class, () -> images.select(0, 1).select(2));

    assertEquals("class to select must be in 0-9, found 10 in [3, 10]", high.getMessage());
    assertEquals("class to select must be in 0-9, found -1 in [-1]", negative.getMessage());
    assertEquals("class to select must be in 0-1, found 2 in [2]", afterSelect.getMessage());
  }

  @Test
  void limitKeepsFirstImages() {
    LabeledImages first = images.limit(3);

    assertEquals(3, first.size());
    assertEquals(10, first.numClasses());
    assertEquals(4, first.label(2));
    assertSame(images, images.limit(14));
    assertSame(images, images.limit(100));
    assertEquals(0, images.limit(0).size());
  }

  @Test
  void limitRejectsNegative() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> images.limit(-2));

    assertEquals("limit must be at least 0, found -2", e.getMessage());
  }

  @Test
  void subsetFollowsIndices() {
    LabeledImages subset = images.subset(new int[] {13, 0, 13});

    assertEquals(3, subset.size());
    assertEquals(0, subset.label(0));
    assertEquals(3, subset.label(1));
    assertEquals(0, subset.label(2));
    float[] batch = new float[3 * PIXELS];
    subset.fillImages(null, 0, 3, batch);
    assertEquals(MnistFixtures.pixel(13, 5) / 255f, batch[5]);
    assertEquals(MnistFixtures.pixel(0, 5) / 255f, batch[PIXELS + 5]);
  }

  @Test
  void subsetRejectsIndexOutOfRange() {
    assertThrows(IndexOutOfBoundsException.class, () -> images.subset(new int[] {0, 14}));
  }

  @Test
  void fillImagesScalesEveryPixel() {
    int[] order = {2, 0, 1};
    float[] batch = new float[2 * PIXELS + 7];
    batch[2 * PIXELS] = -1f;

    images.fillImages(order, 1, 2, batch);

    for (int p = 0; p < PIXELS; p++) {
      assertEquals((float) MnistFixtures.pixel(0, p) / 255f, batch[p], "image 0 pixel " + p);
      assertEquals(
          (float) MnistFixtures.pixel(1, p) / 255f, batch[PIXELS + p], "image 1 pixel " + p);
    }
    assertEquals(-1f, batch[2 * PIXELS]);
  }

  @Test
  void fillImagesRange() {
    int count = images.size();
    float[] batch = new float[count * PIXELS];

    images.fillImages(null, 0, count, batch);

    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float value : batch) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }

  @Test
  void fillImagesFloatBufferAdvancesPosition() {
    FloatBuffer buffer = ByteBuffer.allocateDirect(4 * (2 * PIXELS + 1)).asFloatBuffer();
    buffer.position(1);

    images.fillImages(new int[] {5, 9}, 0, 2, buffer);

    assertEquals(1 + 2 * PIXELS, buffer.position());
    assertEquals(0f, buffer.get(0));
    assertEquals(MnistFixtures.pixel(5, 0) / 255f, buffer.get(1));
    assertEquals(MnistFixtures.pixel(9, 783) / 255f, buffer.get(2 * PIXELS));
  }

  @Test
  void fillImagesFloatBufferRejectsTooSmall() {
    FloatBuffer buffer = FloatBuffer.allocate(PIXELS);

    assertThrows(BufferOverflowException.class, () -> images.fillImages(null, 0, 2, buffer));
    assertEquals(0, buffer.position());
  }

  @Test
  void fillImagesRejectsShortArray() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> images.fillImages(null, 0, 2, new float[PIXELS]));

    assertEquals("dst must hold 1568 values for a batch of 2, found length 784", e.getMessage());
  }

  @Test
  void fillImagesRejectsBatchPastEnd() {
    float[] batch = new float[4 * PIXELS];

    assertThrows(IndexOutOfBoundsException.class, () -> images.fillImages(null, 12, 3, batch));
    assertThrows(
        IndexOutOfBoundsException.class, () -> images.fillImages(new int[] {0, 1}, 1, 2, batch));
    assertThrows(
        IndexOutOfBoundsException.class, () -> images.fillImages(new int[] {14}, 0, 1, batch));
  }

  @Test
  void fillOneHotClearsAndSetsLabel() {
    LabeledImages high = images.select(5, 6, 7, 8, 9);
    float[] oneHot = new float[3 * 5];
    java.util.Arrays.fill(oneHot, 7f);

    high.fillOneHot(new int[] {1, 2, 3}, 0, 3, oneHot);

    // Raw digits 9, 6, 5.
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}, oneHot);
  }

  @Test
  void fillOneHotRejectsShortArray() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> images.fillOneHot(null, 0, 2, new float[19]));

    assertEquals("dst must hold 20 values for a batch of 2, found length 19", e.getMessage());
  }

  @Test
  void fillSparseLabels() {
    int[] labels = new int[4];

    images.fillSparseLabels(new int[] {13, 12, 11, 10}, 1, 3, labels);

    assertArrayEquals(new int[] {7, 8, 5, 0}, labels);
  }

  @Test
  void ofDigitsRejectsLabelAboveNine() {
    byte[] labels = {1, 10};

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> LabeledImages.ofDigits(new byte[2 * PIXELS], "x", labels, "y.idx"));

    assertEquals("y.idx: label at index 1 must be a digit 0-9, found 10", e.getMessage());
  }

  @Test
  void ofDigitsRejectsDifferentCounts() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> LabeledImages.ofDigits(new byte[2 * PIXELS], "x.idx", new byte[3], "y.idx"));

    assertEquals(
        "image and label counts differ: x.idx has 2 images, y.idx has 3 labels", e.getMessage());
  }

  @Test
  void toStringNamesSizeAndDigits() {
    assertTrue(images.select(2, 3).toString().contains("size=3, digits=[2, 3]"));
  }
}
