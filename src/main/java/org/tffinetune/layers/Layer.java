package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A Keras-style layer: it declares its weights when built for an input shape and adds its ops to a
 * graph when called. Shapes exclude the batch dimension and use NHWC layout for images.
 *
 * <p>Setting {@link #setTrainable(boolean) trainable} to false freezes the layer, as in Keras: its
 * weights leave the optimizer's variable list and no gradient is computed for them.
 *
 * <p>Layers add no variables themselves. The model creates one variable per {@link WeightSpec},
 * named {@code <layer name>/<weight name>}, and passes them to {@link #call} in declaration order.
 */
public abstract class Layer {
  private String name;
  private boolean trainable = true;
  private long[] inputShape;
  private long[] outputShape;
  private List<WeightSpec> weightSpecs = List.of();

  /**
   * Creates a layer; a null name is replaced by a Keras-style unique name when added to a model.
   */
  protected Layer(String name) {
    this.name = name;
  }

  /** Returns the Keras class name, such as {@code Conv2D}. */
  public abstract String className();

  /**
   * Returns the Keras-style default name prefix, such as {@code conv2d} or {@code max_pooling2d}.
   */
  public abstract String defaultNamePrefix();

  /**
   * Computes the output shape for an input shape (batch dimension excluded) and checks that the
   * input fits, throwing IllegalArgumentException with the layer name and both shapes otherwise.
   */
  protected abstract long[] computeOutputShape(long[] inputShape);

  /** Declares the weights for an input shape. Layers without weights return an empty list. */
  protected List<WeightSpec> declareWeights(long[] inputShape) {
    return List.of();
  }

  /**
   * Adds this layer's ops to the graph.
   *
   * @param tf the ops builder
   * @param input a float32 tensor of shape [batch, inputShape...]
   * @param weights the variables for {@link #weightSpecs()}, in the same order
   * @param context training flag, seeds and update collection
   * @param layerIndex the position of this layer in its model, used to derive per-layer seeds
   * @return a float32 tensor of shape [batch, outputShape...]
   */
  public abstract Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex);

  /**
   * Returns the layer's settings as Keras writes them in a model config ({@code get_config()}),
   * with Keras's snake_case keys. {@code name} and {@code trainable} are added by {@link
   * #getConfig()}.
   */
  protected abstract Map<String, Object> layerConfig();

  /** Returns the Keras config of this layer: name, trainable and the layer's own settings. */
  public final Map<String, Object> getConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    config.put("trainable", trainable);
    config.putAll(layerConfig());
    return config;
  }

  /** Builds the layer for an input shape (batch dimension excluded); may be called once. */
  public final void build(long[] inputShape) {
    if (this.inputShape != null) {
      if (Arrays.equals(this.inputShape, inputShape)) {
        return;
      }
      throw new IllegalStateException(
          "layer '"
              + name
              + "' was built for input shape "
              + formatShape(this.inputShape)
              + " and cannot be rebuilt for "
              + formatShape(inputShape));
    }
    long[] output = computeOutputShape(inputShape.clone());
    this.weightSpecs = List.copyOf(declareWeights(inputShape.clone()));
    this.inputShape = inputShape.clone();
    this.outputShape = output;
  }

  /** Returns true once {@link #build} has run. */
  public boolean isBuilt() {
    return inputShape != null;
  }

  /** Returns the layer name, unique within its model. */
  public String name() {
    return name;
  }

  /** Sets the name; models call this to give unnamed layers a Keras-style name. */
  public void setName(String name) {
    this.name = name;
  }

  /** Returns false when the layer is frozen. */
  public boolean isTrainable() {
    return trainable;
  }

  /**
   * Freezes ({@code false}) or unfreezes ({@code true}) the layer, as Keras's {@code trainable}.
   */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  /** Returns the input shape without the batch dimension; throws when not built. */
  public long[] inputShape() {
    requireBuilt();
    return inputShape.clone();
  }

  /** Returns the output shape without the batch dimension; throws when not built. */
  public long[] outputShape() {
    requireBuilt();
    return outputShape.clone();
  }

  /** Returns the declared weights; empty before {@link #build}. */
  public List<WeightSpec> weightSpecs() {
    return weightSpecs;
  }

  /** Returns the weights that an optimizer may update: none when the layer is frozen. */
  public List<WeightSpec> trainableWeightSpecs() {
    List<WeightSpec> result = new ArrayList<>();
    if (trainable) {
      for (WeightSpec spec : weightSpecs) {
        if (spec.trainable()) {
          result.add(spec);
        }
      }
    }
    return result;
  }

  /** Returns the number of scalar parameters in all weights. */
  public long countParams() {
    long count = 0;
    for (WeightSpec spec : weightSpecs) {
      count += spec.size();
    }
    return count;
  }

  /**
   * Returns true when the layer's output in a training graph is a fixed function of its input, so
   * that a frozen prefix of such layers can be computed once and cached. Dropout is not.
   */
  public boolean isDeterministicInTraining() {
    return true;
  }

  /** Formats a shape without batch dimension as Keras prints it: {@code (None, 26, 26, 32)}. */
  public static String formatShape(long[] shape) {
    StringBuilder sb = new StringBuilder("(None");
    for (long d : shape) {
      sb.append(", ").append(d < 0 ? "None" : Long.toString(d));
    }
    return sb.append(')').toString();
  }

  private void requireBuilt() {
    if (inputShape == null) {
      throw new IllegalStateException(
          "layer '" + name + "' is not built yet; add it to a model with an input shape first");
    }
  }

  @Override
  public String toString() {
    return className() + "(" + name + ")";
  }
}
