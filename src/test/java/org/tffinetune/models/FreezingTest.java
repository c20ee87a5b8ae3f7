package org.tffinetune.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.initializers.Constant;
import org.tffinetune.layers.CallContext;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.losses.Loss;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.testing.SyntheticDigits;

class FreezingTest {
  private static final LabeledImages DATA = SyntheticDigits.create(256, 11).select(0, 1, 2, 3, 4);

  @Test
  void frozenWeightsBitIdenticalAfterFit() {
    for (boolean cache : new boolean[] {true, false}) {
      try (Sequential model = SmallModels.notebookLike(5, 7)) {
        Freezing.freezeUntil(model, "flatten");
        model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
        Map<String, Weight> before = model.getWeights();
        model.fit(
            DATA,
            FitOptions.builder()
                .batchSize(32)
                .epochs(2)
                .verbose(0)
                .cacheFrozenFeatures(cache)
                .build());
        Map<String, Weight> after = model.getWeights();

        assertArrayEquals(
            before.get("conv2d/kernel").values(),
            after.get("conv2d/kernel").values(),
            "conv2d/kernel changed with cache=" + cache);
        assertArrayEquals(
            before.get("conv2d/bias").values(),
            after.get("conv2d/bias").values(),
            "conv2d/bias changed with cache=" + cache);
        assertFalse(
            java.util.Arrays.equals(
                before.get("dense/kernel").values(), after.get("dense/kernel").values()),
            "dense/kernel did not change with cache=" + cache);
        assertFalse(
            java.util.Arrays.equals(
                before.get("dense_1/bias").values(), after.get("dense_1/bias").values()),
            "dense_1/bias did not change with cache=" + cache);
      }
    }
  }

  @Test
  void frozenLayersLeaveOptimizerList() {
    try (Sequential model = SmallModels.notebookLike(5, 7)) {
      Freezing.freezeUntil(model, "flatten");
      model.compile(OptimizerSpec.of("adadelta"), Loss.CATEGORICAL_CROSSENTROPY);
      assertEquals(
          List.of("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"),
          model.graph().trainableVariableNames);
      assertEquals(List.of("conv2d"), Freezing.frozenLayers(model));
    }
  }

  @Test
  void noGradientOpsForFrozenLayers() {
    try (Sequential model = SmallModels.notebookLike(5, 7)) {
      Freezing.freezeUntil(model, "flatten");
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      // Backpropagation into a convolution adds Conv2DBackpropFilter; frozen, none may exist.
      var ops = model.graph().graph.operations();
      while (ops.hasNext()) {
        String type = ops.next().type();
        assertFalse(type.startsWith("Conv2DBackprop"), "found gradient op " + type);
      }
    }
  }

  @Test
  void trainableConvGetsGradientOps() {
    try (Sequential model = SmallModels.notebookLike(5, 7)) {
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      boolean found = false;
      var ops = model.graph().graph.operations();
      while (ops.hasNext()) {
        found |= ops.next().type().equals("Conv2DBackpropFilter");
      }
      assertTrue(found, "no Conv2DBackpropFilter op for a trainable convolution");
    }
  }

  @Test
  void everythingFrozenRejected() {
    try (Sequential model = SmallModels.notebookLike(5, 7)) {
      Freezing.freezeUntil(model, "activation_2");
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY));
      assertTrue(e.getMessage().contains("no trainable weights"), e.getMessage());
    }
  }

  @Test
  void unknownFreezeLayerNamed() {
    try (Sequential model = SmallModels.notebookLike(5, 7)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Freezing.freezeUntil(model, "nope"));
      assertTrue(e.getMessage().contains("no layer named 'nope'"), e.getMessage());
      assertTrue(e.getMessage().contains("flatten"), e.getMessage());
    }
  }

  @Test
  void variableWithoutLossPathBreaksNothing() {
    try (Sequential model = new Sequential(28, 28, 1)) {
      model.setSeed(1);
      model.add(new UnusedWeight());
      model.add(new org.tffinetune.layers.Flatten());
      model.add(
          org.tffinetune.layers.Dense.builder(5)
              .activation(org.tffinetune.layers.ActivationFunction.SOFTMAX)
              .build());
      model.compile(OptimizerSpec.of("adam"), Loss.CATEGORICAL_CROSSENTROPY);
      Map<String, Weight> before = model.getWeights();
      model.fit(DATA, FitOptions.builder().epochs(1).verbose(0).build());
      Map<String, Weight> after = model.getWeights();
      assertArrayEquals(before.get("unused/scale").values(), after.get("unused/scale").values());
      assertFalse(
          java.util.Arrays.equals(
              before.get("dense/kernel").values(), after.get("dense/kernel").values()));
    }
  }

  /** A layer with a trainable weight that its output does not depend on. */
  private static final class UnusedWeight extends Layer {
    UnusedWeight() {
      super("unused");
    }

    @Override
    public String className() {
      return "UnusedWeight";
    }

    @Override
    public String defaultNamePrefix() {
      return "unused";
    }

    @Override
    protected long[] computeOutputShape(long[] inputShape) {
      return inputShape;
    }

    @Override
    protected List<WeightSpec> declareWeights(long[] inputShape) {
      return List.of(new WeightSpec("scale", new long[] {1}, Constant.ONES, true));
    }

    @Override
    public Operand<TFloat32> call(
        Ops tf,
        Operand<TFloat32> input,
        List<Variable<TFloat32>> weights,
        CallContext context,
        int layerIndex) {
      return input;
    }

    @Override
    protected Map<String, Object> layerConfig() {
      return Map.of();
    }
  }
}
