package org.tffinetune.models;

import java.util.Map;

/**
 * Receives training progress from {@link Sequential#fit}, as Keras's callbacks do. All methods have
 * empty defaults.
 */
public interface TrainingListener {

  /** Called before the first step of an epoch; {@code epoch} counts from 1. */
  default void onEpochBegin(int epoch, int epochs, int steps) {}

  /**
   * Called after each step with the running means of the epoch so far.
   *
   * @param step the step just finished, counting from 1
   * @param logs running {@code loss} and {@code accuracy}
   */
  default void onBatchEnd(int step, Map<String, Double> logs) {}

  /**
   * Called after an epoch, once validation has run.
   *
   * @param logs the epoch's {@code loss}, {@code accuracy} and, with validation data, {@code
   *     val_loss} and {@code val_accuracy}
   * @param seconds the epoch's wall time including validation
   */
  default void onEpochEnd(int epoch, Map<String, Double> logs, double seconds, int steps) {}
}
