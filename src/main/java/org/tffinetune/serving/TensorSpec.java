package org.tffinetune.serving;

import java.util.List;

/**
 * One input or output of a SavedModel signature.
 *
 * @param key the name that the signature gives the tensor, such as {@code input}
 * @param tensorName the graph tensor that the key maps to, such as {@code serving_default_input:0}
 * @param dtype the TensorFlow data type name, such as {@code DT_FLOAT}
 * @param shape the dimensions, with -1 for a dimension of unknown size such as the batch
 */
public record TensorSpec(String key, String tensorName, String dtype, List<Long> shape) {
  /** Creates a spec and copies {@code shape} into an unmodifiable list. */
  public TensorSpec {
    shape = List.copyOf(shape);
  }

  /** Returns the shape as text, such as {@code [-1, 28, 28, 1]}. */
  public String shapeText() {
    return shape.toString();
  }
}
