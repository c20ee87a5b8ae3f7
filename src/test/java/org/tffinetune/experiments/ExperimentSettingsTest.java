package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.tffinetune.InvalidInputException;

class ExperimentSettingsTest {

  private static void assertRejected(String fragment, Executable build) {
    InvalidInputException e = assertThrows(InvalidInputException.class, build);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void defaultsMatchTheNotebookDirection() {
    ExperimentSettings settings = ExperimentSettings.builder().epochs(2).build();

    assertArrayEquals(new int[] {5, 6, 7, 8, 9}, settings.source());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, settings.target());
    assertEquals(3, settings.seeds());
    assertEquals(List.of(10, 50, 100, 500, SampleSizes.ALL), settings.samplesPerClass());
    assertEquals(2, settings.pretrainEpochs());
  }

  @Test
  void runSeedsCountUpFromFirstSeed() {
    ExperimentSettings settings = ExperimentSettings.builder().seed(40).seeds(3).build();

    assertEquals(List.of(40L, 41L, 42L), settings.runSeeds());
  }

  @Test
  void emptySourceIsRejected() {
    assertRejected(
        "--source selects no digits", () -> ExperimentSettings.builder().source().build());
  }

  @Test
  void emptyTargetIsRejected() {
    assertRejected(
        "--target selects no digits",
        () -> ExperimentSettings.builder().target(new int[0]).build());
  }

  @Test
  void overlappingDigitsAreRejected() {
    assertRejected(
        "--source 3-7 and --target 0-4 share digits 3-4",
        () -> ExperimentSettings.builder().source(3, 4, 5, 6, 7).build());
    assertRejected(
        "pass --allow-overlap", () -> ExperimentSettings.builder().source(3, 4, 5, 6, 7).build());
  }

  @Test
  void overlapIsAllowedOnRequest() {
    ExperimentSettings settings =
        ExperimentSettings.builder().source(0, 1, 2).target(2, 3).allowOverlap(true).build();

    assertArrayEquals(new int[] {0, 1, 2}, settings.source());
  }

  @Test
  void digitOutsideRangeIsRejected() {
    assertRejected(
        "--target digits must lie within 0-9, found 10",
        () -> ExperimentSettings.builder().target(1, 10).build());
  }

  @Test
  void zeroSeedsAreRejected() {
    assertRejected(
        "--seeds must be positive, found 0", () -> ExperimentSettings.builder().seeds(0).build());
  }

  @Test
  void negativePretrainEpochsAreRejected() {
    assertRejected(
        "--pretrain-epochs must be positive",
        () -> ExperimentSettings.builder().pretrainEpochs(-1).build());
  }

  @Test
  void emptySampleListIsRejected() {
    assertRejected(
        "--samples lists no sizes",
        () -> ExperimentSettings.builder().samplesPerClass(List.of()).build());
  }

  @Test
  void sampleSizesParseSortedWithAllLast() {
    assertEquals(List.of(5, 20, SampleSizes.ALL), SampleSizes.parse("all, 20,5"));
    assertEquals("5,20,all", SampleSizes.format(List.of(5, 20, SampleSizes.ALL)));
  }

  @Test
  void malformedSampleSizesAreRejected() {
    assertRejected("'ten' is neither a positive number", () -> SampleSizes.parse("5,ten"));
    assertRejected("sizes must be positive, found 0", () -> SampleSizes.parse("0,5"));
    assertRejected("10 is listed twice", () -> SampleSizes.parse("10,50,10"));
    assertRejected("all is listed twice", () -> SampleSizes.parse("all,ALL"));
    assertRejected("--samples is empty", () -> SampleSizes.parse(" "));
  }

  @Test
  void identityLeavesOutSeedCountAndSizes() {
    ExperimentSettings a = ExperimentSettings.builder().seeds(2).build();
    ExperimentSettings b =
        ExperimentSettings.builder().seeds(5).samplesPerClass(List.of(7)).build();

    assertEquals(a.identity("notebook"), b.identity("notebook"));
  }
}
