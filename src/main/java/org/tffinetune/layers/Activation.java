package org.tffinetune.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Applies an activation function as its own layer, as Keras's {@code Activation}. */
public final class Activation extends Layer {
  private final ActivationFunction function;

  /** Creates an activation layer with a model-assigned name. */
  public Activation(ActivationFunction function) {
    this(function, null);
  }

  /** Creates an activation layer with the given name (null for a model-assigned one). */
  public Activation(ActivationFunction function, String name) {
    super(name);
    this.function = function;
  }

  /** Creates an activation layer from a Keras name such as {@code relu}. */
  public static Activation of(String kerasName) {
    return new Activation(ActivationFunction.forKerasName(kerasName));
  }

  /** Returns the function this layer applies. */
  public ActivationFunction function() {
    return function;
  }

  @Override
  public String className() {
    return "Activation";
  }

  @Override
  public String defaultNamePrefix() {
    return "activation";
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    return function.apply(tf, input);
  }

  @Override
  protected Map<String, Object> layerConfig() {
    return Map.of("activation", function.kerasName());
  }
}
