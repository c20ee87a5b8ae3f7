package org.tffinetune.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Runs each optimizer's update ops in a graph of their own and compares every step with a
 * plain-Java version of Keras 3's update rule, computed in double precision.
 */
class KerasOptimizerTest {
  /**
   * Tolerance of float32 updates against the double-precision reference, relative to the larger of
   * the expected weight and the weight scale. Weights that updates bring close to zero lose their
   * relative precision, so the scale bounds the error there.
   */
  private static final double RELATIVE_TOLERANCE = 1e-5;

  /** Gradients fed at steps 1 to 4, one row per step, all of magnitude 0.25 to 2. */
  private static final float[][] GRADIENTS = {
    {0.5f, -1f, 2f, 0.25f},
    {0.25f, 0.75f, -1.5f, 0.5f},
    {-0.5f, 0.5f, 1f, -0.25f},
    {1f, -0.25f, 0.5f, 2f},
  };

  @ParameterizedTest(name = "{0} learning rate {1}")
  @CsvSource({
    "sgd, 0.01, 0.05",
    "sgd, 0.5, 1",
    "adam, 0.001, 0.002",
    "adam, 0.1, 0.2",
    "rmsprop, 0.001, 0.002",
    "rmsprop, 0.05, 0.1",
    "adadelta, 0.001, 0.000002",
    "adadelta, 1.0, 0.002",
  })
  void stepsMatchKerasRule(String name, float learningRate, float weightScale) {
    // Initial weights on the scale of one update, so that float32 rounding of the weight does
    // not hide an error in the update.
    float[] initial = {0f, weightScale, -weightScale, weightScale / 2};
    KerasRule rule = KerasRule.of(name, learningRate, initial.length);

    List<float[]> actual = run(OptimizerSpec.of(name, learningRate), initial, GRADIENTS);

    double[] expected = toDouble(initial);
    for (int step = 0; step < GRADIENTS.length; step++) {
      rule.apply(expected, GRADIENTS[step], step + 1);
      for (int i = 0; i < initial.length; i++) {
        assertClose(
            expected[i], actual.get(step)[i], weightScale, "step " + (step + 1) + " weight " + i);
      }
    }
  }

