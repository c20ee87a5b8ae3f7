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

class Conv2DTest {
  /** Absolute tolerance of float32 convolution against the double-precision reference. */
  private static final float TOLERANCE = 1e-5f;

  @ParameterizedTest(name = "{0}x{1} kernel {2}x{3} strides {4}x{5} {6}")
  @CsvSource({
    "28, 28, 3, 3, 1, 1, valid, 26, 26",
    "28, 28, 3, 3, 1, 1, same, 28, 28",
    "28, 28, 5, 5, 2, 2, valid, 12, 12",
    "28, 28, 5, 5, 2, 2, same, 14, 14",
    "7, 9, 3, 2, 2, 3, valid, 3, 3",
    "7, 9, 3, 2, 2, 3, same, 4, 3",
    "5, 5, 5, 5, 1, 1, valid, 1, 1",
    "5, 5, 5, 5, 3, 3, same, 2, 2",
    "6, 6, 1, 1, 4, 4, valid, 2, 2",
    "1, 1, 3, 3, 1, 1, same, 1, 1",
    "10, 3, 4, 1, 3, 1, valid, 3, 3",
  })
  void outputShapeMatchesFormula(
      int height,
      int width,
      int kernelHeight,
      int kernelWidth,
      int strideHeight,
      int strideWidth,
      String padding,
      long expectedHeight,
      long expectedWidth) {
    Conv2D conv =
        Conv2D.builder(4, kernelHeight, kernelWidth)
            .strides(strideHeight, strideWidth)
            .padding(Padding.forKerasName(padding))
            .build();
    conv.build(new long[] {height, width, 2});

    long[] expected = {expectedHeight, expectedWidth, 4};
    assertArrayEquals(expected, conv.outputShape());
    LayerRunner.Run run =
        LayerRunner.inference(
            conv, new long[] {1, height, width, 2}, new float[height * width * 2]);
    assertArrayEquals(new long[] {1, expectedHeight, expectedWidth, 4}, run.shape());
  }

  @ParameterizedTest(name = "kernel {0}x{1} strides {2}x{3} {4} bias {5} {6}")
  @CsvSource({
    "3, 3, 1, 1, valid, true, relu",
    "3, 2, 2, 1, same, true, relu",
    "2, 2, 2, 2, same, false, linear",
    "4, 3, 1, 2, same, true, linear",
    "1, 1, 1, 1, valid, true, tanh",
    "5, 5, 3, 3, same, true, relu",
  })
  void forwardMatchesReference(
      int kernelHeight,
      int kernelWidth,
      int strideHeight,
      int strideWidth,
      String padding,
      boolean useBias,
      String activation) {
    int height = 5;
    int width = 6;
    int channels = 2;
    int filters = 3;
    int count = 2;
    SplittableRandom random = new SplittableRandom(17);
    float[] images = uniform(random, count * height * width * channels);
    float[] kernel = uniform(random, kernelHeight * kernelWidth * channels * filters);
    float[] bias = useBias ? uniform(random, filters) : new float[filters];
    Sequential model = new Sequential(height, width, channels);
    model
        .add(
            Conv2D.builder(filters, kernelHeight, kernelWidth)
                .strides(strideHeight, strideWidth)
                .padding(Padding.forKerasName(padding))
                .activation(ActivationFunction.forKerasName(activation))
                .useBias(useBias)
                .name("conv")
                .build())
        .add(new Flatten());
    long[] kernelShape = {kernelHeight, kernelWidth, channels, filters};
    if (useBias) {
      model.setWeights(
          Map.of(
              "conv/kernel", new Weight("kernel", kernelShape, kernel),
              "conv/bias", new Weight("bias", new long[] {filters}, bias)));
    } else {
      model.setWeights(Map.of("conv/kernel", new Weight("kernel", kernelShape, kernel)));
    }

    float[][] actual;
    try (model) {
      actual = model.predict(images, count);
    }

    boolean same = padding.equals("same");
    int outHeight =
        same ? ceilDiv(height, strideHeight) : (height - kernelHeight) / strideHeight + 1;
    int outWidth = same ? ceilDiv(width, strideWidth) : (width - kernelWidth) / strideWidth + 1;
    int padTop = same ? Math.max((outHeight - 1) * strideHeight + kernelHeight - height, 0) / 2 : 0;
    int padLeft = same ? Math.max((outWidth - 1) * strideWidth + kernelWidth - width, 0) / 2 : 0;
    for (int b = 0; b < count; b++) {
      assertEquals(outHeight * outWidth * filters, actual[b].length);
      for (int i = 0; i < outHeight; i++) {
        for (int j = 0; j < outWidth; j++) {
          for (int f = 0; f < filters; f++) {
            double sum = bias[f];
            for (int di = 0; di < kernelHeight; di++) {
              for (int dj = 0; dj < kernelWidth; dj++) {
                int row = i * strideHeight + di - padTop;
                int col = j * strideWidth + dj - padLeft;
                if (row < 0 || row >= height || col < 0 || col >= width) {
                  continue;
                }
                for (int c = 0; c < channels; c++) {
                  sum +=
                      images[((b * height + row) * width + col) * channels + c]
                          * kernel[((di * kernelWidth + dj) * channels + c) * filters + f];
                }
              }
            }
            double expected =
                switch (activation) {
                  case "relu" -> Math.max(sum, 0);
                  case "tanh" -> Math.tanh(sum);
                  default -> sum;
                };
            int index = (i * outWidth + j) * filters + f;
            assertEquals(
                expected,
                actual[b][index],
                TOLERANCE,
                "example " + b + " row " + i + " column " + j + " filter " + f);
          }
        }
      }
    }
  }

