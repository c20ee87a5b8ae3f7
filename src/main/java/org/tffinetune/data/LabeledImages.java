package org.tffinetune.data;

import java.nio.BufferOverflowException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.tffinetune.InvalidInputException;

/**
 * One split of MNIST: 28x28 grayscale images with one class label each.
 *
 * <p>Pixels stay uint8 in one row-major {@code byte[]} of {@code size() * 784} bytes. The fill
 * methods convert one batch at a time into caller-provided buffers, the conversion that the Keras
 * MNIST transfer-learning example applies to the whole set. They write float32 pixels in [0, 1]
 * (pixel / 255) in NHWC layout [batch, 28, 28, 1], and one-hot or sparse labels. Instances are
 * immutable and safe to share between threads.
 */
public final class LabeledImages {
  /** Image height in pixels. */
  public static final int IMAGE_HEIGHT = 28;

  /** Image width in pixels. */
  public static final int IMAGE_WIDTH = 28;

  /** Pixels per image, {@code IMAGE_HEIGHT * IMAGE_WIDTH}, one channel. */
  public static final int IMAGE_PIXELS = IMAGE_HEIGHT * IMAGE_WIDTH;

  /** Number of classes in raw MNIST: the digits 0 to 9. */
  public static final int DIGIT_CLASSES = 10;

  /** Maps a uint8 pixel to float32 exactly as {@code np.float32(pixel) / 255} does. */
  private static final float[] PIXEL_TO_FLOAT = new float[256];

  static {
    for (int value = 0; value < PIXEL_TO_FLOAT.length; value++) {
      PIXEL_TO_FLOAT[value] = value / 255f;
    }
  }

  private final byte[] pixels;
  private final byte[] labels;
  private final int[] digits;

  private LabeledImages(byte[] pixels, byte[] labels, int[] digits) {
    this.pixels = pixels;
    this.labels = labels;
    this.digits = digits;
  }

