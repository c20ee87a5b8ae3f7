package org.tffinetune.initializers;

import java.util.SplittableRandom;

/**
 * Draws the first value of a weight in Java, so that a seed gives the same weights on every machine
 * and thread count.
 */
public interface Initializer {

  /**
   * Returns {@code product(shape)} values in row-major order.
   *
   * @param shape the weight's shape; kernels use HWIO for convolutions and [in, out] for Dense
   * @param random the source of randomness; constant initializers ignore it
   */
  float[] generate(long[] shape, SplittableRandom random);

  /** Returns the Keras class name, such as {@code GlorotUniform}. */
  String kerasName();

  /** Returns the initializer for a Keras class name; throws IllegalArgumentException if unknown. */
  static Initializer forKerasName(String name) {
    return switch (name) {
      case "GlorotUniform", "glorot_uniform" -> new GlorotUniform();
      case "Zeros", "zeros" -> Constant.ZEROS;
      case "Ones", "ones" -> Constant.ONES;
      default ->
          throw new IllegalArgumentException(
              "unknown initializer '" + name + "'; supported: GlorotUniform, Zeros, Ones");
    };
  }
}
