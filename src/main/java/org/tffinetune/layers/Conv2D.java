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
 * 2D convolution over NHWC images, as Keras's {@code Conv2D}: {@code output = activation(conv(x,
 * kernel) + bias)} with a kernel of shape {@code [kh, kw, inChannels, filters]}.
 *
 * <p>Defaults as in Keras: strides 1, padding {@code valid}, bias on, no activation, kernel
 * Glorot-uniform and bias zeros.
 */
public final class Conv2D extends Layer {
  private final int filters;
  private final int[] kernelSize;
  private final int[] strides;
  private final Padding padding;
  private final ActivationFunction activation;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;

  private Conv2D(Builder b) {
    super(b.name);
    this.filters = b.filters;
    this.kernelSize = b.kernelSize;
    this.strides = b.strides;
    this.padding = b.padding;
    this.activation = b.activation;
    this.useBias = b.useBias;
    this.kernelInitializer = b.kernelInitializer;
    this.biasInitializer = b.biasInitializer;
  }

  /** Returns a builder for a convolution with {@code filters} output channels. */
  public static Builder builder(int filters, int kernelSize) {
    return new Builder(filters, kernelSize, kernelSize);
  }

  /** Returns a builder for a convolution with a rectangular kernel. */
  public static Builder builder(int filters, int kernelHeight, int kernelWidth) {
    return new Builder(filters, kernelHeight, kernelWidth);
  }

  /** Creates {@code Conv2D(filters, kernelSize)} with Keras's defaults for everything else. */
  public static Conv2D of(int filters, int kernelSize) {
    return builder(filters, kernelSize).build();
  }

  @Override
  public String className() {
    return "Conv2D";
  }

  @Override
  public String defaultNamePrefix() {
    return "conv2d";
  }

  /** Returns the fused activation ({@code LINEAR} when none). */
  public ActivationFunction activation() {
    return activation;
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    if (in.length != 3) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' (Conv2D) expects input of shape (None, height, width, channels), got "
              + formatShape(in));
    }
    long h = padding.outputLength(in[0], kernelSize[0], strides[0]);
    long w = padding.outputLength(in[1], kernelSize[1], strides[1]);
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' (Conv2D): kernel "
              + kernelSize[0]
              + "x"
              + kernelSize[1]
              + " does not fit input "
              + formatShape(in)
              + " with padding 'valid'");
    }
    return new long[] {h, w, filters};
  }

  @Override
  protected List<WeightSpec> declareWeights(long[] in) {
    List<WeightSpec> specs = new ArrayList<>();
    specs.add(
        new WeightSpec(
            "kernel",
            new long[] {kernelSize[0], kernelSize[1], in[2], filters},
            kernelInitializer,
            true));
    if (useBias) {
      specs.add(new WeightSpec("bias", new long[] {filters}, biasInitializer, true));
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
    Operand<TFloat32> y =
        tf.nn.conv2d(
            input,
            weights.get(0),
            List.of(1L, (long) strides[0], (long) strides[1], 1L),
            padding.tfName());
    if (useBias) {
      y = tf.nn.biasAdd(y, weights.get(1));
    }
    return activation.apply(tf, y);
  }

  @Override
  protected Map<String, Object> layerConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("filters", filters);
    c.put("kernel_size", List.of(kernelSize[0], kernelSize[1]));
    c.put("strides", List.of(strides[0], strides[1]));
    c.put("padding", padding.kerasName());
    c.put("data_format", "channels_last");
    c.put("activation", activation.kerasName());
    c.put("use_bias", useBias);
    c.put("kernel_initializer", Map.of("class_name", kernelInitializer.kerasName()));
    c.put("bias_initializer", Map.of("class_name", biasInitializer.kerasName()));
    return c;
  }

  /** Builder with Keras's defaults; {@code filters} and {@code kernelSize} are required. */
  public static final class Builder {
    private final int filters;
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private Padding padding = Padding.VALID;
    private ActivationFunction activation = ActivationFunction.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = new GlorotUniform();
    private Initializer biasInitializer = Constant.ZEROS;
    private String name;

    private Builder(int filters, int kernelHeight, int kernelWidth) {
      if (filters <= 0) {
        throw new IllegalArgumentException("Conv2D filters must be positive, got " + filters);
      }
      if (kernelHeight <= 0 || kernelWidth <= 0) {
        throw new IllegalArgumentException(
            "Conv2D kernel_size must be positive, got " + kernelHeight + "x" + kernelWidth);
      }
      this.filters = filters;
      this.kernelSize = new int[] {kernelHeight, kernelWidth};
    }

    /** Sets the strides (default 1, 1). */
    public Builder strides(int height, int width) {
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException(
            "Conv2D strides must be positive, got " + height + "x" + width);
      }
      this.strides = new int[] {height, width};
      return this;
    }

    /** Sets the padding (default {@code valid}). */
    public Builder padding(Padding padding) {
      this.padding = padding;
      return this;
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

    /** Sets the layer name (default: {@code conv2d}, {@code conv2d_1}, ... by the model). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Returns the layer. */
    public Conv2D build() {
      return new Conv2D(this);
    }
  }
}
