package org.tffinetune.notebook;

import java.util.List;
import org.tffinetune.layers.Activation;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Dropout;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.MaxPooling2D;
import org.tffinetune.models.Sequential;

/**
 * The network of Keras's MNIST transfer-learning example, for 28x28x1 input. The feature layers are
 * Conv2D(32, 3) relu, Conv2D(32, 3) relu, MaxPooling2D(2), Dropout(0.25) and Flatten. The
 * classification layers are Dense(128) relu, Dropout(0.5) and Dense(classes) softmax. With 5
 * classes it has 600,165 parameters, 9,568 of them in the feature layers.
 */
public final class NotebookModel {
  /**
   * Number of feature layers, which fine-tuning freezes: the layers up to and including Flatten.
   */
  public static final int FEATURE_LAYERS = 7;

  /** Name of the last feature layer. */
  public static final String LAST_FEATURE_LAYER = "flatten";

  /** The notebook's number of convolution filters. */
  public static final int FILTERS = 32;

  /** The notebook's convolution kernel size. */
  public static final int KERNEL_SIZE = 3;

  /** The notebook's pooling window. */
  public static final int POOL_SIZE = 2;

  private NotebookModel() {}

  /** Builds the model with {@code classes} outputs and weights drawn from {@code seed}. */
  public static Sequential build(int classes, long seed) {
    Sequential model = new Sequential(28, 28, 1);
    model.setSeed(seed);
    for (Layer layer : featureLayers()) {
      model.add(layer);
    }
    for (Layer layer : classificationLayers(classes)) {
      model.add(layer);
    }
    return model;
  }

  /** Returns new feature layers. */
  public static List<Layer> featureLayers() {
    return List.of(
        Conv2D.of(FILTERS, KERNEL_SIZE),
        Activation.of("relu"),
        Conv2D.of(FILTERS, KERNEL_SIZE),
        Activation.of("relu"),
        new MaxPooling2D(POOL_SIZE),
        new Dropout(0.25),
        new Flatten());
  }

  /** Returns new classification layers with {@code classes} outputs. */
  public static List<Layer> classificationLayers(int classes) {
    return List.of(
        Dense.of(128),
        Activation.of("relu"),
        new Dropout(0.5),
        Dense.of(classes),
        Activation.of("softmax"));
  }

  /** Freezes the feature layers (the first {@link #FEATURE_LAYERS}) of a notebook model. */
  public static void freezeFeatureLayers(Sequential model) {
    List<Layer> layers = model.layers();
    for (int i = 0; i < FEATURE_LAYERS && i < layers.size(); i++) {
      layers.get(i).setTrainable(false);
    }
  }
}