  @Test
  void weightsFollowHwioLayout() {
    Conv2D conv = Conv2D.builder(8, 3, 2).build();
    conv.build(new long[] {10, 10, 3});

    List<WeightSpec> specs = conv.weightSpecs();

    assertEquals(2, specs.size());
    assertEquals("kernel", specs.get(0).name());
    assertArrayEquals(new long[] {3, 2, 3, 8}, specs.get(0).shape());
    assertEquals("bias", specs.get(1).name());
    assertArrayEquals(new long[] {8}, specs.get(1).shape());
    assertEquals(3 * 2 * 3 * 8 + 8, conv.countParams());
  }

  @Test
  void noBiasDeclaresKernelOnly() {
    Conv2D conv = Conv2D.builder(8, 3).useBias(false).build();
    conv.build(new long[] {10, 10, 3});

    assertEquals(1, conv.weightSpecs().size());
    assertEquals(3 * 3 * 3 * 8, conv.countParams());
  }

  @Test
  void configUsesKerasKeys() {
    Conv2D conv =
        Conv2D.builder(6, 3, 5)
            .strides(2, 1)
            .padding(Padding.SAME)
            .activation(ActivationFunction.RELU)
            .name("features")
            .build();

    Map<String, Object> config = conv.getConfig();

    assertEquals("features", config.get("name"));
    assertEquals(6, config.get("filters"));
    assertEquals(List.of(3, 5), config.get("kernel_size"));
    assertEquals(List.of(2, 1), config.get("strides"));
    assertEquals("same", config.get("padding"));
    assertEquals("relu", config.get("activation"));
    assertEquals(true, config.get("use_bias"));
  }

  @Test
  void kernelLargerThanInputRejected() {
    Conv2D conv = Conv2D.builder(2, 5).name("big").build();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> conv.build(new long[] {4, 4, 1}));

    assertTrue(e.getMessage().contains("'big'"), e.getMessage());
    assertTrue(e.getMessage().contains("(None, 4, 4, 1)"), e.getMessage());
  }

  @Test
  void flatInputRejected() {
    Conv2D conv = Conv2D.builder(2, 3).name("conv").build();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> conv.build(new long[] {784}));

    assertTrue(e.getMessage().contains("(None, height, width, channels)"), e.getMessage());
    assertTrue(e.getMessage().contains("(None, 784)"), e.getMessage());
  }

  @Test
  void zeroFiltersRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Conv2D.builder(0, 3));

    assertTrue(e.getMessage().contains("filters must be positive, got 0"), e.getMessage());
  }

  @Test
  void negativeKernelRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Conv2D.builder(4, 3, -1));

    assertTrue(e.getMessage().contains("kernel_size must be positive, got 3x-1"), e.getMessage());
  }

  @Test
  void zeroStrideRejected() {
    Conv2D.Builder builder = Conv2D.builder(4, 3);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.strides(1, 0));

    assertTrue(e.getMessage().contains("strides must be positive, got 1x0"), e.getMessage());
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static float[] uniform(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return values;
  }
}
