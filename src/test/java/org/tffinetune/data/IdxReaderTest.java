package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class IdxReaderTest {
  @TempDir Path dir;

  @Test
  void readImagesRawFile() throws IOException {
    Path file = Files.write(dir.resolve("images"), MnistFixtures.idxImages(3));

    byte[] pixels = IdxReader.read(file, MnistFile.TRAIN_IMAGES);

    assertArrayEquals(MnistFixtures.pixels(3), pixels);
  }

  @Test
  void readImagesGzipFile() throws IOException {
    Path file =
        Files.write(dir.resolve("images.gz"), MnistFixtures.gzip(MnistFixtures.idxImages(3)));

    byte[] pixels = IdxReader.read(file, MnistFile.TEST_IMAGES);

    assertArrayEquals(MnistFixtures.pixels(3), pixels);
  }

  @Test
  void readLabelsRawAndGzip() throws IOException {
    byte[] idx = MnistFixtures.idxLabels(MnistFixtures.TEST_LABELS);
    Path raw = Files.write(dir.resolve("labels"), idx);
    Path gzip = Files.write(dir.resolve("labels.gz"), MnistFixtures.gzip(idx));

    assertArrayEquals(MnistFixtures.TEST_LABELS, IdxReader.read(raw, MnistFile.TEST_LABELS));
    assertArrayEquals(MnistFixtures.TEST_LABELS, IdxReader.read(gzip, MnistFile.TRAIN_LABELS));
  }

  @Test
  void readFromStream() throws IOException {
    InputStream in =
        IdxReader.decompressIfGzip(
            new ByteArrayInputStream(MnistFixtures.gzip(MnistFixtures.idxImages(2))));

    byte[] pixels = IdxReader.readImages(in, "stream");

    assertArrayEquals(MnistFixtures.pixels(2), pixels);
  }

  @Test
  void readEmptyImagesFile() throws IOException {
    byte[] idx = MnistFixtures.idxImages(0);

    assertEquals(0, IdxReader.readImages(new ByteArrayInputStream(idx), "empty").length);
  }

  @Test
  void rejectLabelsMagicInImagesFile() throws IOException {
    Path file = Files.write(dir.resolve("images"), MnistFixtures.idxLabels(new byte[] {1, 2}));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TRAIN_IMAGES));

    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "wrong magic number: expected 0x00000803 (IDX images),"
                    + " found 0x00000801 (IDX labels)"),
        e.getMessage());
  }

  @Test
  void rejectUnknownMagic() throws IOException {
    byte[] idx = MnistFixtures.idxLabels(0x12345678, 1, new byte[] {1});

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> IdxReader.readLabels(new ByteArrayInputStream(idx), "labels.idx"));

    assertTrue(e.getMessage().contains("found 0x12345678 (not an MNIST IDX file)"), e.getMessage());
  }

  @Test
  void rejectTruncatedImages() throws IOException {
    byte[] idx = MnistFixtures.idxImages(3);
    Path file = Files.write(dir.resolve("images"), Arrays.copyOf(idx, idx.length - 100));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TRAIN_IMAGES));

    assertTrue(
        e.getMessage()
            .contains(
                "truncated: header declares 3 images, so the file must be"
                    + " 2368 bytes, found 2268"),
        e.getMessage());
  }

  @Test
  void rejectTruncatedGzipImages() throws IOException {
    byte[] idx = MnistFixtures.idxImages(3);
    Path file =
        Files.write(
            dir.resolve("images.gz"), MnistFixtures.gzip(Arrays.copyOf(idx, idx.length - 1)));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TRAIN_IMAGES));

    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("found 2367"), e.getMessage());
  }

  @Test
  void rejectTruncatedLabels() throws IOException {
    byte[] idx = MnistFixtures.idxLabels(IdxReader.LABELS_MAGIC, 4, new byte[] {1, 2});
    Path file = Files.write(dir.resolve("labels"), idx);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TEST_LABELS));

    assertTrue(
        e.getMessage()
            .contains(
                "truncated: header declares 4 labels, so the file must be 12" + " bytes, found 10"),
        e.getMessage());
  }

  @Test
  void rejectTruncatedHeader() throws IOException {
    Path file = Files.write(dir.resolve("images"), new byte[] {0, 0, 8, 3, 0});

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TRAIN_IMAGES));

    assertTrue(
        e.getMessage().contains("truncated IDX header: expected 16 bytes, found 5"),
        e.getMessage());
  }

  @Test
  void rejectTrailingBytes() throws IOException {
    byte[] idx = MnistFixtures.idxLabels(MnistFixtures.TEST_LABELS);
    Path file = Files.write(dir.resolve("labels"), Arrays.copyOf(idx, idx.length + 3));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TEST_LABELS));

    assertTrue(
        e.getMessage()
            .contains(
                "too long: header declares 5 labels, so the file must be 13" + " bytes, found 16"),
        e.getMessage());
  }

  @Test
  void rejectImageSizeOtherThan28() throws IOException {
    byte[] idx = MnistFixtures.idxImages(IdxReader.IMAGES_MAGIC, 1, 32, 32, new byte[1024]);
    Path file = Files.write(dir.resolve("images"), idx);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TRAIN_IMAGES));

    assertTrue(e.getMessage().contains("image size must be 28x28, found 32x32"), e.getMessage());
  }

  @Test
  void rejectNegativeCount() {
    byte[] idx = MnistFixtures.idxLabels(IdxReader.LABELS_MAGIC, -1, new byte[0]);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> IdxReader.readLabels(new ByteArrayInputStream(idx), "labels"));

    assertTrue(
        e.getMessage().contains("labels count must not be negative, found -1"), e.getMessage());
  }

  @Test
  void rejectHugeCountWithoutAllocating() {
    byte[] idx =
        MnistFixtures.idxImages(IdxReader.IMAGES_MAGIC, Integer.MAX_VALUE, 28, 28, new byte[0]);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> IdxReader.readImages(new ByteArrayInputStream(idx), "images"));

    assertTrue(e.getMessage().contains("more than one array can hold"), e.getMessage());
  }

  @Test
  void rejectCorruptGzip() throws IOException {
    byte[] gzip = MnistFixtures.gzip(MnistFixtures.idxImages(3));
    Arrays.fill(gzip, 20, 60, (byte) 0x55);
    Path file = Files.write(dir.resolve("images.gz"), gzip);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TRAIN_IMAGES));

    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void rejectMissingFile() {
    Path file = dir.resolve("absent");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> IdxReader.read(file, MnistFile.TRAIN_IMAGES));

    assertEquals(file + ": file not found", e.getMessage());
  }
}
