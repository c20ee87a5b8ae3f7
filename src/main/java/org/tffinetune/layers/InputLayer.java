package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Declares a model's input shape, as Keras's {@code InputLayer}; it adds no ops. Keras does not
 * list it in {@code summary()}, and neither does this project.
 */
public final class InputLayer extends Layer {
  private final long[] shape;

  /** Creates an input layer for examples of the given shape (batch dimension excluded). */
  public InputLayer(long[] shape, String name) {
    super(name);
    for (long d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "InputLayer shape must have positive dimensions, got " + formatShape(shape));
      }
    }
    this.shape = shape.clone();
  }

  /** Returns the declared example shape. */
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public String className() {
    return "InputLayer";
  }

  @Override
  public String defaultNamePrefix() {
    return "input_layer";
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    if (!java.util.Arrays.equals(in, shape)) {
      throw new IllegalArgumentException(
          "InputLayer '"
              + name()
              + "' declares shape "
              + formatShape(shape)
              + " but the model input is "
              + formatShape(in));
    }
    return in;
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    return input;
  }

  @Override
  protected Map<String, Object> layerConfig() {
    List<Object> batchShape = new ArrayList<>();
    batchShape.add(null);
    for (long d : shape) {
      batchShape.add(d);
    }
    Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("batch_shape", batchShape);
    c.put("dtype", "float32");
    return c;
  }
}
