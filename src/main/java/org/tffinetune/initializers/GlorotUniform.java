package org.tffinetune.initializers;

import java.util.SplittableRandom;

/**
 * Keras's default kernel initializer (Glorot and Bengio, 2010): values drawn uniformly from {@code
 * [-limit, limit]} with {@code limit = sqrt(6 / (fanIn + fanOut))}.
 *
 * <p>For a convolution kernel {@code [kh, kw, in, out]} the receptive field {@code kh * kw}
 * multiplies both fans, as in Keras's {@code compute_fans}.
 */
public final class GlorotUniform implements Initializer {

  @Override
  public float[] generate(long[] shape, SplittableRandom random) {
    double limit = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    float[] values = new float[Math.toIntExact(size)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }
    return values;
  }

  @Override
  public String kerasName() {
    return "GlorotUniform";
  }

  static double fanIn(long[] shape) {
    if (shape.length < 2) {
      return shape.length == 0 ? 1 : shape[0];
    }
    return receptiveField(shape) * shape[shape.length - 2];
  }

  static double fanOut(long[] shape) {
    if (shape.length < 2) {
      return shape.length == 0 ? 1 : shape[0];
    }
    return receptiveField(shape) * shape[shape.length - 1];
  }

  private static double receptiveField(long[] shape) {
    double field = 1;
    for (int i = 0; i < shape.length - 2; i++) {
      field *= shape[i];
    }
    return field;
  }
}
