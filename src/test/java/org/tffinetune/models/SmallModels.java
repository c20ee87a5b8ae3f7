package org.tffinetune.models;

import org.tffinetune.layers.Activation;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Dropout;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.MaxPooling2D;

/** A small version of the notebook's network that trains in a second on synthetic digits. */
final class SmallModels {
  /** Index of the last feature layer (flatten) in {@link #notebookLike}. */
  static final int FEATURE_LAYERS = 6;

  private SmallModels() {}

  /** Conv2D(4,3) relu, MaxPooling2D(2), Dropout(0.25), Flatten | Dense(16) relu, Dropout, Dense. */
  static Sequential notebookLike(int classes, long seed) {
    Sequential model = new Sequential(28, 28, 1);
    model.setSeed(seed);
    model
        .add(Conv2D.of(4, 3))
        .add(Activation.of("relu"))
        .add(new MaxPooling2D(2))
        .add(new Dropout(0.25))
        .add(new Flatten())
        .add(Dense.of(16))
        .add(Activation.of("relu"))
        .add(new Dropout(0.5))
        .add(Dense.of(classes))
        .add(Activation.of("softmax"));
    return model;
  }
}
