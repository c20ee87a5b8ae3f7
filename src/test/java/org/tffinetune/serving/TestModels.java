package org.tffinetune.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Builds small MNIST-shaped SavedModels for tests: input {@code input} float32 [-1, 28, 28, 1],
 * output {@code probabilities} float32 [-1, classCount], computed as softmax(flatten(x) W + b) with
 * W and b drawn from a seeded random generator. {@link #expected} recomputes the same function in
 * plain Java so that tests can check the numbers TensorFlow returns.
 */
final class TestModels {
  static final int HEIGHT = 28;
  static final int WIDTH = 28;
  static final int FEATURES = HEIGHT * WIDTH;
  static final int CLASSES = 5;

  private final float[][] kernel;
  private final float[] bias;

  private TestModels(long seed, int classCount) {
    Random random = new Random(seed);
    kernel = new float[FEATURES][classCount];
    for (float[] row : kernel) {
      for (int j = 0; j < classCount; j++) {
        row[j] = (float) (random.nextGaussian() * 0.1);
      }
    }
    bias = new float[classCount];
    for (int j = 0; j < classCount; j++) {
      bias[j] = (float) random.nextGaussian();
    }
  }

  /** Returns the weights of the model that {@link #exportLinear} writes for this seed. */
  static TestModels linear(long seed) {
    return new TestModels(seed, CLASSES);
  }

  /** Exports the seeded linear softmax model as a SavedModel into {@code dir} and returns it. */
  static TestModels exportLinear(Path dir, long seed) throws IOException {
    TestModels model = linear(seed);
    model.export(dir);
    return model;
  }

  private void export(Path dir) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input =
          tf.withName("input")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, HEIGHT, WIDTH, 1)));
      Operand<TFloat32> flat = tf.reshape(input, tf.constant(new int[] {-1, FEATURES}));
      Operand<TFloat32> w = tf.withName("kernel").variable(tf.constant(kernel));
      Operand<TFloat32> b = tf.withName("bias").variable(tf.constant(bias));
      Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(flat, w), b);
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
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

  /** Computes the model's class probabilities for one flattened image of 784 pixels. */
  float[] expected(float[] pixels) {
    int classCount = bias.length;
    double[] logits = new double[classCount];
    for (int j = 0; j < classCount; j++) {
      double sum = bias[j];
      for (int i = 0; i < FEATURES; i++) {
        sum += (double) pixels[i] * kernel[i][j];
      }
      logits[j] = sum;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double total = 0;
    for (int j = 0; j < classCount; j++) {
      logits[j] = Math.exp(logits[j] - max);
      total += logits[j];
    }
    float[] probabilities = new float[classCount];
    for (int j = 0; j < classCount; j++) {
      probabilities[j] = (float) (logits[j] / total);
    }
    return probabilities;
  }

  /** Returns {@code count} images of 784 pixels in [0, 1] drawn from a seeded generator. */
  static float[][] randomImages(long seed, int count) {
    Random random = new Random(seed);
    float[][] images = new float[count][FEATURES];
    for (float[] image : images) {
      for (int i = 0; i < FEATURES; i++) {
        image[i] = random.nextFloat();
      }
    }
    return images;
  }
}
