package org.tffinetune.optimizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop as Keras 3 computes it without momentum or centering: {@code v = rho * v + (1 - rho) *
 * g^2}, {@code w -= lr * g / sqrt(v + eps)}, with epsilon inside the square root as in Keras 3's
 * {@code RMSprop.update_step}.
 */
final class RmsProp extends KerasOptimizer {
  private final float rho;
  private final float epsilon;

  RmsProp(Ops tf, float learningRate, float rho, float epsilon) {
    super(tf, learningRate);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  @Override
  protected Op applyDense(String name, Variable<TFloat32> variable, Operand<TFloat32> gradient) {
    Ops scope = tf;
    Variable<TFloat32> velocity = slot(name, variable, "velocity");
    Operand<TFloat32> newVelocity =
        scope.math.add(
            scope.math.mul(velocity, scope.constant(rho)),
            scope.math.mul(scope.math.square(gradient), scope.constant(1f - rho)));
    Operand<TFloat32> assigned = scope.assign(velocity, newVelocity);
    Operand<TFloat32> step =
        scope.math.div(
            scope.math.mul(gradient, scope.constant(learningRate)),
            scope.math.sqrt(scope.math.add(assigned, scope.constant(epsilon))));
    return scope.assignSub(variable, step);
  }
}
