package org.tffinetune.losses;

import java.util.Arrays;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Classification losses under their Keras names. Both compute the same value, {@code -log p[y]} per
 * example; they differ in the label format the caller gives, as in Keras.
 *
 * <p>When the model output comes straight from a softmax op, the loss is computed from the
 * softmax's input (the logits), as Keras 3 does on TensorFlow: that stays exact where {@code
 * log(softmax)} would round to {@code log(0)}. Otherwise probabilities are clipped to {@code [1e-7,
 * 1 - 1e-7]} before the log, as Keras does.
 */
public enum Loss {
  /** Labels as one-hot vectors, Keras's {@code categorical_crossentropy}. */
  CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
  /** Labels as class indices, Keras's {@code sparse_categorical_crossentropy}. */
  SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy");

  /** Keras's clipping epsilon for probabilities. */
  public static final float EPSILON = 1e-7f;

  private final String kerasName;

  Loss(String kerasName) {
    this.kerasName = kerasName;
  }

  /** Returns the Keras name. */
  public String kerasName() {
    return kerasName;
  }

  /**
   * Adds the per-example loss to the graph.
   *
   * @param probabilities model output, float32 [batch, classes]
   * @param labels class indices, int64 [batch]
   * @param numClasses number of classes
   * @return float32 [batch]
   */
  public Operand<TFloat32> perExample(
      Ops tf, Operand<TFloat32> probabilities, Operand<TInt64> labels, int numClasses) {
    Operand<TFloat32> oneHot =
        tf.oneHot(labels, tf.constant(numClasses), tf.constant(1f), tf.constant(0f));
    Operation op = probabilities.op();
    if (op instanceof GraphOperation g && g.type().equals("Softmax")) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> logits = (Operand<TFloat32>) g.input(0);
      return tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
    }
    Operand<TFloat32> normalized =
        tf.math.div(
            probabilities,
            tf.reduceSum(
                probabilities, tf.constant(-1), org.tensorflow.op.core.ReduceSum.keepDims(true)));
    Operand<TFloat32> clipped =
        tf.clipByValue(normalized, tf.constant(EPSILON), tf.constant(1f - EPSILON));
    return tf.math.neg(tf.reduceSum(tf.math.mul(oneHot, tf.math.log(clipped)), tf.constant(-1)));
  }

  /** Returns the loss for a Keras name; throws IllegalArgumentException when unknown. */
  public static Loss forKerasName(String name) {
    for (Loss loss : values()) {
      if (loss.kerasName.equals(name)) {
        return loss;
      }
    }
    throw new IllegalArgumentException(
        "unknown loss '"
            + name
            + "'; supported: "
            + Arrays.stream(values()).map(Loss::kerasName).toList());
  }
}
