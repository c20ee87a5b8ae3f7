package org.tffinetune.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One finished run: an arm trained at one training-set size with one seed, and its score on the
 * target test images. Stored as one JSON file per run.
 *
 * @param formatVersion {@link JsonFiles#FORMAT_VERSION} of the writer
 * @param arm how the model was trained
 * @param seed the experiment seed of the run
 * @param samplesPerClass training images per class, {@link SampleSizes#ALL} for all
 * @param trainSamples training images used in total
 * @param epochs passes over the training images
 * @param trainableParams parameters that the optimizer updated
 * @param testLoss mean categorical cross-entropy on the target test images
 * @param testAccuracy accuracy on the target test images
 * @param testSamples number of target test images
 * @param trainSeconds wall time of each epoch's training steps, without validation. The first epoch
 *     also counts loading the images into the graph and filling the frozen-feature cache.
 * @param epochSeconds wall time of each epoch including validation, as {@code History} records it
 * @param history per-epoch {@code loss} and {@code accuracy}, plus {@code val_loss} and {@code
 *     val_accuracy} on the target test images for runs at the largest size
 * @param confusionMatrix test-image counts by true class (row) and predicted class (column), for
 *     transfer runs only, otherwise null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(
    int formatVersion,
    Arm arm,
    long seed,
    int samplesPerClass,
    int trainSamples,
    int epochs,
    long trainableParams,
    double testLoss,
    double testAccuracy,
    int testSamples,
    List<Double> trainSeconds,
    List<Double> epochSeconds,
    Map<String, List<Double>> history,
    int[][] confusionMatrix) {

  /** Returns the mean of {@link #trainSeconds()}. */
  public double secondsPerEpoch() {
    return Statistics.mean(trainSeconds);
  }
}
