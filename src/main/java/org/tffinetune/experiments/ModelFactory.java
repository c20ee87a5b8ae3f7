package org.tffinetune.experiments;

import org.tffinetune.models.Sequential;
import org.tffinetune.notebook.NotebookModel;

/**
 * Builds the network that every arm of an experiment trains. Every model it builds for a class
 * count must have the same layer names, so that pretrained weights can be copied by name.
 */
public interface ModelFactory {

  /** Returns a name for the architecture, stored with the results to detect a changed model. */
  String name();

  /** Returns the name of the last feature layer: it and every layer before it are features. */
  String lastFeatureLayer();

  /**
   * Builds a new, uncompiled model with {@code classes} outputs and weights drawn from {@code
   * seed}.
   */
  Sequential build(int classes, long seed);

  /** Returns the network of Keras's MNIST transfer-learning example, {@link NotebookModel}. */
  static ModelFactory notebook() {
    return new ModelFactory() {
      @Override
      public String name() {
        return "notebook";
      }

      @Override
      public String lastFeatureLayer() {
        return NotebookModel.LAST_FEATURE_LAYER;
      }

      @Override
      public Sequential build(int classes, long seed) {
        return NotebookModel.build(classes, seed);
      }
    };
  }
}
