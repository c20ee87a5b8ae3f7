package org.tffinetune.models;

import org.tffinetune.InvalidInputException;

/**
 * Stops {@link Sequential#fit} when the loss becomes NaN or infinite, which usually means the
 * learning rate is too high for the optimizer. The weights are left as they were after the last
 * finished step, so they may already hold the non-finite update.
 */
public final class TrainingDivergedException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;

  TrainingDivergedException(int epoch, int step, double loss) {
    super(
        "training stopped: the loss became "
            + loss
            + " at epoch "
            + epoch
            + ", step "
            + step
            + "; try a lower learning rate");
    this.epoch = epoch;
    this.step = step;
  }

  /** Returns the epoch at which the loss became non-finite, counting from 1. */
  public int epoch() {
    return epoch;
  }

  /** Returns the step within the epoch, counting from 1. */
  public int step() {
    return step;
  }
}
