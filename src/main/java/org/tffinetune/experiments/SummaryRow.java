package org.tffinetune.experiments;

import java.util.List;

/**
 * The runs of one arm at one training-set size, over all seeds.
 *
 * @param arm how the models were trained
 * @param samplesPerClass training images per class, {@link SampleSizes#ALL} for all
 * @param trainSamples training images per run
 * @param seeds number of runs (one per seed)
 * @param accuracyMean mean test accuracy
 * @param accuracyStd sample standard deviation of the test accuracy, or null for one seed
 * @param secondsPerEpoch mean training seconds per epoch, without validation
 * @param accuracies the test accuracy of each run, in seed order
 */
public record SummaryRow(
    Arm arm,
    int samplesPerClass,
    int trainSamples,
    int seeds,
    double accuracyMean,
    Double accuracyStd,
    double secondsPerEpoch,
    List<Double> accuracies) {

  /** Returns the standard deviation, or 0 where it is undefined (one seed). */
  public double accuracyStdOrZero() {
    return accuracyStd == null ? 0 : accuracyStd;
  }
}
