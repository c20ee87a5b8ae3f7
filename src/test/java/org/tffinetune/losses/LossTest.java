package org.tffinetune.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class LossTest {
  /** Absolute tolerance of float32 losses against the double-precision reference. */
  private static final double TOLERANCE = 1e-5;

  private static final float[][] LOGITS = {
    {1f, 2f, 3f, 0.5f},
    {-1f, 0f, 4f, 2f},
    {0.1f, 0.1f, 0.1f, 0.1f},
  };

  private static final long[] LABELS = {2, 0, 3};

  @ParameterizedTest
  @EnumSource(Loss.class)
  void softmaxOutputMatchesLogSoftmax(Loss loss) {
    float[] actual = perExample(loss, LOGITS, LABELS, (tf, x) -> tf.nn.softmax(x));

    for (int b = 0; b < LOGITS.length; b++) {
      assertEquals(
          logSumExp(LOGITS[b]) - LOGITS[b][(int) LABELS[b]], actual[b], TOLERANCE, "example " + b);
    }
  }

  @Test
  void softmaxLossStaysExactWhereProbabilityUnderflows() {
    // softmax([0, 200, -200])[2] rounds to 0 in float32, but the cross-entropy computed from
    // the logits is 400.
    float[][] logits = {{0f, 200f, -200f}};

    float[] actual =
        perExample(
            Loss.CATEGORICAL_CROSSENTROPY, logits, new long[] {2}, (tf, x) -> tf.nn.softmax(x));

    assertEquals(400.0, actual[0], 1e-3);
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void probabilitiesAreNormalizedThenLogged(Loss loss) {
    // Rows that do not sum to one are divided by their sum first, as Keras does.
    float[][] probabilities = {{1f, 1f, 2f}, {0.2f, 0.3f, 0.5f}, {0.05f, 0.05f, 0.1f}};
    long[] labels = {2, 1, 0};

    float[] actual = perExample(loss, probabilities, labels, (tf, x) -> x);

    for (int b = 0; b < probabilities.length; b++) {
      double sum = 0;
      for (float p : probabilities[b]) {
        sum += p;
      }
      double expected = -Math.log(probabilities[b][(int) labels[b]] / sum);
      assertEquals(expected, actual[b], TOLERANCE, "example " + b);
    }
  }

  @Test
  void probabilitiesClippedToEpsilon() {
    float[][] probabilities = {{0f, 0f, 1f}, {0f, 0f, 1f}};
    long[] labels = {0, 2};

    float[] actual = perExample(Loss.CATEGORICAL_CROSSENTROPY, probabilities, labels, (tf, x) -> x);

    assertEquals(-Math.log(1e-7), actual[0], TOLERANCE);
    assertEquals(-Math.log(1 - 1e-7), actual[1], 1e-6);
  }

  @Test
  void sigmoidOutputUsesClippedPath() {
    float[][] logits = {{0f, 1f, -1f}, {2f, -3f, 0.5f}};
    long[] labels = {1, 2};

    float[] actual =
        perExample(Loss.CATEGORICAL_CROSSENTROPY, logits, labels, (tf, x) -> tf.math.sigmoid(x));

    for (int b = 0; b < logits.length; b++) {
      double sum = 0;
      double[] sigmoid = new double[3];
      for (int c = 0; c < 3; c++) {
        sigmoid[c] = 1 / (1 + Math.exp(-logits[b][c]));
        sum += sigmoid[c];
      }
      double expected = -Math.log(sigmoid[(int) labels[b]] / sum);
      assertEquals(expected, actual[b], TOLERANCE, "example " + b);
    }
  }

  @Test
  void bothLossesAgree() {
    BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> softmax = (tf, x) -> tf.nn.softmax(x);

    float[] categorical = perExample(Loss.CATEGORICAL_CROSSENTROPY, LOGITS, LABELS, softmax);
    float[] sparse = perExample(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, LOGITS, LABELS, softmax);

    assertArrayEquals(categorical, sparse);
  }

  @Test
  void kerasNamesResolve() {
    assertSame(Loss.CATEGORICAL_CROSSENTROPY, Loss.forKerasName("categorical_crossentropy"));
    assertSame(
        Loss.SPARSE_CATEGORICAL_CROSSENTROPY, Loss.forKerasName("sparse_categorical_crossentropy"));
  }

  @Test
  void unknownNameListsSupported() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Loss.forKerasName("mse"));

    assertTrue(e.getMessage().contains("unknown loss 'mse'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("[categorical_crossentropy, sparse_categorical_crossentropy]"),
        e.getMessage());
  }

  private static double logSumExp(float[] row) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /** Runs {@code loss} on {@code output(inputs)} and returns the per-example values. */
  private static float[] perExample(
      Loss loss,
      float[][] inputs,
      long[] labels,
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> output) {
    int batch = inputs.length;
    int classes = inputs[0].length;
    float[] flat = new float[batch * classes];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(inputs[b], 0, flat, b * classes, classes);
    }
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x =
          tf.constant(Shape.of(batch, classes), DataBuffers.of(flat, true, false));
      Operand<TFloat32> values =
          loss.perExample(tf, output.apply(tf, x), tf.constant(labels), classes);
      try (Session session = new Session(graph);
          Result result = session.runner().fetch(values).run()) {
        float[] out = new float[batch];
        result.get(0).asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }
}
