package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Reshapes each example to {@code targetShape}, as Keras's {@code Reshape}; one dimension may be -1
 * and is then inferred.
 */
public final class Reshape extends Layer {
  private final long[] targetShape;

  /** Creates a reshape layer with a model-assigned name. */
  public Reshape(long... targetShape) {
    this(targetShape, null);
  }

  /** Creates a reshape layer with the given name. */
  public Reshape(long[] targetShape, String name) {
    super(name);
    int unknown = 0;
    for (long d : targetShape) {
      if (d == -1) {
        unknown++;
      } else if (d <= 0) {
        throw new IllegalArgumentException(
            "Reshape target_shape dimensions must be positive or -1, got "
                + Arrays.toString(targetShape));
      }
    }
    if (unknown > 1) {
      throw new IllegalArgumentException(
          "Reshape target_shape may contain at most one -1, got " + Arrays.toString(targetShape));
    }
    this.targetShape = targetShape.clone();
  }

  @Override
  public String className() {
    return "Reshape";
  }

  @Override
  public String defaultNamePrefix() {
    return "reshape";
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    long inSize = Weight.elementCount(in);
    long known = 1;
    int unknownAt = -1;
    for (int i = 0; i < targetShape.length; i++) {
      if (targetShape[i] == -1) {
        unknownAt = i;
      } else {
        known *= targetShape[i];
      }
    }
    long[] out = targetShape.clone();
    if (unknownAt >= 0 && known > 0 && inSize % known == 0) {
      out[unknownAt] = inSize / known;
    }
    if (Weight.elementCount(out) != inSize) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' (Reshape): cannot reshape input "
              + formatShape(in)
              + " ("
              + inSize
              + " values) to target_shape "
              + Arrays.toString(targetShape));
    }
    return out;
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    long[] out = outputShape();
    long[] withBatch = new long[out.length + 1];
    withBatch[0] = -1;
    System.arraycopy(out, 0, withBatch, 1, out.length);
    return tf.reshape(input, tf.constant(withBatch));
  }

  @Override
  protected Map<String, Object> layerConfig() {
    List<Long> shape = new ArrayList<>();
    for (long d : targetShape) {
      shape.add(d);
    }
    return Map.of("target_shape", shape);
  }
}
