package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReshapeTest {

  @ParameterizedTest(name = "{0} to {1}")
  @CsvSource({
    "'28,28,1', '784', '784'",
    "'28,28,1', '-1', '784'",
    "'784', '28,28,1', '28,28,1'",
    "'784', '28,-1,1', '28,28,1'",
    "'4,6', '3,-1', '3,8'",
    "'2,3,4', '-1,4', '6,4'",
  })
  void outputShapeInfersMinusOne(String input, String target, String expected) {
    Reshape reshape = new Reshape(parse(target));
    reshape.build(parse(input));

    assertArrayEquals(parse(expected), reshape.outputShape());
  }

  @Test
  void valuesKeepRowMajorOrder() {
    float[] x = new float[2 * 12];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    Reshape reshape = new Reshape(3, -1);
    reshape.build(new long[] {2, 2, 3});

    LayerRunner.Run run = LayerRunner.inference(reshape, new long[] {2, 2, 2, 3}, x);

    assertArrayEquals(new long[] {2, 3, 4}, run.shape());
    assertArrayEquals(x, run.values());
  }

  @Test
  void sizeMismatchRejected() {
    Reshape reshape = new Reshape(new long[] {5, -1}, "reshape");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> reshape.build(new long[] {28, 28, 1}));

    assertTrue(e.getMessage().contains("'reshape' (Reshape)"), e.getMessage());
    assertTrue(e.getMessage().contains("(None, 28, 28, 1) (784 values)"), e.getMessage());
    assertTrue(e.getMessage().contains("[5, -1]"), e.getMessage());
  }

  @Test
  void twoUnknownDimensionsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, 4, -1));

    assertTrue(e.getMessage().contains("at most one -1, got [-1, 4, -1]"), e.getMessage());
  }

  @Test
  void zeroDimensionRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Reshape(0, 4));

    assertTrue(e.getMessage().contains("positive or -1, got [0, 4]"), e.getMessage());
  }

  private static long[] parse(String dims) {
    String[] parts = dims.split(",");
    long[] shape = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      shape[i] = Long.parseLong(parts[i].trim());
    }
    return shape;
  }
}
