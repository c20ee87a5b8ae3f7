package org.tffinetune.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tffinetune.InvalidInputException;

/**
 * Reads NumPy {@code .npy} arrays: the magic {@code \x93NUMPY}, a format version 1.0, 2.0 or 3.0, a
 * little-endian header length (2 bytes in version 1, 4 bytes later), and a Python dict literal with
 * {@code descr}, {@code fortran_order} and {@code shape}, followed by the raw data. Only the plain
 * dtype strings that MNIST uses are parsed; structured dtypes are rejected.
 */
final class NpyReader {
  /** dtype of unsigned bytes. */
  static final String UINT8 = "|u1";

  /** dtype of little-endian signed 64-bit integers. */
  static final String INT64 = "<i8";

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN_ORDER =
      Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /**
   * The parsed header of one array.
   *
   * @param descr the dtype string, such as {@code |u1} or {@code <i8}
   * @param fortranOrder whether the data is in column-major order
   * @param shape the array dimensions; empty for a scalar
   */
  record Header(String descr, boolean fortranOrder, long[] shape) {
    /** Returns the number of elements, the product of the dimensions. */
    long elementCount() {
      long count = 1;
      for (long dimension : shape) {
        count = Math.multiplyExact(count, dimension);
      }
      return count;
    }

    /** Formats the shape as NumPy prints it, such as {@code (60000, 28, 28)} or {@code (5,)}. */
    String shapeText() {
      if (shape.length == 1) {
        return "(" + shape[0] + ",)";
      }
      return Arrays.stream(shape)
          .mapToObj(Long::toString)
          .collect(Collectors.joining(", ", "(", ")"));
    }
  }

  private NpyReader() {}

  /**
   * Reads the magic, version and header dict, leaving {@code in} at the start of the data.
   *
   * @param source the file or archive entry, named in error messages
   * @throws InvalidInputException if the input is not an NPY array of a supported version
   */
  static Header readHeader(InputStream in, String source) throws IOException {
    byte[] prefix = in.readNBytes(MAGIC.length + 2);
    if (prefix.length < MAGIC.length + 2
        || !Arrays.equals(Arrays.copyOf(prefix, MAGIC.length), MAGIC)) {
      throw new InvalidInputException(source + ": not an NPY array: missing magic \\x93NUMPY");
    }
    int major = prefix[MAGIC.length];
    if (major < 1 || major > 3) {
      throw new InvalidInputException(
          String.format("%s: NPY format version must be 1, 2 or 3, found %d", source, major));
    }
    int lengthBytes = major == 1 ? 2 : 4;
    byte[] lengthField = readExactly(in, lengthBytes, "NPY header length", source);
    ByteBuffer lengthBuffer = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength =
        major == 1 ? Short.toUnsignedInt(lengthBuffer.getShort()) : lengthBuffer.getInt();
    if (headerLength < 0 || headerLength > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(source + ": invalid NPY header length " + headerLength);
    }
    Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    String dict = new String(readExactly(in, (int) headerLength, "NPY header", source), charset);
    return parseDict(dict.trim(), source);
  }

  /**
   * Reads the data of {@code header} as bytes and checks that the input ends there.
   *
   * @throws InvalidInputException if the data is shorter or longer than the header declares
   */
  static byte[] readData(InputStream in, Header header, int itemBytes, String source)
      throws IOException {
    long expected = Math.multiplyExact(header.elementCount(), itemBytes);
    if (expected > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(
          String.format(
              "%s: array of shape %s is larger than one Java array can hold",
              source, header.shapeText()));
    }
    byte[] data = in.readNBytes((int) expected);
    if (data.length < expected) {
      throw new InvalidInputException(
          String.format(
              "%s: truncated: shape %s needs %d data bytes, found %d",
              source, header.shapeText(), expected, data.length));
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new InvalidInputException(
          String.format(
              "%s: too long: shape %s needs %d data bytes, found %d",
              source, header.shapeText(), expected, expected + extra));
    }
    return data;
  }

  private static Header parseDict(String dict, String source) {
    if (!dict.startsWith("{") || !dict.endsWith("}")) {
      throw new InvalidInputException(
          source + ": NPY header must be a Python dict literal, found: " + dict);
    }
    String descr = find(DESCR, dict, "descr", source);
    boolean fortranOrder = find(FORTRAN_ORDER, dict, "fortran_order", source).equals("True");
    String shapeText = find(SHAPE, dict, "shape", source);
    long[] shape =
        Arrays.stream(shapeText.split(","))
            .map(String::trim)
            .filter(dimension -> !dimension.isEmpty())
            .mapToLong(dimension -> parseDimension(dimension, dict, source))
            .toArray();
    return new Header(descr, fortranOrder, shape);
  }

  private static String find(Pattern pattern, String dict, String key, String source) {
    Matcher matcher = pattern.matcher(dict);
    if (!matcher.find()) {
      throw new InvalidInputException(
          String.format(
              "%s: NPY header has no supported '%s' entry, found: %s", source, key, dict));
    }
    return matcher.group(1);
  }

  private static long parseDimension(String dimension, String dict, String source) {
    // NumPy under Python 2 wrote long integers with an L suffix, such as 60000L.
    String digits =
        dimension.endsWith("L") ? dimension.substring(0, dimension.length() - 1) : dimension;
    try {
      long value = Long.parseLong(digits);
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below with the whole header.
    }
    throw new InvalidInputException(
        String.format("%s: NPY shape has an invalid dimension '%s': %s", source, dimension, dict));
  }

  private static byte[] readExactly(InputStream in, int length, String part, String source)
      throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new InvalidInputException(
          String.format(
              "%s: truncated %s: expected %d bytes, found %d", source, part, length, bytes.length));
    }
    return bytes;
  }
}
