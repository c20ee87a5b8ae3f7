package org.tffinetune.optimizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba, 2014) as in Keras 3: {@code m += (g - m) * (1 - beta1)}, {@code v += (g^2 -
 * v) * (1 - beta2)}, {@code w -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)},
 * with {@code t} the 1-based step. TensorFlow's fused {@code ApplyAdam} kernel computes the same.
 */
final class Adam extends KerasOptimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;

  Adam(Ops tf, float learningRate, float beta1, float beta2, float epsilon) {
    super(tf, learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  protected Op applyDense(String name, Variable<TFloat32> variable, Operand<TFloat32> gradient) {
    Ops scope = tf;
    Variable<TFloat32> m = slot(name, variable, "momentum");
    Variable<TFloat32> v = slot(name, variable, "velocity");
    Operand<TFloat32> t = localStep();
    return scope.train.applyAdam(
        variable,
        m,
        v,
        scope.math.pow(scope.constant(beta1), t),
        scope.math.pow(scope.constant(beta2), t),
        scope.constant(learningRate),
        scope.constant(beta1),
        scope.constant(beta2),
        scope.constant(epsilon),
        gradient);
  }
}
