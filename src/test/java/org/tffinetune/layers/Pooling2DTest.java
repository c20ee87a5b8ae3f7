package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tffinetune.models.Sequential;

/** MaxPooling2D and AveragePooling2D, which share their shape rules through Pooling2D. */
class Pooling2DTest {
  /** Absolute tolerance of float32 averages against the double-precision reference. */
  private static final float TOLERANCE = 1e-6f;

  /** Strides of 0 in the tables mean "not given", which Keras replaces by the pool size. */
  @ParameterizedTest(name = "{0}x{1} pool {2}x{3} strides {4}x{5} {6}")
  @CsvSource({
    "26, 26, 2, 2, 0, 0, valid, 13, 13",
    "27, 27, 2, 2, 0, 0, valid, 13, 13",
    "27, 27, 2, 2, 0, 0, same, 14, 14",
    "5, 7, 3, 3, 1, 1, valid, 3, 5",
    "5, 7, 3, 3, 2, 2, same, 3, 4",
    "5, 7, 3, 2, 0, 0, valid, 1, 3",
    "4, 4, 4, 4, 0, 0, valid, 1, 1",
    "3, 3, 2, 2, 2, 2, same, 2, 2",
    "1, 5, 1, 3, 1, 2, same, 1, 3",
    "2, 2, 3, 3, 1, 1, same, 2, 2",
  })
  void outputShapeMatchesFormula(
      int height,
      int width,
      int poolHeight,
      int poolWidth,
      int strideHeight,
      int strideWidth,
      String padding,
      long expectedHeight,
      long expectedWidth) {
    int[] strides = strideHeight == 0 ? null : new int[] {strideHeight, strideWidth};
    int[] pool = {poolHeight, poolWidth};
    Padding pad = Padding.forKerasName(padding);
    for (Layer layer :
        List.of(
            new MaxPooling2D(pool, strides, pad, null),
            new AveragePooling2D(pool, strides, pad, null))) {
      layer.build(new long[] {height, width, 3});

      assertArrayEquals(
          new long[] {expectedHeight, expectedWidth, 3}, layer.outputShape(), layer.className());
      LayerRunner.Run run =
          LayerRunner.inference(
              layer, new long[] {1, height, width, 3}, new float[height * width * 3]);
      assertArrayEquals(
          new long[] {1, expectedHeight, expectedWidth, 3}, run.shape(), layer.className());
    }
  }

  @ParameterizedTest(name = "{0}x{1} pool {2}x{3} strides {4}x{5} {6}")
  @CsvSource({
    "4, 4, 2, 2, 2, 2, valid",
    "5, 5, 2, 2, 2, 2, valid",
    "5, 5, 2, 2, 2, 2, same",
    "3, 3, 2, 2, 2, 2, same",
    "5, 7, 3, 3, 1, 1, same",
    "6, 5, 3, 2, 2, 3, same",
    "6, 5, 3, 2, 1, 1, valid",
  })
  void valuesMatchReference(
      int height,
      int width,
      int poolHeight,
      int poolWidth,
      int strideHeight,
      int strideWidth,
      String padding) {
    int channels = 2;
    int count = 2;
    float[] images = new float[count * height * width * channels];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < images.length; i++) {
      // Positive values, so that a padded zero taken as a pixel would change the average.
      images[i] = (float) (1 + random.nextDouble());
    }
    int[] pool = {poolHeight, poolWidth};
    int[] strides = {strideHeight, strideWidth};
    Padding pad = Padding.forKerasName(padding);

    float[][] max = predict(new MaxPooling2D(pool, strides, pad, null), height, width, images);
    float[][] average =
        predict(new AveragePooling2D(pool, strides, pad, null), height, width, images);

