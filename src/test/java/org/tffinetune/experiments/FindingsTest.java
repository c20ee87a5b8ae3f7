package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks that the findings follow the numbers, on hand-made results. */
class FindingsTest {
  private static final ExperimentSettings SETTINGS =
      TinyExperiments.settings().samplesPerClass(List.of(10, SampleSizes.ALL)).build();

  /**
   * Accuracies per seed (100, 101) at 10 per class and at all, for transfer, fine-tune, scratch.
   */
  private static ExperimentResults results(double[][] small, double[][] all, double[] seconds) {
    List<RunResult> runs = new ArrayList<>();
    for (int seed = 0; seed < 2; seed++) {
      for (Arm arm : Arm.values()) {
        runs.add(run(arm, 100 + seed, 10, small[arm.ordinal()][seed], 0.1));
      }
      for (Arm arm : Arm.values()) {
        runs.add(
            run(
                arm,
                100 + seed,
                SampleSizes.ALL,
                all[arm.ordinal()][seed],
                seconds[arm.ordinal()]));
      }
    }
    ExperimentData data =
        ExperimentData.select(SETTINGS, TinyExperiments.TRAIN, TinyExperiments.TEST);
    return new ExperimentResults(SETTINGS, "small", "", "", data, List.of(), runs, 1);
  }

  private static RunResult run(Arm arm, long seed, int size, double accuracy, double seconds) {
    long params = arm == Arm.TRANSFER ? 900 : 1000;
    return new RunResult(
        1,
        arm,
        seed,
        size,
        size == SampleSizes.ALL ? 150 : 50,
        2,
        params,
        0.5,
        accuracy,
        50,
        List.of(seconds, seconds),
        List.of(seconds, seconds),
        Map.of(),
        null);
  }

  @Test
  void transferAheadOnlyWithFewImages() {
    List<String> findings =
        Findings.describe(
            results(
                new double[][] {{0.90, 0.92}, {0.88, 0.90}, {0.50, 0.52}},
                new double[][] {{0.95, 0.95}, {0.99, 0.99}, {0.97, 0.97}},
                new double[] {1, 4, 4}));

    assertEquals(3, findings.size());
    assertEquals(
        "Transfer scores higher than training from scratch with 10 images per class but not with"
            + " all, and the widest gap is 40.0 percentage points with 10 images per class (0.9100"
            + " ± 0.0141 against 0.5100 ± 0.0141, more than the spread across seeds).",
        findings.get(0));
    assertEquals(
        "With all training images (about 30 per class), fine-tuning every layer reaches 0.9900 ±"
            + " 0.0000 against 0.9500 ± 0.0000 for transfer, so it is ahead of transfer by 4.0"
            + " percentage points (more than the spread across seeds).",
        findings.get(1));
    assertEquals(
        "At that size an epoch of transfer takes 1.00 s against 4.00 s for fine-tuning every layer"
            + " and 4.00 s from scratch (4.0 times faster than fine-tuning): transfer trains 900 of"
            + " 1,000 parameters and skips backpropagation through the frozen layers, whose output"
            + " it computes once per image.",
        findings.get(2));
  }

  @Test
  void transferAheadEverywhereWithinNoise() {
    List<String> findings =
        Findings.describe(
            results(
                new double[][] {{0.60, 0.70}, {0.60, 0.70}, {0.55, 0.65}},
                new double[][] {{0.96, 0.98}, {0.9602, 0.9802}, {0.95, 0.97}},
                new double[] {1, 2, 2}));

    assertEquals(
        "Transfer scores higher than training from scratch at every size, by up to 5.0 percentage"
            + " points with 10 images per class (0.6500 ± 0.0707 against 0.6000 ± 0.0707, within"
            + " the spread across seeds).",
        findings.get(0));
    assertEquals(
        "With all training images (about 30 per class), fine-tuning every layer reaches 0.9702 ±"
            + " 0.0141 against 0.9700 ± 0.0141 for transfer, so it is within 0.1 percentage points"
            + " of transfer.",
        findings.get(1));
  }

  @Test
  void transferNeverAhead() {
    List<String> findings =
        Findings.describe(
            results(
                new double[][] {{0.20, 0.20}, {0.20, 0.20}, {0.30, 0.30}},
                new double[][] {{0.40, 0.40}, {0.20, 0.20}, {0.50, 0.50}},
                new double[] {1, 2, 2}));

    assertEquals(
        "Transfer scores no higher than training from scratch at any size, and scratch leads by up"
            + " to 10.0 percentage points with 10 images per class (0.2000 ± 0.0000 against 0.3000"
            + " ± 0.0000, more than the spread across seeds).",
        findings.get(0));
    assertEquals(
        "With all training images (about 30 per class), fine-tuning every layer reaches 0.2000 ±"
            + " 0.0000 against 0.4000 ± 0.0000 for transfer, so it is behind transfer by 20.0"
            + " percentage points (more than the spread across seeds).",
        findings.get(1));
  }
}
