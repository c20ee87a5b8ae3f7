package org.tffinetune.layers;

import org.tffinetune.initializers.Initializer;

/**
 * A weight that a layer declares when it is built.
 *
 * @param name the name inside the layer, as Keras names it ({@code kernel}, {@code bias}, ...)
 * @param shape the weight's shape
 * @param initializer how the weight's first value is drawn
 * @param trainable false for weights that no optimizer updates, such as BatchNormalization's moving
 *     statistics; a frozen layer makes all its weights non-trainable
 */
public record WeightSpec(String name, long[] shape, Initializer initializer, boolean trainable) {

  /** Returns the number of scalar parameters in this weight. */
  public long size() {
    return Weight.elementCount(shape);
  }
}
