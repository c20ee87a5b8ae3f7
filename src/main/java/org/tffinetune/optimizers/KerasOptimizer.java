package org.tffinetune.optimizers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An optimizer that updates exactly the variables it is given, with Keras 3's update rules.
 *
 * <p>Freezing relies on this: the model asks TensorFlow for the gradients of its trainable
 * variables only and passes those pairs to {@link #applyGradients}. Slot variables live under
 * {@code optimizer/<variable>/<slot>} and start at zero; an {@code optimizer/iterations} counter
 * counts steps, as in Keras. tensorflow-framework's optimizers are not used because they derive
 * slot names from the variable's op name, which rejects the {@code layer/weight} names that match
 * Keras's.
 */
public abstract class KerasOptimizer {
  protected final Ops tf;
  protected final float learningRate;
  private final Variable<TInt64> iterations;

  /** Creates the optimizer's shared state in the graph of {@code tf}. */
  protected KerasOptimizer(Ops tf, float learningRate) {
    this.tf = tf.withSubScope("optimizer");
    this.learningRate = learningRate;
    this.iterations = this.tf.withName("iterations").variable(this.tf.constant(0L));
  }

  /**
   * Adds one update step for the given variables.
   *
   * @param gradients gradients of the loss with respect to {@code variables}, in the same order
   * @return an op that applies all updates and then increments {@code iterations}
   */
  public final Op applyGradients(
      List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients, List<String> names) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException(
          variables.size() + " variables but " + gradients.size() + " gradients");
    }
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Ops scope = tf.withSubScope(names.get(i).replace('/', '_'));
      updates.add(applyDense(scope, variables.get(i), gradients.get(i)));
    }
    return tf.withControlDependencies(updates).assignAdd(iterations, tf.constant(1L));
  }

  /**
   * Returns the 1-based step number of the update being built, as float32: {@code iterations + 1}.
   */
  protected Operand<TFloat32> localStep() {
    return tf.dtypes.cast(tf.math.add(iterations, tf.constant(1L)), TFloat32.class);
  }

  /** Creates a zero-initialized slot variable shaped like {@code variable}. */
  protected Variable<TFloat32> slot(Ops scope, Variable<TFloat32> variable, String name) {
    Shape shape = variable.shape();
    return scope.withName(name).variable(scope.zeros(scope.constant(shape), TFloat32.class));
  }

  /** Adds the update of one variable from its gradient. */
  protected abstract Op applyDense(
      Ops scope, Variable<TFloat32> variable, Operand<TFloat32> gradient);
}
