package org.tffinetune.layers;

import java.util.Locale;

/** Keras's {@code padding} argument for convolution and pooling layers. */
public enum Padding {
  /** No padding: the output shrinks by {@code kernel - 1} before striding. */
  VALID,
  /** Zero padding so that the output size is {@code ceil(input / stride)}. */
  SAME;

  /** Returns the Keras spelling, {@code valid} or {@code same}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns TensorFlow's op attribute value, {@code VALID} or {@code SAME}. */
  public String tfName() {
    return name();
  }

  /** Returns the output length of one spatial dimension. */
  public long outputLength(long input, long window, long stride) {
    if (this == SAME) {
      return (input + stride - 1) / stride;
    }
    return input < window ? 0 : (input - window) / stride + 1;
  }

  /** Returns the padding for a Keras name; throws IllegalArgumentException when unknown. */
  public static Padding forKerasName(String name) {
    return switch (name) {
      case "valid" -> VALID;
      case "same" -> SAME;
      default ->
          throw new IllegalArgumentException(
              "unknown padding '" + name + "'; supported: valid, same");
    };
  }
}