  @Test
  void rmspropSmallGradientEpsilonInsideSqrt() {
    // Keras 3 divides by sqrt(velocity + epsilon). With a gradient of 1e-4 the velocity after
    // one step is 1e-9, far below epsilon 1e-7, so putting epsilon outside the square root
    // gives a step about ten times larger.
    float[][] gradients = {{1e-4f, -1e-4f}, {2e-4f, 1e-4f}, {-1e-4f, 3e-4f}};
    float[] initial = {0f, 0f};
    KerasRule rule = KerasRule.of("rmsprop", 0.001f, initial.length);

    List<float[]> actual = run(OptimizerSpec.of("rmsprop"), initial, gradients);

    double[] expected = toDouble(initial);
    for (int step = 0; step < gradients.length; step++) {
      rule.apply(expected, gradients[step], step + 1);
      for (int i = 0; i < initial.length; i++) {
        assertClose(expected[i], actual.get(step)[i], 0, "step " + (step + 1) + " weight " + i);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"sgd", "adam", "rmsprop", "adadelta"})
  void variablesKeepSeparateSlots(String name) {
    // The two variables get different gradients, so shared slots would mix their moments.
    float[][] first = {{1f, 2f}, {0.5f, -1f}, {2f, 0.25f}};
    float[][] second = {{-0.5f, 0.25f}, {1.5f, 1f}, {-1f, -2f}};
    float learningRate = 0.01f;

    List<float[][]> actual =
        runTwo(OptimizerSpec.of(name, learningRate), new float[2], new float[2], first, second);

    double[] expectedFirst = new double[2];
    double[] expectedSecond = new double[2];
    KerasRule ruleFirst = KerasRule.of(name, learningRate, 2);
    KerasRule ruleSecond = KerasRule.of(name, learningRate, 2);
    for (int step = 0; step < first.length; step++) {
      ruleFirst.apply(expectedFirst, first[step], step + 1);
      ruleSecond.apply(expectedSecond, second[step], step + 1);
    }
    float[][] last = actual.get(actual.size() - 1);
    for (int i = 0; i < 2; i++) {
      assertClose(expectedFirst[i], last[0][i], learningRate, "first variable weight " + i);
      assertClose(expectedSecond[i], last[1][i], learningRate, "second variable weight " + i);
    }
  }

  @Test
  void iterationsCountsSteps() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> weight = tf.withName("w").variable(tf.constant(new float[] {1f}));
      KerasOptimizer optimizer = OptimizerSpec.of("adam").create(tf);
      Op step =
          optimizer.applyGradients(
              List.of(weight), List.of(tf.constant(new float[] {1f})), List.of("dense/kernel"));
      try (Session session = new Session(graph)) {
        session.initialize();
        for (int i = 0; i < 3; i++) {
          session.run(step);
        }
        try (Result r = session.runner().fetch("optimizer/iterations").run()) {
          assertEquals(3L, ((TInt64) r.get(0)).getLong());
        }
      }
    }
  }

  @Test
  void gradientCountMismatchRejected() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> weight = tf.withName("w").variable(tf.constant(new float[] {1f}));
      KerasOptimizer optimizer = OptimizerSpec.of("sgd").create(tf);

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> optimizer.applyGradients(List.of(weight), List.of(), List.of("w")));

      assertTrue(e.getMessage().contains("1 variables but 0 gradients"), e.getMessage());
    }
  }

  private static void assertClose(double expected, float actual, double scale, String description) {
    double tolerance = RELATIVE_TOLERANCE * Math.max(Math.abs(expected), scale) + 1e-12;
    assertEquals(expected, actual, tolerance, description);
  }

  /** Returns the weights after each step of feeding {@code gradients} to one variable. */
  private static List<float[]> run(OptimizerSpec spec, float[] initial, float[][] gradients) {
    List<float[][]> both = runTwo(spec, initial, null, gradients, null);
    List<float[]> result = new ArrayList<>();
    both.forEach(pair -> result.add(pair[0]));
    return result;
  }

  /**
   * Returns the weights of one or two variables after each step. A null {@code secondInitial}
   * leaves the second variable out.
   */
  private static List<float[][]> runTwo(
      OptimizerSpec spec,
      float[] firstInitial,
      float[] secondInitial,
      float[][] firstGradients,
      float[][] secondGradients) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      List<Variable<TFloat32>> variables = new ArrayList<>();
      List<Placeholder<TFloat32>> feeds = new ArrayList<>();
      List<Op> assigns = new ArrayList<>();
      List<String> names = new ArrayList<>();
      float[][] initials =
          secondInitial == null
              ? new float[][] {firstInitial}
              : new float[][] {firstInitial, secondInitial};
      for (int v = 0; v < initials.length; v++) {
        Shape shape = Shape.of(initials[v].length);
        Variable<TFloat32> variable = tf.withName("weight_" + v).variable(shape, TFloat32.class);
        variables.add(variable);
        assigns.add(tf.assign(variable, tf.constant(initials[v])));
        feeds.add(
            tf.withName("gradient_" + v).placeholder(TFloat32.class, Placeholder.shape(shape)));
        names.add("layer_" + v + "/kernel");
      }
      List<Operand<TFloat32>> gradients = new ArrayList<>(feeds);
      Op step = spec.create(tf).applyGradients(variables, gradients, names);

      List<float[][]> history = new ArrayList<>();
      try (Session session = new Session(graph)) {
        session.initialize();
        assigns.forEach(session::run);
        for (int s = 0; s < firstGradients.length; s++) {
          float[][] stepGradients =
              secondInitial == null
                  ? new float[][] {firstGradients[s]}
                  : new float[][] {firstGradients[s], secondGradients[s]};
          List<TFloat32> tensors = new ArrayList<>();
          try {
            Session.Runner runner = session.runner().addTarget(step);
            for (int v = 0; v < feeds.size(); v++) {
              TFloat32 tensor = TFloat32.vectorOf(stepGradients[v]);
              tensors.add(tensor);
              runner.feed(feeds.get(v), tensor);
            }
            runner.run().close();
          } finally {
            tensors.forEach(TFloat32::close);
          }
          float[][] values = new float[variables.size()][];
          for (int v = 0; v < variables.size(); v++) {
            try (Result r = session.runner().fetch(variables.get(v)).run()) {
              values[v] = new float[initials[v].length];
              r.get(0).asRawTensor().data().asFloats().read(values[v]);
            }
          }
          history.add(values);
        }
      }
      return history;
    }
  }

  private static double[] toDouble(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }

  /**
   * Keras 3's update rules with its default hyperparameters, in double precision. Sources:
   * keras/src/optimizers/{sgd,adam,rmsprop,adadelta}.py, {@code update_step}.
   */
  private abstract static class KerasRule {
    final double learningRate;

    KerasRule(double learningRate) {
      this.learningRate = learningRate;
    }

    static KerasRule of(String name, float learningRate, int size) {
      return switch (name) {
        case "sgd" -> new Sgd(learningRate);
        case "adam" -> new Adam(learningRate, size);
        case "rmsprop" -> new RmsProp(learningRate, size);
        case "adadelta" -> new Adadelta(learningRate, size);
        default -> throw new IllegalArgumentException(name);
      };
    }

    /** Updates {@code weights} in place for step {@code t}, counted from 1. */
    abstract void apply(double[] weights, float[] gradients, int t);
  }

  /** {@code w -= lr * g}. */
  private static final class Sgd extends KerasRule {
    Sgd(double learningRate) {
      super(learningRate);
    }

    @Override
    void apply(double[] weights, float[] gradients, int t) {
      for (int i = 0; i < weights.length; i++) {
        weights[i] -= learningRate * gradients[i];
      }
    }
  }

  /**
   * {@code m += (g - m)(1 - b1)}, {@code v += (g^2 - v)(1 - b2)}, {@code w -= lr sqrt(1 - b2^t) /
   * (1 - b1^t) m / (sqrt(v) + eps)} with b1 0.9, b2 0.999, eps 1e-7.
   */
  private static final class Adam extends KerasRule {
    private final double[] m;
    private final double[] v;

    Adam(double learningRate, int size) {
      super(learningRate);
      m = new double[size];
      v = new double[size];
    }

    @Override
    void apply(double[] weights, float[] gradients, int t) {
      double beta1 = 0.9f;
      double beta2 = 0.999f;
      double epsilon = 1e-7f;
      double alpha = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
      for (int i = 0; i < weights.length; i++) {
        double g = gradients[i];
        m[i] += (g - m[i]) * (1 - beta1);
        v[i] += (g * g - v[i]) * (1 - beta2);
        weights[i] -= alpha * m[i] / (Math.sqrt(v[i]) + epsilon);
      }
    }
  }

  /** {@code v = rho v + (1 - rho) g^2}, {@code w -= lr g / sqrt(v + eps)} with rho 0.9. */
  private static final class RmsProp extends KerasRule {
    private final double[] velocity;

    RmsProp(double learningRate, int size) {
      super(learningRate);
      velocity = new double[size];
    }

    @Override
    void apply(double[] weights, float[] gradients, int t) {
      double rho = 0.9f;
      double epsilon = 1e-7f;
      for (int i = 0; i < weights.length; i++) {
        double g = gradients[i];
        velocity[i] = rho * velocity[i] + (1 - rho) * g * g;
        weights[i] -= learningRate * g / Math.sqrt(velocity[i] + epsilon);
      }
    }
  }

  /**
   * {@code a = rho a + (1 - rho) g^2}, {@code d = -sqrt(u + eps) / sqrt(a + eps) g}, {@code u = rho
   * u + (1 - rho) d^2}, {@code w += lr d} with rho 0.95.
   */
  private static final class Adadelta extends KerasRule {
    private final double[] accumulatedGrad;
    private final double[] accumulatedDelta;

    Adadelta(double learningRate, int size) {
      super(learningRate);
      accumulatedGrad = new double[size];
      accumulatedDelta = new double[size];
    }

    @Override
    void apply(double[] weights, float[] gradients, int t) {
      double rho = 0.95f;
      double epsilon = 1e-7f;
      for (int i = 0; i < weights.length; i++) {
        double g = gradients[i];
        accumulatedGrad[i] = rho * accumulatedGrad[i] + (1 - rho) * g * g;
        double delta =
            -Math.sqrt(accumulatedDelta[i] + epsilon) / Math.sqrt(accumulatedGrad[i] + epsilon) * g;
        accumulatedDelta[i] = rho * accumulatedDelta[i] + (1 - rho) * delta * delta;
        weights[i] += learningRate * delta;
      }
    }
  }
}
