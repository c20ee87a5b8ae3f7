package org.tffinetune.optimizers;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Plain stochastic gradient descent, Keras 3's {@code SGD} with momentum 0: {@code w -= lr * g}.
 */
final class Sgd extends KerasOptimizer {

  Sgd(Ops tf, float learningRate) {
    super(tf, learningRate);
  }

  @Override
  protected Op applyDense(String name, Variable<TFloat32> variable, Operand<TFloat32> gradient) {
    Ops scope = tf;
    return scope.train.applyGradientDescent(variable, scope.constant(learningRate), gradient);
  }
}
