package org.tffinetune.optimizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adadelta (Zeiler, 2012) as in Keras 3: {@code a = rho * a + (1 - rho) * g^2}, {@code d = -sqrt(u
 * + eps) / sqrt(a + eps) * g}, {@code u = rho * u + (1 - rho) * d^2}, {@code w += lr * d}.
 * TensorFlow's fused {@code ApplyAdadelta} kernel computes the same update.
 */
final class Adadelta extends KerasOptimizer {
  private final float rho;
  private final float epsilon;

  Adadelta(Ops tf, float learningRate, float rho, float epsilon) {
    super(tf, learningRate);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  @Override
  protected Op applyDense(String name, Variable<TFloat32> variable, Operand<TFloat32> gradient) {
    Ops scope = tf;
    Variable<TFloat32> accumulatedGrad = slot(name, variable, "accumulated_grad");
    Variable<TFloat32> accumulatedDelta = slot(name, variable, "accumulated_delta_var");
    return scope.train.applyAdadelta(
        variable,
        accumulatedGrad,
        accumulatedDelta,
        scope.constant(learningRate),
        scope.constant(rho),
        scope.constant(epsilon),
        gradient);
  }
}
