package org.tffinetune.layers;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The activation functions that layers accept, under their Keras names. */
public enum ActivationFunction {
  LINEAR,
  RELU,
  SOFTMAX,
  SIGMOID,
  TANH;

  /** Returns the Keras name, such as {@code relu}. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Applies the function; softmax runs over the last axis, as Keras's default. */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return switch (this) {
      case LINEAR -> x;
      case RELU -> tf.nn.relu(x);
      case SOFTMAX -> tf.nn.softmax(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case TANH -> tf.math.tanh(x);
    };
  }

  /**
   * Returns the function for a Keras name ({@code null} or {@code linear} for none).
   *
   * @throws IllegalArgumentException naming the value and the supported names when unknown
   */
  public static ActivationFunction forKerasName(String name) {
    if (name == null) {
      return LINEAR;
    }
    for (ActivationFunction f : values()) {
      if (f.kerasName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '"
            + name
            + "'; supported: "
            + Arrays.stream(values()).map(ActivationFunction::kerasName).toList());
  }
}
