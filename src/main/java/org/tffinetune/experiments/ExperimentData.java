package org.tffinetune.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.Digits;
import org.tffinetune.data.LabeledImages;

/**
 * The four image sets of an experiment, relabelled to classes 0 to k-1: training and test images of
 * the source digits and of the target digits. {@code --limit} caps the two training sets, but the
 * test sets are always complete.
 *
 * @param sourceTrain training images of the source digits, for pretraining
 * @param sourceTest test images of the source digits, to evaluate pretraining
 * @param targetTrain the pool of target training images that subsets are drawn from
 * @param targetTest test images of the target digits, for validation and the test accuracy
 */
public record ExperimentData(
    LabeledImages sourceTrain,
    LabeledImages sourceTest,
    LabeledImages targetTrain,
    LabeledImages targetTest) {

  /** Odd 64-bit constant (the golden ratio) that spreads the per-class seeds apart. */
  private static final long CLASS_SEED_STEP = 0x9E3779B97F4A7C15L;

  /**
   * Selects the experiment's digits from the 10-class MNIST splits and checks that every requested
   * training-set size fits the target training images.
   *
   * @throws InvalidInputException when a digit set has no images, or a size requests more images
   *     per class than a target digit has, naming the digit and both counts
   */
  public static ExperimentData select(
      ExperimentSettings settings, LabeledImages train, LabeledImages test) {
    ExperimentData data =
        new ExperimentData(
            limit(train.select(settings.source()), settings.limit()),
            test.select(settings.source()),
            limit(train.select(settings.target()), settings.limit()),
            test.select(settings.target()));
    data.checkNotEmpty("source", settings.source());
    data.checkNotEmpty("target", settings.target());
    data.checkSampleSizes(settings);
    return data;
  }

  private static LabeledImages limit(LabeledImages images, int limit) {
    return limit > 0 ? images.limit(limit) : images;
  }

  private void checkNotEmpty(String role, int[] digits) {
    LabeledImages trainSet = role.equals("source") ? sourceTrain : targetTrain;
    LabeledImages testSet = role.equals("source") ? sourceTest : targetTest;
    if (trainSet.size() == 0 || testSet.size() == 0) {
      throw new InvalidInputException(
          "the data has no "
              + (trainSet.size() == 0 ? "training" : "test")
              + " images of the "
              + role
              + " digits "
              + Digits.format(digits)
              + "; choose digits that the data contains");
    }
  }

  private void checkSampleSizes(ExperimentSettings settings) {
    int largest = 0;
    for (int size : settings.samplesPerClass()) {
      largest = Math.max(largest, size);
    }
    if (largest == SampleSizes.ALL) {
      return;
    }
    int[] counts = targetTrain.countsPerClass();
    int[] digits = targetTrain.digits();
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] < largest) {
        throw new InvalidInputException(
            "--samples "
                + largest
                + " needs "
                + largest
                + " training images per class, but target digit "
                + digits[c]
                + " has only "
                + counts[c]
                + " (per-digit counts "
                + formatCounts(digits, counts)
                + (settings.limit() > 0 ? ", after --limit " + settings.limit() : "")
                + "); lower --samples"
                + (settings.limit() > 0 ? " or raise --limit" : ""));
      }
    }
  }

  private static String formatCounts(int[] digits, int[] counts) {
    List<String> parts = new ArrayList<>();
    for (int c = 0; c < counts.length; c++) {
      parts.add(digits[c] + ": " + counts[c]);
    }
    return String.join(", ", parts);
  }

  /**
   * Returns a balanced subset of the target training images: {@code perClass} images of every
   * class, drawn from {@code seed}, or the whole pool for {@link SampleSizes#ALL}. For one seed the
   * subsets are nested, so the 10 images of a class are among its 50.
   */
  public LabeledImages targetSubset(int perClass, long seed) {
    if (perClass == SampleSizes.ALL) {
      return targetTrain;
    }
    return targetTrain.subset(balancedIndices(targetTrain, perClass, seed));
  }

  /**
   * Returns the indices of {@code perClass} images of every class of {@code images}, in ascending
   * order. Each class has its own random stream derived from {@code seed} and the class, and keeps
   * the first {@code perClass} positions of a shuffle of its indices, so that for one seed a
   * smaller subset is contained in a larger one.
   *
   * @throws InvalidInputException when a class has fewer than {@code perClass} images
   */
  static int[] balancedIndices(LabeledImages images, int perClass, long seed) {
    int classes = images.numClasses();
    int[] counts = images.countsPerClass();
    int[][] byClass = new int[classes][];
    int[] filled = new int[classes];
    for (int c = 0; c < classes; c++) {
      if (counts[c] < perClass) {
        throw new InvalidInputException(
            "cannot draw "
                + perClass
                + " images of digit "
                + images.digits()[c]
                + ": it has only "
                + counts[c]);
      }
      byClass[c] = new int[counts[c]];
    }
    for (int i = 0; i < images.size(); i++) {
      int c = images.label(i);
      byClass[c][filled[c]++] = i;
    }

    int[] result = new int[classes * perClass];
    for (int c = 0; c < classes; c++) {
      SplittableRandom random = new SplittableRandom(seed + CLASS_SEED_STEP * (c + 1));
      int[] indices = byClass[c];
      // A partial Fisher-Yates shuffle: the first perClass positions are a uniform sample.
      for (int i = 0; i < perClass; i++) {
        int j = i + random.nextInt(indices.length - i);
        int swap = indices[i];
        indices[i] = indices[j];
        indices[j] = swap;
      }
      System.arraycopy(indices, 0, result, c * perClass, perClass);
    }
    Arrays.sort(result);
    return result;
  }
}
