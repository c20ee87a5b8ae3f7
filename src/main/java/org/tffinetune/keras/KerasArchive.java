package org.tffinetune.keras;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.tffinetune.InvalidInputException;

/**
 * A Keras 3 {@code .keras} archive: a zip file with {@code config.json} (the model config), {@code
 * metadata.json} (Keras version, save date) and {@code model.weights.h5} (the weights, HDF5).
 * Closing the archive closes the zip file.
 */
final class KerasArchive implements AutoCloseable {
  static final String CONFIG = "config.json";
  static final String METADATA = "metadata.json";
  static final String WEIGHTS = "model.weights.h5";

  private final Path file;
  private final ZipFile zip;

  private KerasArchive(Path file, ZipFile zip) {
    this.file = file;
    this.zip = zip;
  }

  /**
   * Opens an archive.
   *
   * @throws InvalidInputException when the file is missing or is not a zip archive
   */
  static KerasArchive open(Path file) {
    try {
      return new KerasArchive(file, new ZipFile(file.toFile()));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("model file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidInputException(
          file
              + " is not a valid .keras archive (corrupt or truncated zip file): "
              + e.getMessage(),
          e);
    }
  }

  /** Returns true when {@code file} is a zip archive with a {@code config.json} entry. */
  static boolean isArchive(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return zip.getEntry(CONFIG) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns the archive file. */
  Path file() {
    return file;
  }

  /** Returns how an entry is named in messages: {@code mnist.keras!config.json}. */
  String source(String entry) {
    return file + "!" + entry;
  }

  /**
   * Returns the model config from {@code config.json}, with Keras 2 tuples turned into lists.
   *
   * @throws InvalidInputException when the entry is missing or not a valid JSON object
   */
  Map<String, Object> config() {
    return KerasJson.parseObject(readEntry(CONFIG), source(CONFIG));
  }

  /** Returns {@code metadata.json}, or an empty map when the archive has none. */
  Map<String, Object> metadata() {
    if (zip.getEntry(METADATA) == null) {
      return Map.of();
    }
    return KerasJson.parseObject(readEntry(METADATA), source(METADATA));
  }

  /**
   * Extracts {@code model.weights.h5} to a temporary file, because jHDF reads files, opens it,
   * applies {@code reader} and deletes the file.
   *
   * @throws InvalidInputException when the entry is missing or the HDF5 file cannot be opened
   */
  <T> T readWeights(Function<HdfFile, T> reader) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("tffinetune-", ".weights.h5");
      try (InputStream in = zip.getInputStream(entry(WEIGHTS))) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      try (HdfFile hdf = openHdf(tmp)) {
        return reader.apply(hdf);
      }
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot extract "
              + source(WEIGHTS)
              + " (corrupt or truncated archive): "
              + e.getMessage(),
          e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private HdfFile openHdf(Path h5) {
    try {
      return new HdfFile(h5);
    } catch (RuntimeException e) {
      // jHDF reports a malformed file through several unchecked exception types.
      throw new InvalidInputException(
          source(WEIGHTS) + " is not a valid HDF5 file (corrupt or truncated): " + e, e);
    }
  }

  private byte[] readEntry(String name) {
    try (InputStream in = zip.getInputStream(entry(name))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read " + source(name) + " (corrupt or truncated archive): " + e.getMessage(), e);
    }
  }

  private ZipEntry entry(String name) {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new InvalidInputException(
          file
              + " is not a complete .keras archive: entry "
              + name
              + " is missing; expected "
              + CONFIG
              + ", "
              + METADATA
              + " and "
              + WEIGHTS);
    }
    return entry;
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp == null) {
      return;
    }
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // NOTE: a temporary copy of the weights stays behind when deletion fails.
      org.slf4j.LoggerFactory.getLogger(KerasArchive.class)
          .warn("Cannot delete the temporary file {}: {}", tmp, e.toString());
    }
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(KerasArchive.class)
          .warn("Cannot close {}: {}", file, e.toString());
    }
  }
}
