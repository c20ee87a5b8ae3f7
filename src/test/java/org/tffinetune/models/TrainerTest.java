package org.tffinetune.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.Weight;
import org.tffinetune.losses.Loss;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.testing.SyntheticDigits;

class TrainerTest {
  private static final LabeledImages DATA = SyntheticDigits.create(300, 21).select(5, 6, 7, 8, 9);
  private static final LabeledImages VAL = SyntheticDigits.create(100, 22).select(5, 6, 7, 8, 9);

  private static Map<String, Object> train(long seed, boolean cache, boolean frozen) {
    try (Sequential model = SmallModels.notebookLike(5, seed)) {
      if (frozen) {
        Freezing.freezeUntil(model, "flatten");
      }
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      History h =
          model.fit(
              DATA,
              FitOptions.builder()
                  .batchSize(32)
                  .epochs(2)
                  .validationData(VAL)
                  .cacheFrozenFeatures(cache)
                  .verbose(0)
                  .build());
      return Map.of("history", h.history(), "weights", model.getWeights());
    }
  }

  @Test
  void sameSeedRepeatsRun() {
    Map<String, Object> a = train(5, false, false);
    Map<String, Object> b = train(5, false, false);
    assertEquals(a.get("history"), b.get("history"));
    @SuppressWarnings("unchecked")
    Map<String, Weight> wa = (Map<String, Weight>) a.get("weights");
    @SuppressWarnings("unchecked")
    Map<String, Weight> wb = (Map<String, Weight>) b.get("weights");
    for (String key : wa.keySet()) {
      assertArrayEquals(wa.get(key).values(), wb.get(key).values(), key);
    }
  }

  @Test
  void otherSeedChangesRun() {
    Map<String, Object> a = train(5, false, false);
    Map<String, Object> b = train(6, false, false);
    assertTrue(!a.get("history").equals(b.get("history")));
  }

  @Test
  void cachedMatchesUncachedFineTuning() {
    // Same seed: same batches and dropout masks, so the runs differ only by float rounding in
    // the frozen convolution, computed once instead of at each step.
    @SuppressWarnings("unchecked")
    Map<String, List<Double>> cached =
        (Map<String, List<Double>>) train(9, true, true).get("history");
    @SuppressWarnings("unchecked")
    Map<String, List<Double>> plain =
        (Map<String, List<Double>>) train(9, false, true).get("history");
    for (String metric : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
      for (int e = 0; e < 2; e++) {
        assertEquals(
            plain.get(metric).get(e), cached.get(metric).get(e), 1e-3, metric + " epoch " + e);
      }
    }
  }

  @Test
  void nanLossStopsTraining() {
    try (Sequential model = SmallModels.notebookLike(5, 1)) {
      model.compile(OptimizerSpec.of("sgd", 1e30f), Loss.CATEGORICAL_CROSSENTROPY);
      TrainingDivergedException e =
          assertThrows(
              TrainingDivergedException.class,
              () ->
                  model.fit(DATA, FitOptions.builder().batchSize(16).epochs(3).verbose(0).build()));
      assertTrue(
          e.getMessage().contains("at epoch " + e.epoch() + ", step " + e.step()), e.getMessage());
      assertTrue(e.getMessage().contains("lower learning rate"), e.getMessage());
    }
  }

  @Test
  void historyHasKerasKeys() {
    @SuppressWarnings("unchecked")
    Map<String, List<Double>> h = (Map<String, List<Double>>) train(3, true, false).get("history");
    assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), List.copyOf(h.keySet()));
  }

  @Test
  void progressLineHasKerasFields() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgressBar bar =
        new ProgressBar(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            true);
    bar.onEpochBegin(1, 5, 240);
    bar.onBatchEnd(240, Map.of("loss", 1.0, "accuracy", 0.5));
    bar.onEpochEnd(
        1,
        new java.util.LinkedHashMap<>(
            Map.of("loss", 1.02, "accuracy", 0.6573, "val_loss", 0.9, "val_accuracy", 0.7)),
        11.6,
        240);
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("Epoch 1/5\n"), text);
    assertTrue(
        text.contains(
            "240/240 ━━━━━━━━━━━━━━━━━━━━ 12s 48ms/step - accuracy: 0.6573 - loss: 1.0200"
                + " - val_accuracy: 0.7000 - val_loss: 0.9000"),
        text);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("240/240"));
  }
}
