package org.tffinetune.layers;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Flattens each example to one dimension, as Keras's {@code Flatten} (row-major, NHWC). */
public final class Flatten extends Layer {

  /** Creates a flatten layer with a model-assigned name. */
  public Flatten() {
    this(null);
  }

  /** Creates a flatten layer with the given name. */
  public Flatten(String name) {
    super(name);
  }

  @Override
  public String className() {
    return "Flatten";
  }

  @Override
  public String defaultNamePrefix() {
    return "flatten";
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    return new long[] {Weight.elementCount(in)};
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    return tf.reshape(input, tf.constant(new long[] {-1, outputShape()[0]}));
  }

  @Override
  protected Map<String, Object> layerConfig() {
    return Map.of("data_format", "channels_last");
  }
}
