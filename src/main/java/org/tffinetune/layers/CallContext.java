package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;

/**
 * Graph-wide settings that a layer needs besides its input and weights when it adds its ops. They
 * are whether the graph is a training graph and the seed for random ops. The context also collects
 * state updates, such as BatchNormalization's moving averages, for the training step to run.
 */
public final class CallContext {
  private final boolean training;
  private final Operand<TInt64> seed;
  private final List<Op> updates = new ArrayList<>();

  /**
   * Creates a context.
   *
   * @param training true while building the training forward pass (Dropout active,
   *     BatchNormalization on batch statistics for trainable layers)
   * @param seed an int64 tensor of shape [2] fed at each step for stateless random ops, or null in
   *     inference graphs
   */
  public CallContext(boolean training, Operand<TInt64> seed) {
    this.training = training;
    this.seed = seed;
  }

  /** Returns true when building a training forward pass. */
  public boolean training() {
    return training;
  }

  /**
   * Returns a stateless-random seed for the layer at {@code layerIndex}, different for every layer
   * and every step. Throws IllegalStateException in an inference graph.
   */
  public Operand<TInt64> seedFor(Ops tf, int layerIndex) {
    if (seed == null) {
      throw new IllegalStateException("random ops need a seed, which inference graphs do not have");
    }
    return tf.math.add(seed, tf.constant(new long[] {0L, 1_000_003L * (layerIndex + 1)}));
  }

  /** Registers an op that the training step must run, such as a moving-average update. */
  public void addUpdate(Op update) {
    updates.add(update);
  }

  /** Returns the state updates registered so far. */
  public List<Op> updates() {
    return updates;
  }
}
