package org.tffinetune.models;

import java.util.Collection;
import java.util.List;
import org.tffinetune.layers.Layer;

/** Sets Keras's {@code trainable} flag on groups of layers, by name or up to a layer. */
public final class Freezing {
  private Freezing() {}

  /**
   * Freezes every layer from the first up to and including {@code lastFrozen}, and makes the layers
   * after it trainable.
   *
   * @throws IllegalArgumentException naming the layers when {@code lastFrozen} is not in the model
   */
  public static void freezeUntil(Sequential model, String lastFrozen) {
    Layer last = model.getLayer(lastFrozen);
    boolean frozen = true;
    for (Layer layer : model.layers()) {
      layer.setTrainable(!frozen);
      if (layer == last) {
        frozen = false;
      }
    }
  }

  /**
   * Freezes the named layers and leaves the others as they are.
   *
   * @throws IllegalArgumentException naming the layers when a name is not in the model
   */
  public static void freeze(Sequential model, Collection<String> names) {
    for (String name : names) {
      model.getLayer(name).setTrainable(false);
    }
  }

  /** Returns the names of the frozen layers that have weights. */
  public static List<String> frozenLayers(Sequential model) {
    return model.layers().stream()
        .filter(l -> !l.isTrainable() && l.countParams() > 0)
        .map(Layer::name)
        .toList();
  }
}
