package org.tffinetune.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerSpecTest {

  @ParameterizedTest(name = "{0} defaults to {1}")
  @CsvSource({"adadelta, 0.001", "adam, 0.001", "rmsprop, 0.001", "sgd, 0.01"})
  void defaultLearningRateMatchesKeras3(String name, float expected) {
    assertEquals(expected, OptimizerSpec.of(name).learningRate());
  }

  @Test
  void adadeltaDefaultIsNotKeras2() {
    // Keras 2 used 1.0; Keras 3 uses 0.001.
    assertEquals(0.001f, OptimizerSpec.of("adadelta").learningRate());
  }

  @Test
  void hyperparameterDefaultsMatchKeras3() {
    assertEquals(0.95f, OptimizerSpec.ADADELTA_RHO_DEFAULT);
    assertEquals(0.9f, OptimizerSpec.RMSPROP_RHO_DEFAULT);
    assertEquals(1e-7f, OptimizerSpec.EPSILON_DEFAULT);
  }

  @Test
  void explicitLearningRateKept() {
    OptimizerSpec spec = OptimizerSpec.of("adam", 0.05f);

    assertEquals(OptimizerSpec.Kind.ADAM, spec.kind());
    assertEquals(0.05f, spec.learningRate());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Adam", "ADAM", "adam"})
  void nameIgnoresCase(String name) {
    assertEquals(OptimizerSpec.Kind.ADAM, OptimizerSpec.of(name).kind());
  }

  @Test
  void unknownNameListsSupported() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("adagrad"));

    assertTrue(e.getMessage().contains("unknown optimizer 'adagrad'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("supported: [adadelta, adam, rmsprop, sgd]"), e.getMessage());
  }

  @Test
  void nullNameRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of(null));

    assertTrue(e.getMessage().contains("unknown optimizer 'null'"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(floats = {0f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY})
  void invalidLearningRateRejected(float learningRate) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("sgd", learningRate));

    assertTrue(
        e.getMessage()
            .contains("learning rate must be a positive finite number, got " + learningRate),
        e.getMessage());
  }

  @Test
  void toStringUsesKerasName() {
    assertEquals("rmsprop(learning_rate=0.001)", OptimizerSpec.of("rmsprop").toString());
  }
}
