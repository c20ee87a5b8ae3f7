package org.tffinetune.layers;

import java.util.Arrays;

/**
 * The value of one layer weight: its name inside the layer ({@code kernel}, {@code bias}, {@code
 * gamma}, ...), its shape and its float32 values in row-major (C) order.
 *
 * <p>Convolution kernels use Keras's and TensorFlow's HWIO layout {@code [kh, kw, in, out]}, and
 * dense kernels {@code [in, units]}.
 */
public record Weight(String name, long[] shape, float[] values) {

  /** Creates a weight and checks that the value count matches the shape. */
  public Weight {
    long size = elementCount(shape);
    if (size != values.length) {
      throw new IllegalArgumentException(
          "weight '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + " ("
              + size
              + " values) but "
              + values.length
              + " values were given");
    }
  }

  /** Returns the number of elements of a tensor with the given shape. */
  public static long elementCount(long[] shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    return size;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Weight w
        && name.equals(w.name)
        && Arrays.equals(shape, w.shape)
        && Arrays.equals(values, w.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Weight[" + name + " " + Arrays.toString(shape) + "]";
  }
}
