package org.tffinetune.optimizers;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.op.Ops;

/**
 * An optimizer chosen by its Keras name, with Keras 3's defaults. It creates the optimizer's ops
 * when a training graph is built, because a graph owns its optimizer's slots.
 *
 * <p>Keras 3 defaults: {@code adadelta} learning rate 0.001, rho 0.95, epsilon 1e-7; {@code adam}
 * 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7; {@code rmsprop} 0.001, rho 0.9, epsilon 1e-7;
 * {@code sgd} 0.01, momentum 0. Keras 2 used learning rate 1.0 for Adadelta.
 */
public record OptimizerSpec(Kind kind, float learningRate) {

  /** The supported optimizers, under Keras's names. */
  public enum Kind {
    ADADELTA(0.001f),
    ADAM(0.001f),
    RMSPROP(0.001f),
    SGD(0.01f);

    private final float defaultLearningRate;

    Kind(float defaultLearningRate) {
      this.defaultLearningRate = defaultLearningRate;
    }

    /** Returns Keras 3's default learning rate for this optimizer. */
    public float defaultLearningRate() {
      return defaultLearningRate;
    }

    /** Returns the Keras name, such as {@code adadelta}. */
    public String kerasName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Keras 3's Adadelta rho. */
  public static final float ADADELTA_RHO_DEFAULT = 0.95f;

  /** Keras 3's epsilon for Adadelta, Adam and RMSprop. */
  public static final float EPSILON_DEFAULT = 1e-7f;

  /** Keras 3's RMSprop rho. */
  public static final float RMSPROP_RHO_DEFAULT = 0.9f;

  /** Creates a spec and checks the learning rate. */
  public OptimizerSpec {
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate must be a positive finite number, got " + learningRate);
    }
  }

  /**
   * Returns the optimizer for a Keras name ({@code adadelta}, {@code adam}, {@code rmsprop}, {@code
   * sgd}, any case) with its Keras 3 default learning rate, or {@code learningRate} when not null.
   *
   * @throws IllegalArgumentException naming the value and the supported names when unknown
   */
  public static OptimizerSpec of(String name, Float learningRate) {
    Kind kind = null;
    for (Kind k : Kind.values()) {
      if (k.kerasName().equalsIgnoreCase(name)) {
        kind = k;
      }
    }
    if (kind == null) {
      throw new IllegalArgumentException(
          "unknown optimizer '"
              + name
              + "'; supported: "
              + Arrays.stream(Kind.values()).map(Kind::kerasName).toList());
    }
    return new OptimizerSpec(kind, learningRate == null ? kind.defaultLearningRate : learningRate);
  }

  /** Returns the optimizer for a Keras name with its default learning rate. */
  public static OptimizerSpec of(String name) {
    return of(name, null);
  }

  /** Creates the optimizer's variables and update ops in the graph of {@code tf}. */
  public KerasOptimizer create(Ops tf) {
    return switch (kind) {
      case ADADELTA -> new Adadelta(tf, learningRate, ADADELTA_RHO_DEFAULT, EPSILON_DEFAULT);
      case ADAM -> new Adam(tf, learningRate, 0.9f, 0.999f, EPSILON_DEFAULT);
      case RMSPROP -> new RmsProp(tf, learningRate, RMSPROP_RHO_DEFAULT, EPSILON_DEFAULT);
      case SGD -> new Sgd(tf, learningRate);
    };
  }

  @Override
  public String toString() {
    return kind.kerasName() + "(learning_rate=" + learningRate + ")";
  }
}
