package org.tffinetune.serving;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tffinetune.InvalidInputException;

/**
 * Runs a classifier SavedModel in the JVM: float32 images in, class probabilities out.
 *
 * <p>The model must have a signature (default {@code serving_default}, tag {@code serve}) with one
 * float32 input of shape [batch, ...example], such as [-1, 28, 28, 1], and one float32 output of
 * shape [batch, classes]. Names, types and shapes come from the signature, so Keras exports with
 * inputs such as {@code conv2d_input} or {@code keras_tensor} work unchanged.
 *
 * <p>Methods take examples flattened in row-major (NHWC) order: {@link #featureCount()} values per
 * example, 784 for a 28 x 28 x 1 image. Each call returns freshly allocated arrays and closes every
 * tensor it creates.
 *
 * <p>A predictor is safe to use from many threads at once, because a TensorFlow session runs
 * concurrent calls. {@link #close()} waits for calls in flight, and calls after it throw {@link
 * IllegalStateException}.
 */
public final class Predictor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Predictor.class);

  /** The SavedModel tag that serving graphs carry. */
  public static final String SERVE_TAG = "serve";

  private final Path modelDir;
  private final SavedModelBundle bundle;
  private final Session session;
  private final ModelSignature signature;
  private final Output<?> inputOutput;
  private final Output<?> outputOutput;
  private final long[] exampleShape;
  private final long fixedBatchSize;
  private final int featureCount;
  private final int classCount;

  // Calls hold the read lock while they use the session; close() takes the write lock.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private Predictor(Path modelDir, SavedModelBundle bundle, ModelSignature signature) {
    this.modelDir = modelDir;
    this.bundle = bundle;
    this.session = bundle.session();
    this.signature = signature;
    this.inputOutput = bundle.graph().outputOrThrow(signature.input().tensorName());
    this.outputOutput = bundle.graph().outputOrThrow(signature.output().tensorName());
    List<Long> inputShape = signature.input().shape();
    this.fixedBatchSize = inputShape.get(0);
    this.exampleShape =
        inputShape.subList(1, inputShape.size()).stream().mapToLong(Long::longValue).toArray();
    this.featureCount = Math.toIntExact(Arrays.stream(exampleShape).reduce(1, Math::multiplyExact));
    this.classCount = Math.toIntExact(signature.output().shape().get(1));
  }

  /**
   * Opens the {@code serving_default} signature of the SavedModel in {@code modelDir}.
   *
   * @throws InvalidInputException if the folder has no loadable SavedModel or its signature does
   *     not have one float32 input and one float32 [batch, classes] output
   */
  public static Predictor open(Path modelDir) {
    return open(modelDir, Signature.DEFAULT_KEY);
  }

  /**
   * Opens the signature {@code signatureKey} of the SavedModel in {@code modelDir}, loaded with the
   * {@code serve} tag. The caller closes the predictor.
   *
   * @throws InvalidInputException if the folder has no loadable SavedModel, the signature is
   *     missing, or it does not have one float32 input and one float32 [batch, classes] output
   */
  public static Predictor open(Path modelDir, String signatureKey) {
    if (!Files.isRegularFile(modelDir.resolve("saved_model.pb"))) {
      throw new InvalidInputException(
          "not a SavedModel folder: " + modelDir + " (expected a saved_model.pb file in it)");
    }
    LOG.debug("Loading SavedModel {} with tag {}", modelDir, SERVE_TAG);
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(modelDir.toString(), SERVE_TAG);
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new InvalidInputException(
          "failed to load SavedModel "
              + modelDir
              + " with tag '"
              + SERVE_TAG
              + "': "
              + e.getMessage(),
          e);
    }
    try {
      ModelSignature signature = readSignature(modelDir, bundle, signatureKey);
      LOG.debug(
          "Loaded {}: signature {}, input {} {} {}, output {} {} {}",
          modelDir,
          signature.key(),
          signature.input().key(),
          signature.input().dtype(),
          signature.input().shapeText(),
          signature.output().key(),
          signature.output().dtype(),
          signature.output().shapeText());
      Predictor predictor = new Predictor(modelDir, bundle, signature);
      checkRuns(predictor);
      return predictor;
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /**
   * Runs one example of zeros, so that a SavedModel whose graph loads but cannot run (for example
   * with its variables/ folder missing) fails here, with a clear message, instead of on the first
   * request.
   */
  private static void checkRuns(Predictor predictor) {
    try {
      predictor.predict(new float[predictor.featureCount()], 1);
    } catch (TensorFlowException e) {
      throw new InvalidInputException(
          "SavedModel "
              + predictor.modelDir()
              + " loads but cannot run its signature; its variables/ folder may be missing or"
              + " corrupt: "
              + e.getMessage(),
          e);
    }
  }

  private static ModelSignature readSignature(
      Path modelDir, SavedModelBundle bundle, String signatureKey) {
    Signature signature =
        bundle.signatures().stream()
            .filter(s -> s.key().equals(signatureKey))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "SavedModel "
                            + modelDir
                            + " has no signature '"
                            + signatureKey
                            + "'; found "
                            + bundle.signatures().stream().map(Signature::key).toList()));
    TensorSpec input = singleFloatTensor(modelDir, signatureKey, "input", signature.getInputs());
    TensorSpec output = singleFloatTensor(modelDir, signatureKey, "output", signature.getOutputs());
    checkInputShape(modelDir, input);
    checkOutputShape(modelDir, output);
    String methodName = signature.methodName() == null ? "" : signature.methodName();
    return new ModelSignature(signatureKey, methodName, input, output);
  }

  private static TensorSpec singleFloatTensor(
      Path modelDir,
      String signatureKey,
      String role,
      Map<String, Signature.TensorDescription> all) {
    if (all.size() != 1) {
      throw new InvalidInputException(
          "signature '"
              + signatureKey
              + "' of "
              + modelDir
              + " must have exactly one "
              + role
              + "; found "
              + all.size()
              + ": "
              + all.keySet());
    }
    Map.Entry<String, Signature.TensorDescription> entry = all.entrySet().iterator().next();
    Signature.TensorDescription description = entry.getValue();
    if (description.dataType != DataType.DT_FLOAT) {
      throw new InvalidInputException(
          role
              + " '"
              + entry.getKey()
              + "' of "
              + modelDir
              + " must be DT_FLOAT (float32); found "
              + description.dataType);
    }
    List<Long> shape = new ArrayList<>();
    if (!description.shape.isUnknown()) {
      for (long size : description.shape.asArray()) {
        shape.add(size);
      }
    }
    return new TensorSpec(entry.getKey(), description.name, description.dataType.name(), shape);
  }

  private static void checkInputShape(Path modelDir, TensorSpec input) {
    List<Long> shape = input.shape();
    if (shape.size() < 2 || shape.subList(1, shape.size()).stream().anyMatch(size -> size < 1)) {
      throw new InvalidInputException(
          "input '"
              + input.key()
              + "' of "
              + modelDir
              + " must have a batch dimension followed by known example dimensions, such as"
              + " [-1, 28, 28, 1]; found "
              + input.shapeText());
    }
  }

  private static void checkOutputShape(Path modelDir, TensorSpec output) {
    List<Long> shape = output.shape();
    if (shape.size() != 2 || shape.get(1) < 1) {
      throw new InvalidInputException(
          "output '"
              + output.key()
              + "' of "
              + modelDir
              + " must have shape [batch, classes] with a known class count; found "
              + output.shapeText());
    }
  }

  /** Returns the folder this predictor was opened from. */
  public Path modelDir() {
    return modelDir;
  }

  /** Returns the signature this predictor runs. */
  public ModelSignature signature() {
    return signature;
  }

  /** Returns the number of values in one example: the product of the non-batch input dims. */
  public int featureCount() {
    return featureCount;
  }

  /** Returns the number of values in one output row. */
  public int classCount() {
    return classCount;
  }

  /** Returns a copy of the input shape without its batch dimension, such as [28, 28, 1]. */
  public long[] exampleShape() {
    return exampleShape.clone();
  }

  /**
   * Predicts class probabilities for a batch of examples.
   *
   * @param rows one array of {@link #featureCount()} values per example
   * @return one array of {@link #classCount()} probabilities per example, in input order
   * @throws IllegalArgumentException if a row has the wrong length or the batch size does not fit
   *     the signature
   */
  public float[][] predict(float[][] rows) {
    float[] values = new float[Math.multiplyExact(rows.length, featureCount)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != featureCount) {
        throw new IllegalArgumentException(
            "rows["
                + i
                + "] must have "
                + featureCount
                + " values (shape "
                + Arrays.toString(exampleShape)
                + "); found "
                + (rows[i] == null ? "null" : rows[i].length));
      }
      System.arraycopy(rows[i], 0, values, i * featureCount, featureCount);
    }
    return predict(values, rows.length);
  }

  /**
   * Predicts class probabilities for {@code count} examples stored one after another.
   *
   * @param values exactly {@code count * featureCount()} values, not modified
   * @param count the number of examples
   * @return one array of {@link #classCount()} probabilities per example
   * @throws IllegalArgumentException if the array length does not match {@code count}
   */
  public float[][] predict(float[] values, int count) {
    checkCount(count, values.length);
    return run(DataBuffers.of(values, true, false), count);
  }

  /**
   * Predicts class probabilities for {@code count} examples read from a buffer, starting at its
   * position. The buffer's position and limit are left unchanged.
   *
   * @param values a buffer with exactly {@code count * featureCount()} values remaining
   * @param count the number of examples
   * @return one array of {@link #classCount()} probabilities per example
   * @throws IllegalArgumentException if the remaining values do not match {@code count}
   */
  public float[][] predict(FloatBuffer values, int count) {
    checkCount(count, values.remaining());
    // DataBuffers.of reads from index 0 of the NIO buffer, so pass a slice that starts at position.
    return run(DataBuffers.of(values.slice()), count);
  }

  /**
   * Predicts class probabilities for pictures, converted as {@link GrayscaleImages#toPixels}
   * describes. The model input must have shape [batch, height, width, 1].
   *
   * @param images the pictures, any size
   * @param invert whether to invert dark-on-light pictures into MNIST's light-on-dark
   * @return one array of {@link #classCount()} probabilities per picture
   * @throws IllegalStateException if the model input is not [batch, height, width, 1]
   */
  public float[][] predictImages(List<BufferedImage> images, boolean invert) {
    if (exampleShape.length != 3 || exampleShape[2] != 1) {
      throw new IllegalStateException(
          "image input needs a model input of shape [batch, height, width, 1]; found "
              + signature.input().shapeText());
    }
    int height = (int) exampleShape[0];
    int width = (int) exampleShape[1];
    float[] values = new float[Math.multiplyExact(images.size(), featureCount)];
    for (int i = 0; i < images.size(); i++) {
      float[] pixels = GrayscaleImages.toPixels(images.get(i), width, height, invert);
      System.arraycopy(pixels, 0, values, i * featureCount, featureCount);
    }
    return predict(values, images.size());
  }

  /**
   * Reads PNG or JPEG files and predicts class probabilities for them, as {@link #predictImages}
   * does.
   *
   * @throws InvalidInputException if a file is missing or is not a decodable image
   */
  public float[][] predictImageFiles(List<Path> files, boolean invert) {
    List<BufferedImage> images = new ArrayList<>(files.size());
    for (Path file : files) {
      images.add(GrayscaleImages.read(file));
    }
    return predictImages(images, invert);
  }

  private void checkCount(int count, long valueCount) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be 0 or more, found " + count);
    }
    if (valueCount != (long) count * featureCount) {
      throw new IllegalArgumentException(
          "expected "
              + count
              + " x "
              + featureCount
              + " = "
              + (long) count * featureCount
              + " values for "
              + count
              + " examples of shape "
              + Arrays.toString(exampleShape)
              + "; found "
              + valueCount);
    }
    if (fixedBatchSize > 0 && count != fixedBatchSize) {
      throw new IllegalArgumentException(
          "input '"
              + signature.input().key()
              + "' has a fixed batch size of "
              + fixedBatchSize
              + "; found "
              + count
              + " examples");
    }
  }

  private float[][] run(FloatDataBuffer values, int count) {
    if (count == 0) {
      return new float[0][];
    }
    long[] dims = new long[exampleShape.length + 1];
    dims[0] = count;
    System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("predictor for " + modelDir + " is closed");
      }
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(dims), values);
          Result result = session.runner().feed(inputOutput, input).fetch(outputOutput).run()) {
        return readOutput(result.get(0), count);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private float[][] readOutput(Tensor tensor, int count) {
    Shape expected = Shape.of(count, classCount);
    if (!(tensor instanceof TFloat32 output) || !tensor.shape().equals(expected)) {
      throw new IllegalStateException(
          "output '"
              + signature.output().key()
              + "' of "
              + modelDir
              + " returned "
              + tensor.dataType()
              + " "
              + tensor.shape()
              + "; expected DT_FLOAT "
              + expected);
    }
    float[] flat = new float[count * classCount];
    output.copyTo(DataBuffers.of(flat, false, false));
    float[][] rows = new float[count][];
    for (int i = 0; i < count; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * classCount, (i + 1) * classCount);
    }
    return rows;
  }

  /**
   * Waits for calls in flight, then releases the session and graph. Calling it again does nothing.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      bundle.close();
      LOG.debug("Closed SavedModel {}", modelDir);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
