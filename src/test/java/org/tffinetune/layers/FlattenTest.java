package org.tffinetune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class FlattenTest {

  @Test
  void outputSizeIsProduct() {
    Flatten flatten = new Flatten();
    flatten.build(new long[] {12, 12, 32});

    assertArrayEquals(new long[] {4608}, flatten.outputShape());
  }

  @Test
  void valuesKeepNhwcOrder() {
    // Keras's channels_last Flatten keeps the row-major NHWC order of each example.
    float[] x = new float[2 * 2 * 3 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    Flatten flatten = new Flatten();
    flatten.build(new long[] {2, 3, 2});

    LayerRunner.Run run = LayerRunner.inference(flatten, new long[] {2, 2, 3, 2}, x);

    assertArrayEquals(new long[] {2, 12}, run.shape());
    assertArrayEquals(x, run.values());
  }
}
