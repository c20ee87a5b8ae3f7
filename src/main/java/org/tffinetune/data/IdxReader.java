package org.tffinetune.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tffinetune.InvalidInputException;

/**
 * Reads MNIST IDX files: a big-endian header followed by unsigned bytes. An images file starts with
 * magic 0x00000803, the image count, 28 and 28. A labels file starts with magic 0x00000801 and the
 * label count. Each file must be exactly as long as its header declares. Gzip-compressed input is
 * recognised by its first two bytes and decompressed while reading.
 */
final class IdxReader {
  /** Magic number of an IDX file of unsigned bytes with 3 dimensions. */
  static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned bytes with 1 dimension. */
  static final int LABELS_MAGIC = 0x00000801;

  private static final int IMAGES_HEADER_BYTES = 16;
  private static final int LABELS_HEADER_BYTES = 8;
  private static final int BUFFER_BYTES = 1 << 16;

  private IdxReader() {}

  /**
   * Reads one IDX file, raw or gzip-compressed.
   *
   * @return the pixels (row-major, 784 bytes per image) or the labels, without the header
   * @throws InvalidInputException if the file is missing, unreadable or not a valid MNIST file
   */
  static byte[] read(Path file, MnistFile kind) {
    try (InputStream in = decompressIfGzip(Files.newInputStream(file))) {
      return read(in, kind, file.toString());
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": file not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read IDX file: " + e.getMessage(), e);
    }
  }

  /**
   * Reads one IDX file of the given kind from {@code in} up to its end, without closing it. Wrap
   * compressed input with {@link #decompressIfGzip} first.
   *
   * @param source the file or archive entry, named in error messages
   * @return the pixels (row-major, 784 bytes per image) or the labels, without the header
   * @throws InvalidInputException if the header or the length is not that of an MNIST file
   */
  static byte[] read(InputStream in, MnistFile kind, String source) throws IOException {
    return kind.isImages() ? readImages(in, source) : readLabels(in, source);
  }

  /** Reads an images file; see {@link #read(InputStream, MnistFile, String)}. */
  static byte[] readImages(InputStream in, String source) throws IOException {
    ByteBuffer header = readHeader(in, IMAGES_MAGIC, IMAGES_HEADER_BYTES, source);
    int count = header.getInt(4);
    int rows = header.getInt(8);
    int columns = header.getInt(12);
    if (rows != LabeledImages.IMAGE_HEIGHT || columns != LabeledImages.IMAGE_WIDTH) {
      throw new InvalidInputException(
          String.format("%s: image size must be 28x28, found %dx%d", source, rows, columns));
    }
    return readBody(in, IMAGES_HEADER_BYTES, count, LabeledImages.IMAGE_PIXELS, "images", source);
  }

  /** Reads a labels file; see {@link #read(InputStream, MnistFile, String)}. */
  static byte[] readLabels(InputStream in, String source) throws IOException {
    ByteBuffer header = readHeader(in, LABELS_MAGIC, LABELS_HEADER_BYTES, source);
    return readBody(in, LABELS_HEADER_BYTES, header.getInt(4), 1, "labels", source);
  }

  /**
   * Wraps {@code in} in a buffer and, when it starts with the gzip magic bytes 1f 8b, in a gzip
   * decompressor. Closing the result closes {@code in}.
   */
  static InputStream decompressIfGzip(InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    if (first == 0x1f && second == 0x8b) {
      return new BufferedInputStream(
          GzipCompressorInputStream.builder()
              .setInputStream(buffered)
              .setDecompressConcatenated(true)
              .get(),
          BUFFER_BYTES);
    }
    return buffered;
  }

  /**
   * Reads the header, checking the magic number first so that a short file of the other kind is
   * reported as such.
   */
  private static ByteBuffer readHeader(InputStream in, int magic, int length, String source)
      throws IOException {
    byte[] header = in.readNBytes(length);
    if (header.length >= Integer.BYTES) {
      checkMagic(ByteBuffer.wrap(header).getInt(0), magic, source);
    }
    if (header.length < length) {
      throw new InvalidInputException(
          String.format(
              "%s: truncated IDX header: expected %d bytes, found %d",
              source, length, header.length));
    }
    return ByteBuffer.wrap(header);
  }

  private static void checkMagic(int found, int expected, String source) {
    if (found != expected) {
      throw new InvalidInputException(
          String.format(
              "%s: wrong magic number: expected 0x%08x (%s), found 0x%08x (%s)",
              source, expected, describeMagic(expected), found, describeMagic(found)));
    }
  }

  private static String describeMagic(int magic) {
    switch (magic) {
      case IMAGES_MAGIC:
        return "IDX images";
      case LABELS_MAGIC:
        return "IDX labels";
      default:
        return "not an MNIST IDX file";
    }
  }

  /** Reads {@code count} items of {@code itemBytes} each and checks that the input ends there. */
  private static byte[] readBody(
      InputStream in, int headerBytes, int count, int itemBytes, String items, String source)
      throws IOException {
    if (count < 0) {
      throw new InvalidInputException(
          String.format("%s: %s count must not be negative, found %d", source, items, count));
    }
    long bodyBytes = (long) count * itemBytes;
    long fileBytes = headerBytes + bodyBytes;
    // Arrays hold at most about Integer.MAX_VALUE elements.
    if (bodyBytes > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(
          String.format(
              "%s: header declares %d %s (%d bytes), more than one array can hold",
              source, count, items, bodyBytes));
    }
    // readNBytes grows its buffer as data arrives, so a corrupt count cannot force a huge array.
    byte[] body = in.readNBytes((int) bodyBytes);
    if (body.length < bodyBytes) {
      throw new InvalidInputException(
          String.format(
              "%s: truncated: header declares %d %s, so the file must be %d bytes, found %d",
              source, count, items, fileBytes, headerBytes + body.length));
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new InvalidInputException(
          String.format(
              "%s: too long: header declares %d %s, so the file must be %d bytes, found %d",
              source, count, items, fileBytes, fileBytes + extra));
    }
    return body;
  }
}
