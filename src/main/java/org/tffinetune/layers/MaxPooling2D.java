package org.tffinetune.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Max pooling over NHWC images, as Keras's {@code MaxPooling2D}. */
public final class MaxPooling2D extends Pooling2D {

  /** Creates {@code MaxPooling2D(poolSize)}: square window, strides equal to the window. */
  public MaxPooling2D(int poolSize) {
    this(new int[] {poolSize, poolSize}, null, Padding.VALID, null);
  }

  /** Creates a max-pooling layer; null strides mean the pool size, a null name a model one. */
  public MaxPooling2D(int[] poolSize, int[] strides, Padding padding, String name) {
    super(poolSize, strides, padding, name);
  }

  @Override
  public String className() {
    return "MaxPooling2D";
  }

  @Override
  public String defaultNamePrefix() {
    return "max_pooling2d";
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    return tf.nn.maxPool(
        input,
        tf.constant(new int[] {1, poolSize[0], poolSize[1], 1}),
        tf.constant(new int[] {1, strides[0], strides[1], 1}),
        padding.tfName());
  }
}
