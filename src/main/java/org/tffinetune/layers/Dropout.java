package org.tffinetune.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Sets a fraction {@code rate} of its inputs to zero while training and scales the rest by {@code 1
 * / (1 - rate)}, as Keras's {@code Dropout}; outside training it passes its input through.
 *
 * <p>The mask comes from a stateless uniform draw seeded per layer and per step, so a run with a
 * fixed seed drops the same units every time.
 */
public final class Dropout extends Layer {
  private final float rate;

  /** Creates {@code Dropout(rate)} with a model-assigned name. */
  public Dropout(double rate) {
    this(rate, null);
  }

  /** Creates {@code Dropout(rate)}; rate must lie in [0, 1). */
  public Dropout(double rate, String name) {
    super(name);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
    }
    this.rate = (float) rate;
  }

  /** Returns the fraction of units dropped while training. */
  public float rate() {
    return rate;
  }

  @Override
  public String className() {
    return "Dropout";
  }

  @Override
  public String defaultNamePrefix() {
    return "dropout";
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    return in;
  }

  @Override
  public boolean isDeterministicInTraining() {
    return rate == 0f;
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    if (!context.training() || rate == 0f) {
      return input;
    }
    Operand<TFloat32> uniform =
        tf.random.statelessRandomUniform(tf.shape(input), context.seedFor(tf, layerIndex));
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    return tf.math.mul(tf.math.mul(input, keep), tf.constant(1f / (1f - rate)));
  }

  @Override
  protected Map<String, Object> layerConfig() {
    return Map.of("rate", (double) rate);
  }
}
