package org.tffinetune.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.tffinetune.InvalidInputException;

/**
 * Reads Keras's {@code mnist.npz}: a zip archive of the NPY arrays {@code x_train} and {@code
 * x_test} (uint8, shape (n, 28, 28), C order) and {@code y_train} and {@code y_test} (shape (n,)).
 * Labels may be uint8 ({@code |u1}) or int64 ({@code <i8}) holding the digits 0-9.
 */
final class NpzReader {
  private static final String[] ARRAY_NAMES = {"x_train", "y_train", "x_test", "y_test"};
  private static final int BUFFER_BYTES = 1 << 16;

  private NpzReader() {}

  /**
   * Reads the four MNIST arrays from {@code npz}.
   *
   * @throws InvalidInputException if the file is missing or not a zip archive, lacks an array, or
   *     an array has another dtype, order or shape
   */
  static MnistDataset read(Path npz) {
    try (ZipFile zip = new ZipFile(npz.toFile())) {
      LabeledImages train = readSplit(zip, npz, "x_train", "y_train");
      LabeledImages test = readSplit(zip, npz, "x_test", "y_test");
      return new MnistDataset(train, test, "Keras npz " + npz);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(npz + ": file not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(
          npz + ": cannot read as a zip archive of NPY arrays: " + e.getMessage(), e);
    }
  }

  private static LabeledImages readSplit(ZipFile zip, Path npz, String images, String labels)
      throws IOException {
    String imagesSource = entrySource(images, npz);
    String labelsSource = entrySource(labels, npz);
    byte[] pixels;
    try (InputStream in = open(zip, npz, images)) {
      pixels = readImages(in, imagesSource);
    }
    byte[] digits;
    try (InputStream in = open(zip, npz, labels)) {
      digits = readLabels(in, labelsSource);
    }
    return LabeledImages.ofDigits(pixels, imagesSource, digits, labelsSource);
  }

  private static InputStream open(ZipFile zip, Path npz, String array) throws IOException {
    ZipEntry entry = zip.getEntry(array + ".npy");
    if (entry == null) {
      throw new InvalidInputException(
          String.format(
              "%s: missing array %s.npy; expected %s", npz, array, String.join(", ", ARRAY_NAMES)));
    }
    return new BufferedInputStream(zip.getInputStream(entry), BUFFER_BYTES);
  }

  private static byte[] readImages(InputStream in, String source) throws IOException {
    NpyReader.Header header = NpyReader.readHeader(in, source);
    checkDtype(header, source, NpyReader.UINT8);
    checkCOrder(header, source);
    long[] shape = header.shape();
    if (shape.length != 3
        || shape[1] != LabeledImages.IMAGE_HEIGHT
        || shape[2] != LabeledImages.IMAGE_WIDTH) {
      throw new InvalidInputException(
          String.format("%s: shape must be (n, 28, 28), found %s", source, header.shapeText()));
    }
    return NpyReader.readData(in, header, 1, source);
  }

  private static byte[] readLabels(InputStream in, String source) throws IOException {
    NpyReader.Header header = NpyReader.readHeader(in, source);
    checkDtype(header, source, NpyReader.UINT8, NpyReader.INT64);
    checkCOrder(header, source);
    if (header.shape().length != 1) {
      throw new InvalidInputException(
          String.format("%s: shape must be (n,), found %s", source, header.shapeText()));
    }
    if (header.descr().equals(NpyReader.UINT8)) {
      return NpyReader.readData(in, header, 1, source);
    }
    ByteBuffer data =
        ByteBuffer.wrap(NpyReader.readData(in, header, Long.BYTES, source))
            .order(ByteOrder.LITTLE_ENDIAN);
    byte[] labels = new byte[(int) header.elementCount()];
    for (int i = 0; i < labels.length; i++) {
      long label = data.getLong(i * Long.BYTES);
      if (label < 0 || label >= LabeledImages.DIGIT_CLASSES) {
        throw new InvalidInputException(
            String.format("%s: label at index %d must be a digit 0-9, found %d", source, i, label));
      }
      labels[i] = (byte) label;
    }
    return labels;
  }

  private static void checkDtype(NpyReader.Header header, String source, String... accepted) {
    for (String dtype : accepted) {
      if (header.descr().equals(dtype)) {
        return;
      }
    }
    String expected =
        Arrays.stream(accepted).map(NpzReader::describeDtype).collect(Collectors.joining(" or "));
    throw new InvalidInputException(
        String.format("%s: dtype must be %s, found '%s'", source, expected, header.descr()));
  }

  private static String describeDtype(String dtype) {
    return "'" + dtype + "' (" + (dtype.equals(NpyReader.UINT8) ? "uint8" : "int64") + ")";
  }

  private static void checkCOrder(NpyReader.Header header, String source) {
    if (header.fortranOrder()) {
      throw new InvalidInputException(
          source + ": array must be in C order (fortran_order False), found fortran_order True");
    }
  }

  private static String entrySource(String array, Path npz) {
    return "entry " + array + ".npy of " + npz;
  }
}
