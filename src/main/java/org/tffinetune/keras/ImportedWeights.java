package org.tffinetune.keras;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.models.Sequential;

/**
 * Collects weight values read from a Keras file, checks each against the layer that receives it,
 * and sets them on the model once every weight is present.
 */
final class ImportedWeights {
  private final Sequential model;
  private final String source;
  private final Map<String, Weight> values = new LinkedHashMap<>();

  ImportedWeights(Sequential model, String source) {
    this.model = model;
    this.source = source;
  }

  /**
   * Adds the value of one weight.
   *
   * @param location where the value sits in the file, such as {@code layers/dense/vars/0}
   * @throws InvalidInputException when the shape differs from the layer's, naming the layer, the
   *     weight and both shapes
   */
  void put(Layer layer, WeightSpec spec, String location, long[] shape, float[] data) {
    if (!Arrays.equals(shape, spec.shape())) {
      throw new InvalidInputException(
          source
              + ": weight '"
              + spec.name()
              + "' of layer '"
              + layer.name()
              + "' ("
              + layer.className()
              + ") at "
              + location
              + " has shape "
              + Arrays.toString(shape)
              + " but the layer expects "
              + Arrays.toString(spec.shape())
              + "; the weights do not match the model config");
    }
    values.put(layer.name() + "/" + spec.name(), new Weight(spec.name(), shape, data));
  }

  /** Returns an exception naming a layer weight that the file does not contain. */
  InvalidInputException missing(Layer layer, WeightSpec spec, String detail) {
    return new InvalidInputException(
        source
            + ": no value for weight '"
            + spec.name()
            + "' of layer '"
            + layer.name()
            + "' ("
            + layer.className()
            + "): "
            + detail);
  }

  /**
   * Sets the collected values on the model.
   *
   * @throws InvalidInputException when a weight of any layer has no value
   */
  void applyToModel() {
    for (Layer layer : model.layers()) {
      for (WeightSpec spec : layer.weightSpecs()) {
        if (!values.containsKey(layer.name() + "/" + spec.name())) {
          throw missing(layer, spec, "the file contains no value for it");
        }
      }
    }
    model.setWeights(values);
  }
}
