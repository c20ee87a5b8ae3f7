package org.tffinetune.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a SavedModel with the shape of the transfer learning notebook's network and random
 * weights, for benchmarks that need a realistic model before a trained one exists.
 *
 * <p>Layers: Conv2D(32, 3x3, valid) relu, Conv2D(32, 3x3, valid) relu, MaxPool 2x2, Flatten,
 * Dense(128) relu, Dense(classes) softmax. The notebook's Dropout is left out because it is the
 * identity at inference. Kernels are drawn from Glorot's uniform distribution and biases are zero.
 * Input {@code input} float32 [-1, 28, 28, 1], output {@code probabilities} float32 [-1, classes].
 */
final class NotebookCnnExport {
  private static final int FILTERS = 32;
  private static final int KERNEL_SIZE = 3;
  private static final int DENSE_UNITS = 128;
  // 28 - 2 - 2 = 24 after two valid 3x3 convolutions, then 12 after 2x2 pooling.
  private static final int FLAT_SIZE = 12 * 12 * FILTERS;

  private NotebookCnnExport() {}

  /** Exports the network with weights drawn from {@code seed} into {@code dir}. */
  static void export(Path dir, long seed, int classes) throws IOException {
    Random random = new Random(seed);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input =
          tf.withName("input")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      Operand<TFloat32> x = conv(tf, "conv2d", input, 1, random);
      x = conv(tf, "conv2d_1", x, FILTERS, random);
      x =
          tf.nn.maxPool(
              x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
      x = tf.reshape(x, tf.constant(new int[] {-1, FLAT_SIZE}));
      x = tf.nn.relu(dense(tf, "dense", x, FLAT_SIZE, DENSE_UNITS, random));
      Operand<TFloat32> probabilities =
          tf.withName("probabilities")
              .nn
              .softmax(dense(tf, "dense_1", x, DENSE_UNITS, classes, random));
      try (Session session = new Session(graph)) {
        session.initialize();
        SavedModelBundle.exporter(dir.toString())
            .withSession(session)
            .withSignature(
                Signature.builder()
                    .key(Signature.DEFAULT_KEY)
                    .input("input", input)
                    .output("probabilities", probabilities)
                    .build())
            .export();
      }
    }
  }

  private static Operand<TFloat32> conv(
      Ops tf, String name, Operand<TFloat32> x, int inChannels, Random random) {
    Shape kernelShape = Shape.of(KERNEL_SIZE, KERNEL_SIZE, inChannels, FILTERS);
    int fanIn = KERNEL_SIZE * KERNEL_SIZE * inChannels;
    int fanOut = KERNEL_SIZE * KERNEL_SIZE * FILTERS;
    Operand<TFloat32> kernel =
        tf.withSubScope(name)
            .withName("kernel")
            .variable(glorotUniform(tf, kernelShape, fanIn, fanOut, random));
    Operand<TFloat32> bias =
        tf.withSubScope(name)
            .withName("bias")
            .variable(tf.constant(Shape.of(FILTERS), DataBuffers.ofFloats(FILTERS)));
    Operand<TFloat32> convolved = tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "VALID");
    return tf.nn.relu(tf.nn.biasAdd(convolved, bias));
  }

  private static Operand<TFloat32> dense(
      Ops tf, String name, Operand<TFloat32> x, int inputs, int units, Random random) {
    Operand<TFloat32> kernel =
        tf.withSubScope(name)
            .withName("kernel")
            .variable(glorotUniform(tf, Shape.of(inputs, units), inputs, units, random));
    Operand<TFloat32> bias =
        tf.withSubScope(name)
            .withName("bias")
            .variable(tf.constant(Shape.of(units), DataBuffers.ofFloats(units)));
    return tf.math.add(tf.linalg.matMul(x, kernel), bias);
  }

  /** Draws from U(-limit, limit) with limit = sqrt(6 / (fanIn + fanOut)), as Keras's default. */
  private static Operand<TFloat32> glorotUniform(
      Ops tf, Shape shape, int fanIn, int fanOut, Random random) {
    float limit = (float) Math.sqrt(6.0 / (fanIn + fanOut));
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (random.nextFloat() * 2 - 1) * limit;
    }
    return tf.constant(shape, DataBuffers.of(values, true, false));
  }
}