    boolean same = pad == Padding.SAME;
    int outHeight = same ? ceilDiv(height, strideHeight) : (height - poolHeight) / strideHeight + 1;
    int outWidth = same ? ceilDiv(width, strideWidth) : (width - poolWidth) / strideWidth + 1;
    int padTop = same ? Math.max((outHeight - 1) * strideHeight + poolHeight - height, 0) / 2 : 0;
    int padLeft = same ? Math.max((outWidth - 1) * strideWidth + poolWidth - width, 0) / 2 : 0;
    for (int b = 0; b < count; b++) {
      assertEquals(outHeight * outWidth * channels, max[b].length);
      for (int i = 0; i < outHeight; i++) {
        for (int j = 0; j < outWidth; j++) {
          for (int c = 0; c < channels; c++) {
            double maximum = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int valid = 0;
            for (int di = 0; di < poolHeight; di++) {
              for (int dj = 0; dj < poolWidth; dj++) {
                int row = i * strideHeight + di - padTop;
                int col = j * strideWidth + dj - padLeft;
                if (row >= 0 && row < height && col >= 0 && col < width) {
                  float v = images[((b * height + row) * width + col) * channels + c];
                  maximum = Math.max(maximum, v);
                  sum += v;
                  valid++;
                }
              }
            }
            int index = (i * outWidth + j) * channels + c;
            String where = "example " + b + " row " + i + " column " + j + " channel " + c;
            assertEquals((float) maximum, max[b][index], "max at " + where);
            assertEquals(sum / valid, average[b][index], TOLERANCE, "average at " + where);
          }
        }
      }
    }
  }

  @Test
  void sameAverageIgnoresPadding() {
    // With a 3x3 input, a 2x2 pool, stride 2 and same padding, TensorFlow pads one row and one
    // column at the end, so the bottom-right output averages the single pixel 9.
    float[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    AveragePooling2D pool = new AveragePooling2D(new int[] {2, 2}, null, Padding.SAME, null);

    float[][] out = predict(pool, 3, 3, 1, image, 1);

    assertArrayEquals(new float[] {3f, 4.5f, 7.5f, 9f}, out[0]);
  }

  @Test
  void defaultStridesEqualPoolSize() {
    MaxPooling2D pool = new MaxPooling2D(3);

    Map<String, Object> config = pool.getConfig();

    assertEquals(List.of(3, 3), config.get("pool_size"));
    assertEquals(List.of(3, 3), config.get("strides"));
    assertEquals("valid", config.get("padding"));
  }

  @Test
  void poolLargerThanInputRejected() {
    MaxPooling2D pool = new MaxPooling2D(new int[] {3, 3}, null, Padding.VALID, "pool");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pool.build(new long[] {2, 2, 4}));

    assertTrue(e.getMessage().contains("'pool' (MaxPooling2D)"), e.getMessage());
    assertTrue(
        e.getMessage().contains("pool 3x3 does not fit input (None, 2, 2, 4)"), e.getMessage());
  }

  @Test
  void flatInputRejected() {
    AveragePooling2D pool = new AveragePooling2D(new int[] {2, 2}, null, Padding.VALID, "avg");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pool.build(new long[] {16}));

    assertTrue(e.getMessage().contains("'avg' (AveragePooling2D)"), e.getMessage());
    assertTrue(e.getMessage().contains("(None, 16)"), e.getMessage());
  }

  @Test
  void zeroPoolSizeRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(0));

    assertTrue(
        e.getMessage().contains("pool_size must be two positive integers, got [0, 0]"),
        e.getMessage());
  }

  @Test
  void negativeStrideRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AveragePooling2D(new int[] {2, 2}, new int[] {2, -1}, Padding.VALID, null));

    assertTrue(
        e.getMessage().contains("strides must be two positive integers, got [2, -1]"),
        e.getMessage());
  }

  private static float[][] predict(Layer pool, int height, int width, float[] images) {
    return predict(pool, height, width, 2, images, 2);
  }

  private static float[][] predict(
      Layer pool, int height, int width, int channels, float[] images, int count) {
    try (Sequential model = new Sequential(height, width, channels)) {
      model.add(pool).add(new Flatten());
      return model.predict(images, count);
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