  /**
   * Creates a raw MNIST split from uint8 pixels and digit labels, taking ownership of both arrays.
   *
   * @param pixels row-major 28x28 images, {@code 784 * n} bytes
   * @param imagesSource the images file, named in error messages
   * @param labels one digit 0-9 per image
   * @param labelsSource the labels file, named in error messages
   * @throws InvalidInputException if the image and label counts differ or a label is above 9
   */
  static LabeledImages ofDigits(
      byte[] pixels, String imagesSource, byte[] labels, String labelsSource) {
    if (pixels.length % IMAGE_PIXELS != 0) {
      throw new IllegalArgumentException(
          "pixels length must be a multiple of " + IMAGE_PIXELS + ", found " + pixels.length);
    }
    int images = pixels.length / IMAGE_PIXELS;
    if (images != labels.length) {
      throw new InvalidInputException(
          String.format(
              "image and label counts differ: %s has %d images, %s has %d labels",
              imagesSource, images, labelsSource, labels.length));
    }
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i] & 0xFF;
      if (label >= DIGIT_CLASSES) {
        throw new InvalidInputException(
            String.format(
                "%s: label at index %d must be a digit 0-9, found %d", labelsSource, i, label));
      }
    }
    int[] allDigits = new int[DIGIT_CLASSES];
    Arrays.setAll(allDigits, digit -> digit);
    return new LabeledImages(pixels, labels, allDigits);
  }

  /**
   * Creates a raw 10-class set from uint8 pixels and digit labels, for images that do not come from
   * the MNIST files, such as test data or a user's own digits. The arrays are copied.
   *
   * @param pixels row-major 28x28 images, {@code 784 * n} bytes
   * @param labels one digit 0-9 per image
   * @throws InvalidInputException if the counts differ or a label is above 9
   */
  public static LabeledImages of(byte[] pixels, byte[] labels) {
    return ofDigits(pixels.clone(), "pixels", labels.clone(), "labels");
  }

  /** Returns a read-only view of the uint8 pixels, row-major {@code [size(), 28, 28]}. */
  public java.nio.ByteBuffer pixelBuffer() {
    return java.nio.ByteBuffer.wrap(pixels).asReadOnlyBuffer();
  }

  /** Returns a read-only view of the class labels, one byte per image. */
  public java.nio.ByteBuffer labelBuffer() {
    return java.nio.ByteBuffer.wrap(labels).asReadOnlyBuffer();
  }

  /** Returns the number of images. */
  public int size() {
    return labels.length;
  }

  /** Returns the number of classes: 10 for raw MNIST, k after {@link #select} of k classes. */
  public int numClasses() {
    return digits.length;
  }

  /** Returns the class label of image {@code i}, in {@code [0, numClasses())}. */
  public int label(int i) {
    return labels[i];
  }

  /**
   * Returns the original MNIST digit of each class: element {@code c} is the digit that class
   * {@code c} stands for, so {@code [5, 6, 7, 8, 9]} after {@code select(5, 6, 7, 8, 9)}.
   */
  public int[] digits() {
    return digits.clone();
  }

  /** Counts the images of each class; element {@code c} is the count of class {@code c}. */
  public int[] countsPerClass() {
    int[] counts = new int[numClasses()];
    for (byte label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * Keeps only the images of the given classes and relabels them 0 to k-1 in ascending class order,
   * whatever the argument order. For raw MNIST the classes are the digits, so {@code select(5, 6,
   * 7, 8, 9)} maps digit 5 to 0 and digit 9 to 4, and {@code select(0, 1, 2, 3, 4)} keeps the
   * digits below 5 with their labels unchanged.
   *
   * @param classes the classes to keep, each in {@code [0, numClasses())}, without duplicates
   * @throws InvalidInputException if {@code classes} is empty, repeats a class or has one out of
   *     range
   */
  public LabeledImages select(int... classes) {
    int[] newLabelOf = relabeling(classes);
    int kept = 0;
    for (byte label : labels) {
      if (newLabelOf[label] >= 0) {
        kept++;
      }
    }

    byte[] keptPixels = new byte[kept * IMAGE_PIXELS];
    byte[] keptLabels = new byte[kept];
    int next = 0;
    for (int i = 0; i < labels.length; i++) {
      int newLabel = newLabelOf[labels[i]];
      if (newLabel >= 0) {
        System.arraycopy(pixels, i * IMAGE_PIXELS, keptPixels, next * IMAGE_PIXELS, IMAGE_PIXELS);
        keptLabels[next++] = (byte) newLabel;
      }
    }

    int[] sorted = classes.clone();
    Arrays.sort(sorted);
    int[] keptDigits = new int[sorted.length];
    Arrays.setAll(keptDigits, c -> digits[sorted[c]]);
    return new LabeledImages(keptPixels, keptLabels, keptDigits);
  }

  /** Validates {@code classes} and returns the new label of each old class, or -1 to drop it. */
  private int[] relabeling(int[] classes) {
    if (classes == null || classes.length == 0) {
      throw new InvalidInputException("classes to select must not be empty");
    }
    int[] newLabelOf = new int[numClasses()];
    Arrays.fill(newLabelOf, -1);
    for (int c : classes) {
      if (c < 0 || c >= numClasses()) {
        throw new InvalidInputException(
            String.format(
                "class to select must be in 0-%d, found %d in %s",
                numClasses() - 1, c, Arrays.toString(classes)));
      }
      if (newLabelOf[c] == 0) {
        throw new InvalidInputException(
            String.format(
                "classes to select must be distinct, found %d twice in %s",
                c, Arrays.toString(classes)));
      }
      newLabelOf[c] = 0;
    }
    int next = 0;
    for (int c = 0; c < newLabelOf.length; c++) {
      if (newLabelOf[c] == 0) {
        newLabelOf[c] = next++;
      }
    }
    return newLabelOf;
  }

  /**
   * Returns the first {@code n} images, or all of them when {@code n >= size()}.
   *
   * @throws InvalidInputException if {@code n} is negative
   */
  public LabeledImages limit(int n) {
    if (n < 0) {
      throw new InvalidInputException("limit must be at least 0, found " + n);
    }
    if (n >= size()) {
      return this;
    }
    return new LabeledImages(
        Arrays.copyOf(pixels, n * IMAGE_PIXELS), Arrays.copyOf(labels, n), digits);
  }

  /**
   * Returns the images at {@code indices}, in that order; an index may repeat.
   *
   * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())}
   */
  public LabeledImages subset(int[] indices) {
    byte[] subsetPixels = new byte[indices.length * IMAGE_PIXELS];
    byte[] subsetLabels = new byte[indices.length];
    for (int j = 0; j < indices.length; j++) {
      int i = Objects.checkIndex(indices[j], size());
      System.arraycopy(pixels, i * IMAGE_PIXELS, subsetPixels, j * IMAGE_PIXELS, IMAGE_PIXELS);
      subsetLabels[j] = labels[i];
    }
    return new LabeledImages(subsetPixels, subsetLabels, digits);
  }

  /**
   * Writes a batch of images to {@code dst} as float32 pixel / 255 in [0, 1], NHWC layout [count,
   * 28, 28, 1]. The batch is images {@code order[from]} to {@code order[from + count - 1]}, or
   * {@code from} to {@code from + count - 1} when {@code order} is null. Allocates nothing.
   *
   * @param order a permutation of image indices, for shuffling, or null for the identity
   * @param dst receives {@code count * 784} floats from index 0; may be longer
   * @throws IndexOutOfBoundsException if the batch runs past {@code order} or the images
   * @throws IllegalArgumentException if {@code dst} is shorter than {@code count * 784}
   */
  public void fillImages(int[] order, int from, int count, float[] dst) {
    checkBatch(order, from, count);
    checkCapacity("dst", dst.length, count, IMAGE_PIXELS);
    for (int j = 0; j < count; j++) {
      int src = index(order, from + j) * IMAGE_PIXELS;
      int out = j * IMAGE_PIXELS;
      for (int p = 0; p < IMAGE_PIXELS; p++) {
        dst[out + p] = PIXEL_TO_FLOAT[pixels[src + p] & 0xFF];
      }
    }
  }

  /**
   * Writes a batch of images to {@code dst} like {@link #fillImages(int[], int, int, float[])},
   * starting at the buffer's position and advancing it by {@code count * 784}. Allocates nothing.
   *
   * @throws BufferOverflowException if fewer than {@code count * 784} floats remain in {@code dst}
   */
  public void fillImages(int[] order, int from, int count, FloatBuffer dst) {
    checkBatch(order, from, count);
    if (dst.remaining() < (long) count * IMAGE_PIXELS) {
      throw new BufferOverflowException();
    }
    int out = dst.position();
    for (int j = 0; j < count; j++) {
      int src = index(order, from + j) * IMAGE_PIXELS;
      for (int p = 0; p < IMAGE_PIXELS; p++) {
        dst.put(out++, PIXEL_TO_FLOAT[pixels[src + p] & 0xFF]);
      }
    }
    dst.position(out);
  }

  /**
   * Writes the one-hot labels of a batch to {@code dst}, shape [count, numClasses()]: 1 at the
   * label, 0 elsewhere. The batch is chosen as in {@link #fillImages(int[], int, int, float[])}.
   * Allocates nothing.
   *
   * @throws IllegalArgumentException if {@code dst} is shorter than {@code count * numClasses()}
   */
  public void fillOneHot(int[] order, int from, int count, float[] dst) {
    checkBatch(order, from, count);
    int classes = numClasses();
    checkCapacity("dst", dst.length, count, classes);
    Arrays.fill(dst, 0, count * classes, 0f);
    for (int j = 0; j < count; j++) {
      dst[j * classes + labels[index(order, from + j)]] = 1f;
    }
  }

  /**
   * Writes the class labels of a batch to {@code dst}, one int per image. The batch is chosen as in
   * {@link #fillImages(int[], int, int, float[])}. Allocates nothing.
   *
   * @throws IllegalArgumentException if {@code dst} is shorter than {@code count}
   */
  public void fillSparseLabels(int[] order, int from, int count, int[] dst) {
    checkBatch(order, from, count);
    checkCapacity("dst", dst.length, count, 1);
    for (int j = 0; j < count; j++) {
      dst[j] = labels[index(order, from + j)];
    }
  }

  private void checkBatch(int[] order, int from, int count) {
    Objects.checkFromIndexSize(from, count, order == null ? size() : order.length);
  }

  private int index(int[] order, int position) {
    return order == null ? position : Objects.checkIndex(order[position], size());
  }

  private static void checkCapacity(String name, int length, int count, int perImage) {
    long needed = (long) count * perImage;
    if (length < needed) {
      throw new IllegalArgumentException(
          String.format(
              "%s must hold %d values for a batch of %d, found length %d",
              name, needed, count, length));
    }
  }

  @Override
  public String toString() {
    return "LabeledImages[size=" + size() + ", digits=" + Arrays.toString(digits) + "]";
  }
}
