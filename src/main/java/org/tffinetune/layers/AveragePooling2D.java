package org.tffinetune.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Average pooling over NHWC images, as Keras's {@code AveragePooling2D}. With {@code same} padding
 * the average is over the valid pixels only, as in TensorFlow and Keras.
 */
public final class AveragePooling2D extends Pooling2D {

  /** Creates {@code AveragePooling2D(poolSize)}: square window, strides equal to the window. */
  public AveragePooling2D(int poolSize) {
    this(new int[] {poolSize, poolSize}, null, Padding.VALID, null);
  }

  /** Creates an average-pooling layer; null strides mean the pool size. */
  public AveragePooling2D(int[] poolSize, int[] strides, Padding padding, String name) {
    super(poolSize, strides, padding, name);
  }

  @Override
  public String className() {
    return "AveragePooling2D";
  }

  @Override
  public String defaultNamePrefix() {
    return "average_pooling2d";
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    return tf.nn.avgPool(input, ksize(), strideList(), padding.tfName());
  }
}
