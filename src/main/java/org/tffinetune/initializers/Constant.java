package org.tffinetune.initializers;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Fills a weight with one value: Keras's {@code Zeros} (bias default) and {@code Ones}. */
public final class Constant implements Initializer {
  /** Keras's default bias initializer. */
  public static final Constant ZEROS = new Constant(0f, "Zeros");

  /** Keras's initializer for BatchNormalization's gamma and moving variance. */
  public static final Constant ONES = new Constant(1f, "Ones");

  private final float value;
  private final String kerasName;

  private Constant(float value, String kerasName) {
    this.value = value;
    this.kerasName = kerasName;
  }

  @Override
  public float[] generate(long[] shape, SplittableRandom random) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    float[] values = new float[Math.toIntExact(size)];
    Arrays.fill(values, value);
    return values;
  }

  @Override
  public String kerasName() {
    return kerasName;
  }
}
