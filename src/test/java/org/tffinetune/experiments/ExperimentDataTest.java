package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.LabeledImages;

class ExperimentDataTest {
  private static final ExperimentData DATA =
      ExperimentData.select(
          TinyExperiments.settings().build(), TinyExperiments.TRAIN, TinyExperiments.TEST);

  @Test
  void selectsAndRelabelsDigits() {
    assertArrayEquals(new int[] {5, 6, 7, 8, 9}, DATA.sourceTrain().digits());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, DATA.targetTest().digits());
    assertEquals(150, DATA.targetTrain().size());
    assertEquals(50, DATA.sourceTest().size());
  }

  @Test
  void subsetIsBalanced() {
    LabeledImages subset = DATA.targetSubset(7, 3);

    assertArrayEquals(new int[] {7, 7, 7, 7, 7}, subset.countsPerClass());
  }

  @Test
  void allReturnsWholePool() {
    assertSame(DATA.targetTrain(), DATA.targetSubset(SampleSizes.ALL, 3));
  }

  @Test
  void subsetDependsOnlyOnSeed() {
    int[] first = ExperimentData.balancedIndices(DATA.targetTrain(), 5, 9);
    int[] again = ExperimentData.balancedIndices(DATA.targetTrain(), 5, 9);
    int[] otherSeed = ExperimentData.balancedIndices(DATA.targetTrain(), 5, 10);

    assertArrayEquals(first, again);
    assertFalse(Arrays.equals(first, otherSeed));
  }

  @Test
  void smallerSubsetIsInsideLargerOne() {
    int[] small = ExperimentData.balancedIndices(DATA.targetTrain(), 3, 21);
    int[] large = ExperimentData.balancedIndices(DATA.targetTrain(), 12, 21);

    for (int index : small) {
      assertTrue(Arrays.binarySearch(large, index) >= 0, "index " + index);
    }
  }

  @Test
  void indicesAreSortedAndDistinct() {
    int[] indices = ExperimentData.balancedIndices(DATA.targetTrain(), 30, 1);

    assertEquals(150, indices.length);
    for (int i = 1; i < indices.length; i++) {
      assertTrue(indices[i] > indices[i - 1], "position " + i);
    }
  }

  @Test
  void sizeLargerThanDataNamesDigitAndCounts() {
    ExperimentSettings settings =
        TinyExperiments.settings().samplesPerClass(List.of(10, 31)).build();

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ExperimentData.select(settings, TinyExperiments.TRAIN, TinyExperiments.TEST));

    String message = e.getMessage();
    assertTrue(message.contains("--samples 31 needs 31 training images per class"), message);
    assertTrue(message.contains("target digit 0 has only 30"), message);
    assertTrue(message.contains("0: 30, 1: 30, 2: 30, 3: 30, 4: 30"), message);
  }

  @Test
  void sizeLargerThanLimitedDataSuggestsRaisingLimit() {
    ExperimentSettings settings =
        TinyExperiments.settings().limit(52).samplesPerClass(List.of(11)).build();

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ExperimentData.select(settings, TinyExperiments.TRAIN, TinyExperiments.TEST));

    // The first 52 target images contain 11 of digits 0 and 1 and 10 of digits 2, 3 and 4.
    String message = e.getMessage();
    assertTrue(message.contains("target digit 2 has only 10"), message);
    assertTrue(message.contains("after --limit 52"), message);
    assertTrue(message.contains("raise --limit"), message);
  }

  @Test
  void digitsMissingFromDataAreRejected() {
    LabeledImages lowOnly = TinyExperiments.TRAIN.subset(indicesOfDigitsBelow(5));
    ExperimentSettings settings = TinyExperiments.settings().build();

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ExperimentData.select(settings, lowOnly, TinyExperiments.TEST));

    assertTrue(
        e.getMessage().contains("no training images of the source digits 5-9"), e.getMessage());
  }

  private static int[] indicesOfDigitsBelow(int digit) {
    LabeledImages all = TinyExperiments.TRAIN;
    return IntStream.range(0, all.size()).filter(i -> all.label(i) < digit).toArray();
  }
}
