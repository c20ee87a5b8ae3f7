package org.tffinetune.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared settings of 2D pooling layers over NHWC images: pool size, strides (default: the pool
 * size, as in Keras) and padding (default {@code valid}).
 */
public abstract class Pooling2D extends Layer {
  protected final int[] poolSize;
  protected final int[] strides;
  protected final Padding padding;

  /**
   * Creates a pooling layer.
   *
   * @param poolSize window height and width
   * @param strides step height and width, or null for the pool size
   * @param padding {@code VALID} or {@code SAME}
   * @param name the layer name, or null for a model-assigned one
   */
  protected Pooling2D(int[] poolSize, int[] strides, Padding padding, String name) {
    super(name);
    if (poolSize.length != 2 || poolSize[0] <= 0 || poolSize[1] <= 0) {
      throw new IllegalArgumentException(
          "pool_size must be two positive integers, got " + java.util.Arrays.toString(poolSize));
    }
    int[] s = strides == null ? poolSize : strides;
    if (s.length != 2 || s[0] <= 0 || s[1] <= 0) {
      throw new IllegalArgumentException(
          "strides must be two positive integers, got " + java.util.Arrays.toString(s));
    }
    this.poolSize = poolSize.clone();
    this.strides = s.clone();
    this.padding = padding;
  }

  @Override
  protected long[] computeOutputShape(long[] in) {
    if (in.length != 3) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' ("
              + className()
              + ") expects input of shape (None, height, width, channels), got "
              + formatShape(in));
    }
    long h = padding.outputLength(in[0], poolSize[0], strides[0]);
    long w = padding.outputLength(in[1], poolSize[1], strides[1]);
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException(
          "layer '"
              + name()
              + "' ("
              + className()
              + "): pool "
              + poolSize[0]
              + "x"
              + poolSize[1]
              + " does not fit input "
              + formatShape(in));
    }
    return new long[] {h, w, in[2]};
  }

  /** Returns the window as the 4-element NHWC list that TensorFlow's pooling ops take. */
  protected List<Long> ksize() {
    return List.of(1L, (long) poolSize[0], (long) poolSize[1], 1L);
  }

  /** Returns the strides as the 4-element NHWC list that TensorFlow's pooling ops take. */
  protected List<Long> strideList() {
    return List.of(1L, (long) strides[0], (long) strides[1], 1L);
  }

  @Override
  protected Map<String, Object> layerConfig() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("pool_size", List.of(poolSize[0], poolSize[1]));
    c.put("strides", List.of(strides[0], strides[1]));
    c.put("padding", padding.kerasName());
    c.put("data_format", "channels_last");
    return c;
  }
}
