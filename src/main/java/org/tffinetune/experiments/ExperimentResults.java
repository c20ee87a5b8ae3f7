package org.tffinetune.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of an experiment: its settings, the pretraining per seed and every run of the current
 * settings, with summaries per arm and size.
 *
 * @param settings the settings of the runs
 * @param modelName the architecture, as {@link ModelFactory#name()} gives it
 * @param dataSource where the images came from
 * @param command the command line that ran the experiment
 * @param data the image sets the runs used
 * @param pretraining one pretraining per seed, in seed order
 * @param runs every run, by seed, then size, then arm
 * @param wallSeconds wall time of the invocation that finished the experiment, without the runs
 *     that earlier invocations finished
 */
public record ExperimentResults(
    ExperimentSettings settings,
    String modelName,
    String dataSource,
    String command,
    ExperimentData data,
    List<PretrainResult> pretraining,
    List<RunResult> runs,
    double wallSeconds) {

  /** Returns one row per size and arm, sizes ascending with all last, arms in declared order. */
  public List<SummaryRow> summary() {
    List<SummaryRow> rows = new ArrayList<>();
    for (int size : settings.samplesPerClass()) {
      for (Arm arm : Arm.values()) {
        List<RunResult> matching = runs(arm, size);
        if (matching.isEmpty()) {
          continue;
        }
        List<Double> accuracies = matching.stream().map(RunResult::testAccuracy).toList();
        List<Double> seconds = matching.stream().map(RunResult::secondsPerEpoch).toList();
        rows.add(
            new SummaryRow(
                arm,
                size,
                matching.get(0).trainSamples(),
                matching.size(),
                Statistics.mean(accuracies),
                Statistics.sampleStd(accuracies),
                Statistics.mean(seconds),
                accuracies));
      }
    }
    return rows;
  }

  /** Returns the runs of one arm at one size, in seed order. */
  public List<RunResult> runs(Arm arm, int samplesPerClass) {
    return runs.stream()
        .filter(r -> r.arm() == arm && r.samplesPerClass() == samplesPerClass)
        .toList();
  }

  /** Returns the summary row of one arm at one size, if it has runs. */
  public Optional<SummaryRow> row(Arm arm, int samplesPerClass) {
    return summary().stream()
        .filter(r -> r.arm() == arm && r.samplesPerClass() == samplesPerClass)
        .findFirst();
  }

  /** Returns the largest size of the settings: {@link SampleSizes#ALL} when it is listed. */
  public int largestSize() {
    List<Integer> sizes = settings.samplesPerClass();
    return sizes.get(sizes.size() - 1);
  }

  /**
   * Returns the transfer run with the highest test accuracy. Among equal accuracies it prefers the
   * larger size, then the lower seed.
   */
  public Optional<RunResult> bestTransferRun() {
    Comparator<RunResult> order =
        Comparator.comparingDouble(RunResult::testAccuracy)
            .thenComparingInt(
                r ->
                    r.samplesPerClass() == SampleSizes.ALL
                        ? Integer.MAX_VALUE
                        : r.samplesPerClass())
            .thenComparing(Comparator.comparingLong(RunResult::seed).reversed());
    return runs.stream()
        .filter(r -> r.arm() == Arm.TRANSFER && r.confusionMatrix() != null)
        .max(order);
  }

  /**
   * Returns the mean number of training images per class at a size: the size itself, or for {@link
   * SampleSizes#ALL} the target pool divided by the number of target digits.
   */
  public double imagesPerClass(int samplesPerClass) {
    if (samplesPerClass != SampleSizes.ALL) {
      return samplesPerClass;
    }
    return (double) data.targetTrain().size() / settings.target().length;
  }

  /** Returns the summed training time of all pretraining and runs, in seconds. */
  public double trainingSeconds() {
    double total = 0;
    for (PretrainResult p : pretraining) {
      total += p.trainSeconds().stream().mapToDouble(Double::doubleValue).sum();
    }
    for (RunResult r : runs) {
      total += r.trainSeconds().stream().mapToDouble(Double::doubleValue).sum();
    }
    return total;
  }
}
