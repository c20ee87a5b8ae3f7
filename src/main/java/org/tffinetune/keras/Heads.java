package org.tffinetune.keras;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Activation;
import org.tffinetune.layers.ActivationFunction;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.LayerConfigs;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.models.Sequential;

/**
 * Replaces the classification head of a model, the usual first step of transfer learning: keep the
 * feature layers and their weights, and put a fresh softmax layer with the new class count on top.
 */
public final class Heads {
  /** Name of the new head layer; a suffix {@code _1}, {@code _2}, ... avoids a clash. */
  public static final String HEAD_NAME = "predictions";

  private Heads() {}

  /**
   * Returns a new model with the layers and weights of {@code model} except its head, the final
   * {@link Dense} layer and, when present, an {@link Activation} layer right after it. In their
   * place sits {@code Dense(classes, activation="softmax")} named {@value #HEAD_NAME}, with Glorot
   * uniform kernel and zero bias drawn from {@code seed}.
   *
   * <p>The kept layers are new objects built from their Keras configs, because a layer belongs to
   * one model; they keep their {@code trainable} flags. The new model has the same name and input
   * shape, and its seed is {@code seed}. {@code model} is left unchanged.
   *
   * @param classes the number of classes of the new head, at least 1
   * @throws IllegalArgumentException when {@code classes} is below 1
   * @throws InvalidInputException when the model does not end with a Dense layer, optionally
   *     followed by an Activation layer
   */
  public static Sequential replaceHead(Sequential model, int classes, long seed) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, got " + classes);
    }
    List<Layer> layers = model.layers();
    int keep = headStart(model, layers);

    Sequential result = new Sequential(model.name(), model.inputShape());
    result.setSeed(seed);
    Set<String> names = new HashSet<>();
    for (Layer layer : layers.subList(0, keep)) {
      result.add(LayerConfigs.fromConfig(layer.className(), layer.getConfig(), model.name()));
      names.add(layer.name());
    }
    result.add(
        Dense.builder(classes)
            .activation(ActivationFunction.SOFTMAX)
            .name(uniqueName(names))
            .build());

    Map<String, Weight> weights = model.getWeights();
    Map<String, Weight> keptWeights = new LinkedHashMap<>();
    for (Layer layer : layers.subList(0, keep)) {
      for (WeightSpec spec : layer.weightSpecs()) {
        String key = layer.name() + "/" + spec.name();
        keptWeights.put(key, weights.get(key));
      }
    }
    result.setWeights(keptWeights);
    return result;
  }

  /** Returns the index of the first head layer. */
  private static int headStart(Sequential model, List<Layer> layers) {
    int last = layers.size() - 1;
    if (last >= 0 && layers.get(last) instanceof Dense) {
      return last;
    }
    if (last >= 1
        && layers.get(last) instanceof Activation
        && layers.get(last - 1) instanceof Dense) {
      return last - 1;
    }
    String found = "missing";
    if (last >= 0) {
      Layer layer = layers.get(last);
      found = "'" + layer.name() + "' (" + layer.className() + ")";
    }
    throw new InvalidInputException(
        "model '"
            + model.name()
            + "' has no classification head to replace: the last layer is "
            + found
            + "; expected a Dense layer, optionally followed by an Activation layer");
  }

  private static String uniqueName(Set<String> usedNames) {
    String name = HEAD_NAME;
    for (int i = 1; usedNames.contains(name); i++) {
      name = HEAD_NAME + "_" + i;
    }
    return name;
  }
}
