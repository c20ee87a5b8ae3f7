package org.tffinetune.optimizers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Freezing relies on this: the model requests from TensorFlow the gradients of its trainable
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
  private final Map<String, Variable<TFloat32>> slots = new HashMap<>();

  /** Creates the optimizer's shared state in the graph of {@code tf}. */
  protected KerasOptimizer(Ops tf, float learningRate) {
    this.tf = tf.withSubScope("optimizer");
    this.learningRate = learningRate;
    this.iterations = this.tf.withName("iterations").variable(this.tf.constant(0L));
  }

  /**
   * Adds one update step for the given variables.
   *
   * <p>Calling it again for the same variables, for example for a second training path through the
   * same weights, reuses their slots and the step counter, so both paths share one optimizer state.
   *
   * @param gradients gradients of the loss with respect to {@code variables}, in the same order
   * @param names the variables' {@code layer/weight} names, which name their slots
   * @return an op that applies all updates and then increments {@code iterations}
   */
  public final Op applyGradients(
      List<Variable<TFloat32>> variables, List<Operand<TFloat32>> gradients, List<String> names) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException(
          variables.size() + " variables but " + gradients.size() + " gradients");
    }
    // Every update waits for every gradient. The weights are reference variables that the
    // backward pass reads in place, so an update that ran early would change the gradients of
    // the layers below it, differently from run to run.
    List<Op> gradientOps = new ArrayList<>();
    gradients.forEach(g -> gradientOps.add(tf.identity(g)));
    Ops afterGradients = tf.withControlDependencies(gradientOps);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Operand<TFloat32> gated = afterGradients.identity(gradients.get(i));
      updates.add(applyDense(names.get(i), variables.get(i), gated));
    }
    return tf.withControlDependencies(updates).assignAdd(iterations, tf.constant(1L));
  }

  /**
   * Returns the 1-based step number of the update being built, as float32: {@code iterations + 1}.
   */
  protected Operand<TFloat32> localStep() {
    return tf.dtypes.cast(tf.math.add(iterations, tf.constant(1L)), TFloat32.class);
  }

  /**
   * Returns the slot {@code slotName} of the variable named {@code variableName}, creating it
   * zero-initialized and shaped like {@code variable} on first use.
   */
  protected Variable<TFloat32> slot(
      String variableName, Variable<TFloat32> variable, String slotName) {
    return slots.computeIfAbsent(
        variableName + "/" + slotName,
        key -> {
          Ops scope = tf.withSubScope(variableName.replace('/', '_'));
          Shape shape = variable.shape();
          return scope
              .withName(slotName)
              .variable(scope.zeros(scope.constant(shape), TFloat32.class));
        });
  }

  /** Adds the update of the variable named {@code name} from its gradient. */
  protected abstract Op applyDense(
      String name, Variable<TFloat32> variable, Operand<TFloat32> gradient);
}
