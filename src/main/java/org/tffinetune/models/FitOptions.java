package org.tffinetune.models;

import java.util.ArrayList;
import java.util.List;
import org.tffinetune.data.LabeledImages;

/**
 * Settings of one {@link Sequential#fit} call, named as Keras's {@code fit} arguments, with Keras's
 * defaults: batch size 32, 1 epoch, shuffling on, {@code verbose=1}.
 */
public final class FitOptions {
  /** Keras's default batch size. */
  public static final int BATCH_SIZE_DEFAULT = 32;

  final int batchSize;
  final int epochs;
  final LabeledImages validationData;
  final boolean shuffle;
  final int verbose;
  final List<TrainingListener> listeners;
  final boolean cacheFrozenFeatures;

  private FitOptions(Builder b) {
    this.batchSize = b.batchSize;
    this.epochs = b.epochs;
    this.validationData = b.validationData;
    this.shuffle = b.shuffle;
    this.verbose = b.verbose;
    this.listeners = List.copyOf(b.listeners);
    this.cacheFrozenFeatures = b.cacheFrozenFeatures;
  }

  /** Returns a builder with Keras's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link FitOptions}. */
  public static final class Builder {
    private int batchSize = BATCH_SIZE_DEFAULT;
    private int epochs = 1;
    private LabeledImages validationData;
    private boolean shuffle = true;
    private int verbose = 1;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private boolean cacheFrozenFeatures = true;

    private Builder() {}

    /** Sets the number of examples per step (default 32); must be positive. */
    public Builder batchSize(int batchSize) {
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Sets the number of passes over the data (default 1); must be positive. */
    public Builder epochs(int epochs) {
      if (epochs <= 0) {
        throw new IllegalArgumentException("epochs must be positive, got " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** Sets data evaluated after each epoch for {@code val_loss} and {@code val_accuracy}. */
    public Builder validationData(LabeledImages validationData) {
      this.validationData = validationData;
      return this;
    }

    /** Turns shuffling of the training data before each epoch on or off (default on). */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Sets Keras's verbosity: 0 silent, 1 progress bar (default), 2 one line per epoch. */
    public Builder verbose(int verbose) {
      if (verbose < 0 || verbose > 2) {
        throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
      }
      this.verbose = verbose;
      return this;
    }

    /** Adds a listener that receives progress besides the printed output. */
    public Builder listener(TrainingListener listener) {
      this.listeners.add(listener);
      return this;
    }

    /**
     * Turns the cache of frozen features on or off (default on). With the cache, the output of the
     * frozen layers at the start of the model is computed once per image, and the rest of the model
     * trains on it. Results match training without the cache.
     */
    public Builder cacheFrozenFeatures(boolean cacheFrozenFeatures) {
      this.cacheFrozenFeatures = cacheFrozenFeatures;
      return this;
    }

    /** Returns the options. */
    public FitOptions build() {
      return new FitOptions(this);
    }
  }
}
