package org.tffinetune.keras;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.Weight;
import org.tffinetune.models.Sequential;

/**
 * Golden inputs and outputs of a model, stored as a NumPy {@code .npz} archive with two float32
 * arrays in C order: {@code inputs} of shape [n, 28, 28, 1] (pixel / 255) and {@code outputs} of
 * shape [n, classes]. Python's {@code check_java_model.py} feeds {@code inputs} to the SavedModel
 * and compares with {@code outputs}.
 *
 * @param inputs the input values, {@code n * 784}
 * @param inputShape the shape of {@code inputs}
 * @param outputs the output values
 * @param outputShape the shape of {@code outputs}
 */
public record GoldenFile(float[] inputs, long[] inputShape, float[] outputs, long[] outputShape) {
  /** Name of the input array in the archive. */
  public static final String INPUTS = "inputs";

  /** Name of the output array in the archive. */
  public static final String OUTPUTS = "outputs";

  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([0-9,\\s]*)\\)");

  /**
   * Computes the outputs of {@code model} on the first {@code count} images and returns them with
   * the images.
   *
   * @throws IllegalArgumentException when {@code count} is not in [1, images.size()]
   */
  public static GoldenFile compute(Sequential model, LabeledImages images, int count) {
    if (count < 1 || count > images.size()) {
      throw new IllegalArgumentException(
          "count must be between 1 and " + images.size() + ", got " + count);
    }
    float[] inputs = new float[count * LabeledImages.IMAGE_PIXELS];
    images.fillImages(null, 0, count, inputs);
    float[][] probabilities = model.predict(inputs, count);
    int classes = model.numClasses();
    float[] outputs = new float[count * classes];
    for (int i = 0; i < count; i++) {
      System.arraycopy(probabilities[i], 0, outputs, i * classes, classes);
    }
    return new GoldenFile(
        inputs,
        new long[] {count, LabeledImages.IMAGE_HEIGHT, LabeledImages.IMAGE_WIDTH, 1},
        outputs,
        new long[] {count, classes});
  }

  /**
   * Writes the archive to {@code file} through a temporary file beside it, so that a failed write
   * leaves no partial file.
   */
  public void write(Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp);
          ZipOutputStream zip = new ZipOutputStream(out)) {
        putArray(zip, INPUTS, inputShape, inputs);
        putArray(zip, OUTPUTS, outputShape, outputs);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads an archive written by {@link #write} or by NumPy's {@code np.savez} with the two arrays
   * as little-endian float32 in C order.
   *
   * @throws InvalidInputException when the file is missing, is not such an archive or lacks an
   *     array
   */
  public static GoldenFile read(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      float[][] values = new float[2][];
      long[][] shapes = new long[2][];
      String[] names = {INPUTS, OUTPUTS};
      for (int i = 0; i < names.length; i++) {
        ZipEntry entry = zip.getEntry(names[i] + ".npy");
        if (entry == null) {
          throw new InvalidInputException(file + " has no array '" + names[i] + "'");
        }
        try (InputStream in = zip.getInputStream(entry)) {
          String source = file + "!" + entry.getName();
          shapes[i] = readHeader(new DataInputStream(in), source);
          values[i] = readFloats(in, shapes[i], source);
        }
      }
      return new GoldenFile(values[0], shapes[0], values[1], shapes[1]);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read golden file " + file + " as an .npz archive: " + e.getMessage(), e);
    }
  }

  /** Returns the number of examples. */
  public int count() {
    return (int) inputShape[0];
  }

  private static void putArray(ZipOutputStream zip, String name, long[] shape, float[] values)
      throws IOException {
    zip.putNextEntry(new ZipEntry(name + ".npy"));
    zip.write(npyHeader(shape));
    ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES);
    data.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    zip.write(data.array());
    zip.closeEntry();
  }

  /** Returns an NPY 1.0 header, padded so that the data starts at a multiple of 64 bytes. */
  private static byte[] npyHeader(long[] shape) {
    String text = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    if (shape.length == 1) {
      text += ",";
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + text + "), }";
    int prefix = NPY_MAGIC.length + 4;
    int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
    String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
    ByteBuffer buffer = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    buffer.put(header.getBytes(StandardCharsets.US_ASCII));
    return buffer.array();
  }

  private static long[] readHeader(DataInputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(NPY_MAGIC.length);
    if (!Arrays.equals(magic, NPY_MAGIC)) {
      throw new InvalidInputException(source + " is not an NPY array: the magic bytes differ");
    }
    int major = in.readUnsignedByte();
    in.readUnsignedByte();
    byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
    ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    length.put(lengthBytes).rewind();
    String header = new String(in.readNBytes(length.getInt()), StandardCharsets.ISO_8859_1);
    if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
      throw new InvalidInputException(
          source + " must hold little-endian float32 values in C order; found header " + header);
    }
    Matcher matcher = SHAPE.matcher(header);
    if (!matcher.find()) {
      throw new InvalidInputException(source + " has no shape in its header: " + header.strip());
    }
    return Arrays.stream(matcher.group(1).split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong)
        .toArray();
  }

  private static float[] readFloats(InputStream in, long[] shape, String source)
      throws IOException {
    int count = Math.toIntExact(Weight.elementCount(shape));
    byte[] bytes = in.readNBytes(count * Float.BYTES);
    if (bytes.length != count * Float.BYTES) {
      throw new InvalidInputException(
          source
              + " is truncated: expected "
              + count * Float.BYTES
              + " data bytes, found "
              + bytes.length);
    }
    float[] values = new float[count];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
