package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tffinetune.initializers.Constant;

/**
 * Normalizes the last axis, as Keras's {@code BatchNormalization}: {@code y = gamma * (x - mean) /
 * sqrt(variance + epsilon) + beta}.
 *
 * <p>In a training graph a trainable layer uses the batch's mean and (biased) variance and updates
 * the moving statistics with {@code moving = moving * momentum + batch * (1 - momentum)}. A frozen
 * layer runs in inference mode, on the moving statistics, as Keras does since 2.1.3. Defaults as in
 * Keras: momentum 0.99, epsilon 0.001, center and scale on.
 */
public final class BatchNormalization extends Layer {
  /** Keras's default momentum of the moving statistics. */
  public static final float MOMENTUM_DEFAULT = 0.99f;

  /** Keras's default epsilon. */
  public static final float EPSILON_DEFAULT = 1e-3f;

  private final float momentum;
  private final float epsilon;
  private final boolean center;
  private final boolean scale;
  private int axis = -1;

  /** Creates a layer with Keras's defaults and a model-assigned name. */
  public BatchNormalization() {
    this(MOMENTUM_DEFAULT, EPSILON_DEFAULT, true, true, null);
  }

  /**
   * Creates a layer.
   *
   * @param momentum momentum of the moving statistics (default 0.99)
   * @param epsilon added to the variance (default 0.001)
   * @param center whether to add the learned offset {@code beta}
   * @param scale whether to multiply by the learned {@code gamma}
   * @param name the layer name, or null for a model-assigned one
   */
  public BatchNormalization(
      float momentum, float epsilon, boolean center, boolean scale, String name) {
    super(name);
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException(
          "BatchNormalization epsilon must be positive, got " + epsilon);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
  }

  /**
   * Sets the normalized axis as Keras counts it, batch included: -1, or the index of the last axis
   * (3 for NHWC images). Other axes are rejected when the layer is built.
   */
  public BatchNormalization withAxis(int axis) {
    this.axis = axis;
    return this;
  }

  @Override
  public String className() {
    return "BatchNormalization";
  }

  @Override
  public String defaultNamePrefix() {
    return "batch_normalization";
  }

  @Override
  public boolean isDeterministicInTraining() {
    return !isTrainable();
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    if (axis != -1 && axis != in.length) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' (BatchNormalization) normalizes axis "
              + axis
              + " of input "
              + formatShape(in)
              + "; only the last axis (-1 or "
              + in.length
              + ") is supported");
    }
    if (in.length == 0 || in[in.length - 1] <= 0) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' (BatchNormalization) needs a known last input dimension, got "
              + formatShape(in));
    }
    return in;
  }

  @Override
  protected List<WeightSpec> declareWeights(long[] in) {
    long[] shape = {in[in.length - 1]};
    List<WeightSpec> specs = new ArrayList<>();
    if (scale) {
      specs.add(new WeightSpec("gamma", shape, Constant.ONES, true));
    }
    if (center) {
      specs.add(new WeightSpec("beta", shape, Constant.ZEROS, true));
    }
    specs.add(new WeightSpec("moving_mean", shape, Constant.ZEROS, false));
    specs.add(new WeightSpec("moving_variance", shape, Constant.ONES, false));
    return specs;
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    int next = 0;
    Operand<TFloat32> gamma = scale ? weights.get(next++) : null;
    Operand<TFloat32> beta = center ? weights.get(next++) : null;
    Variable<TFloat32> movingMean = weights.get(next++);
    Variable<TFloat32> movingVariance = weights.get(next);

    Operand<TFloat32> mean = movingMean;
    Operand<TFloat32> variance = movingVariance;
    if (context.training() && isTrainable()) {
      int rank = inputShape().length + 1;
      int[] axes = new int[rank - 1];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
      mean = tf.math.mean(input, tf.constant(axes));
      variance = tf.math.mean(tf.math.squaredDifference(input, mean), tf.constant(axes));
      context.addUpdate(movingAverageUpdate(tf, movingMean, mean));
      context.addUpdate(movingAverageUpdate(tf, movingVariance, variance));
    }

    Operand<TFloat32> inv = tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon)));
    if (gamma != null) {
      inv = tf.math.mul(inv, gamma);
    }
    Operand<TFloat32> y = tf.math.mul(tf.math.sub(input, mean), inv);
    if (beta != null) {
      y = tf.math.add(y, beta);
    }
    return y;
  }

  private org.tensorflow.op.Op movingAverageUpdate(
      Ops tf, Variable<TFloat32> moving, Operand<TFloat32> batchValue) {
    Operand<TFloat32> updated =
        tf.math.add(
            tf.math.mul(moving, tf.constant(momentum)),
            tf.math.mul(batchValue, tf.constant(1f - momentum)));
    return tf.assign(moving, updated);
  }

  @Override
  protected Map<String, Object> layerConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("axis", axis);
    c.put("momentum", (double) momentum);
    c.put("epsilon", (double) epsilon);
    c.put("center", center);
    c.put("scale", scale);
    return c;
  }
}
