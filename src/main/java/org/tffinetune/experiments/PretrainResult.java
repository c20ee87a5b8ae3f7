package org.tffinetune.experiments;

import java.util.List;

/**
 * Pretraining on the source digits for one seed, done once and reused by the transfer and
 * fine-tune-all runs of that seed. Stored as JSON beside the SavedModel it describes.
 *
 * @param formatVersion {@link JsonFiles#FORMAT_VERSION} of the writer
 * @param seed the experiment seed, which also seeded the weights, shuffling and dropout
 * @param digits the source digits, such as {@code 5-9}
 * @param trainSamples training images used
 * @param epochs passes over the training images
 * @param testLoss mean categorical cross-entropy on the source test images
 * @param testAccuracy accuracy on the source test images
 * @param testSamples number of source test images
 * @param trainSeconds wall time of each epoch's training steps
 * @param modelDir the SavedModel folder, relative to the results folder
 */
public record PretrainResult(
    int formatVersion,
    long seed,
    String digits,
    int trainSamples,
    int epochs,
    double testLoss,
    double testAccuracy,
    int testSamples,
    List<Double> trainSeconds,
    String modelDir) {

  /** Returns the mean of {@link #trainSeconds()}. */
  public double secondsPerEpoch() {
    return Statistics.mean(trainSeconds);
  }
}
