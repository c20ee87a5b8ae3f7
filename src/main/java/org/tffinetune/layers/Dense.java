package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tffinetune.initializers.Constant;
import org.tffinetune.initializers.GlorotUniform;
import org.tffinetune.initializers.Initializer;

/**
 * Fully connected layer, as Keras's {@code Dense}: {@code output = activation(x . kernel + bias)}
 * with a kernel of shape {@code [inputDim, units]}. An input of rank above 2 is multiplied on its
 * last axis, as Keras does.
 */
public final class Dense extends Layer {
  private final int units;
  private final ActivationFunction activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;

  private Dense(Builder b) {
    super(b.name);
    this.units = b.units;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
  }

  /** Returns a builder for a layer with {@code units} outputs. */
  public static Builder builder(int units) {
    return new Builder(units);
  }

  /** Creates {@code Dense(units)} with Keras's defaults: bias on, no activation. */
  public static Dense of(int units) {
    return builder(units).build();
  }

  /** Returns the number of outputs. */
  public int units() {
    return units;
  }

  /** Returns the fused activation ({@code LINEAR} when none). */
  public ActivationFunction activation() {
    return activation;
  }

  @Override
  public String className() {
    return "Dense";
  }

  @Override
  public String defaultNamePrefix() {
    return "dense";
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    if (in.length < 1 || in[in.length - 1] <= 0) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' (Dense) needs a known last input dimension, got "
              + formatShape(in));
    }
    long[] out = in.clone();
    out[out.length - 1] = units;
    return out;
  }

  @Override
  protected List<WeightSpec> declareWeights(long[] in) {
    List<WeightSpec> specs = new ArrayList<>();
    specs.add(
        new WeightSpec("kernel", new long[] {in[in.length - 1], units}, kernelInitializer, true));
    if (useBias) {
      specs.add(new WeightSpec("bias", new long[] {units}, biasInitializer, true));
    }
    return specs;
  }

  @Override
  public Operand<TFloat32> call(
      Ops tf,
      Operand<TFloat32> input,
      List<Variable<TFloat32>> weights,
      CallContext context,
      int layerIndex) {
    long[] in = inputShape();
    Operand<TFloat32> x = input;
    if (in.length > 1) {
      x = tf.reshape(x, tf.constant(new long[] {-1, in[in.length - 1]}));
    }
    Operand<TFloat32> y = tf.linalg.matMul(x, weights.get(0));
    if (useBias) {
      y = tf.nn.biasAdd(y, weights.get(1));
    }
    if (in.length > 1) {
      long[] target = new long[in.length + 1];
      target[0] = -1;
      for (int i = 0; i < in.length - 1; i++) {
        target[i + 1] = in[i];
      }
      target[in.length] = units;
      y = tf.reshape(y, tf.constant(target));
    }
    return activation.apply(tf, y);
  }

  @Override
  protected Map<String, Object> layerConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("units", units);
    c.put("activation", activation.kerasName());
    c.put("use_bias", useBias);
    c.put("kernel_initializer", Map.of("class_name", kernelInitializer.kerasName()));
    c.put("bias_initializer", Map.of("class_name", biasInitializer.kerasName()));
    return c;
  }

  /** Builder with Keras's defaults; {@code units} is required. */
  public static final class Builder {
    private final int units;
    private ActivationFunction activation = ActivationFunction.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = new GlorotUniform();
    private Initializer biasInitializer = Constant.ZEROS;
    private String name;

    private Builder(int units) {
      if (units <= 0) {
        throw new IllegalArgumentException("Dense units must be positive, got " + units);
      }
      this.units = units;
    }

    /** Sets a fused activation (default none). */
    public Builder activation(ActivationFunction activation) {
      this.activation = activation;
      return this;
    }

    /** Turns the bias on or off (default on). */
    public Builder useBias(boolean useBias) {
      this.useBias = useBias;
      return this;
    }

    /** Sets the kernel initializer (default Glorot-uniform). */
    public Builder kernelInitializer(Initializer initializer) {
      this.kernelInitializer = initializer;
      return this;
    }

    /** Sets the bias initializer (default zeros). */
    public Builder biasInitializer(Initializer initializer) {
      this.biasInitializer = initializer;
      return this;
    }

    /** Sets the layer name (default: {@code dense}, {@code dense_1}, ... by the model). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Returns the layer. */
    public Dense build() {
      return new Dense(this);
    }
  }
}
