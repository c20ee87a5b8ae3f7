package org.tffinetune.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.losses.Loss;
import org.tffinetune.notebook.NotebookModel;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.testing.SyntheticDigits;

class SequentialTest {

  @Test
  void notebookSummaryTotals() {
    try (Sequential model = NotebookModel.build(5, 1)) {
      String summary = model.summary();
      assertTrue(summary.contains("Total params: 600,165 (2.29 MB)"), summary);
      assertTrue(summary.contains("Trainable params: 600,165"), summary);
      assertTrue(summary.contains("conv2d_1 (Conv2D)"), summary);
      assertTrue(summary.contains("(None, 12, 12, 32)"), summary);
      assertTrue(summary.contains("dense_1 (Dense)"), summary);
      assertTrue(summary.contains("activation_3 (Activation)"), summary);

      NotebookModel.freezeFeatureLayers(model);
      String frozen = model.summary();
      assertTrue(frozen.contains("Trainable params: 590,597 (2.25 MB)"), frozen);
      assertTrue(frozen.contains("Non-trainable params: 9,568 (37.38 KB)"), frozen);
    }
  }

  @Test
  void layerNamesFollowKeras() {
    try (Sequential model = NotebookModel.build(5, 1)) {
      List<String> names = model.layers().stream().map(Layer::name).toList();
      assertEquals(
          List.of(
              "conv2d",
              "activation",
              "conv2d_1",
              "activation_1",
              "max_pooling2d",
              "dropout",
              "flatten",
              "dense",
              "activation_2",
              "dropout_1",
              "dense_1",
              "activation_3"),
          names);
    }
  }

  @Test
  void duplicateLayerNameRejected() {
    Sequential model = new Sequential(28, 28, 1);
    model.add(Conv2D.builder(2, 3).name("features").build());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.add(Conv2D.builder(2, 3).name("features").build()));
    assertTrue(e.getMessage().contains("'features' is already used"), e.getMessage());
  }

  @Test
  void layerThatDoesNotFitRejected() {
    Sequential model = new Sequential(28, 28, 1);
    model.add(new Flatten());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> model.add(Conv2D.of(2, 3)));
    assertTrue(e.getMessage().contains("(None, 784)"), e.getMessage());
  }

  @Test
  void seedGivesSameInitialWeights() {
    try (Sequential a = NotebookModel.build(5, 42);
        Sequential b = NotebookModel.build(5, 42);
        Sequential c = NotebookModel.build(5, 43)) {
      Weight wa = a.getWeights().get("conv2d/kernel");
      assertArrayEquals(wa.values(), b.getWeights().get("conv2d/kernel").values());
      assertNotEquals(wa, c.getWeights().get("conv2d/kernel"));
    }
  }

  @Test
  void glorotUniformWithinLimit() {
    try (Sequential model = NotebookModel.build(5, 3)) {
      float[] kernel = model.getWeights().get("dense/kernel").values();
      double limit = Math.sqrt(6.0 / (4608 + 128));
      double max = 0;
      for (float v : kernel) {
        max = Math.max(max, Math.abs(v));
      }
      assertTrue(max <= limit, "max |w| " + max + " above Glorot limit " + limit);
      assertTrue(max > 0.9 * limit, "max |w| " + max + " far below Glorot limit " + limit);
      float[] bias = model.getWeights().get("dense/bias").values();
      for (float v : bias) {
        assertEquals(0f, v);
      }
    }
  }

  @Test
  void fitBeforeCompileRejected() {
    try (Sequential model = SmallModels.notebookLike(10, 1)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> model.fit(SyntheticDigits.create(20, 1), FitOptions.builder().build()));
      assertTrue(e.getMessage().contains("compile()"), e.getMessage());
    }
  }

  @Test
  void classCountMismatchRejected() {
    try (Sequential model = SmallModels.notebookLike(5, 1)) {
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      LabeledImages tenClasses = SyntheticDigits.create(20, 1);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.fit(tenClasses, FitOptions.builder().build()));
      assertTrue(e.getMessage().contains("has 10 classes"), e.getMessage());
      assertTrue(e.getMessage().contains("outputs 5 classes"), e.getMessage());
    }
  }

  @Test
  void predictChecksValueCount() {
    try (Sequential model = SmallModels.notebookLike(5, 1)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.predict(new float[100], 1));
      assertTrue(e.getMessage().contains("784 values, got 100"), e.getMessage());
    }
  }

  @Test
  void predictRowsSumToOne() {
    try (Sequential model = SmallModels.notebookLike(10, 1)) {
      float[][] probs = model.predict(SyntheticDigits.create(7, 2), 4);
      assertEquals(7, probs.length);
      for (float[] row : probs) {
        assertEquals(10, row.length);
        float sum = 0;
        for (float p : row) {
          sum += p;
        }
        assertEquals(1f, sum, 1e-5f);
      }
    }
  }

  @Test
  void setWeightsRejectsWrongShape() {
    try (Sequential model = SmallModels.notebookLike(5, 1)) {
      Weight wrong = new Weight("kernel", new long[] {3, 3, 1, 8}, new float[72]);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> model.setWeights(Map.of("conv2d/kernel", wrong)));
      assertTrue(e.getMessage().contains("layer 'conv2d'"), e.getMessage());
      assertTrue(e.getMessage().contains("[3, 3, 1, 4]"), e.getMessage());
      assertTrue(e.getMessage().contains("[3, 3, 1, 8]"), e.getMessage());
    }
  }

  @Test
  void fitLearnsSyntheticDigits() {
    LabeledImages data = SyntheticDigits.create(600, 5);
    try (Sequential model = SmallModels.notebookLike(10, 5)) {
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      History history =
          model.fit(data, FitOptions.builder().batchSize(32).epochs(3).verbose(0).build());
      assertEquals(3, history.epochs());
      assertEquals(3, history.get("loss").size());
      assertTrue(
          history.get("loss").get(2) < history.get("loss").get(0), history.history().toString());
      Evaluation eval = model.evaluate(SyntheticDigits.create(200, 6), 64);
      assertTrue(eval.accuracy() > 0.9, "accuracy " + eval.accuracy());
      assertEquals(200, eval.samples());
    }
  }

  @Test
  void denseOnlyModelTrains() {
    Sequential model = new Sequential(28, 28, 1);
    model
        .add(new Flatten())
        .add(
            Dense.builder(10).activation(org.tffinetune.layers.ActivationFunction.SOFTMAX).build());
    model.setSeed(3);
    model.compile(OptimizerSpec.of("sgd", 0.1f), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
    History h =
        model.fit(
            SyntheticDigits.create(300, 3), FitOptions.builder().epochs(2).verbose(0).build());
    assertTrue(h.get("accuracy").get(1) > 0.5, h.history().toString());
    model.close();
  }
}
