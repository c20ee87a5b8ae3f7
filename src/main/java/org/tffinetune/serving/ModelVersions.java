package org.tffinetune.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the TensorFlow Serving folder layout: a model base folder contains one SavedModel per
 * version in sub-folders named by number ({@code DIR/1/saved_model.pb}, {@code DIR/2/...}), and the
 * highest number is the newest version.
 */
public final class ModelVersions {
  /** The version number given to a plain SavedModel folder without numbered sub-folders. */
  public static final long PLAIN_FOLDER_VERSION = 1;

  private ModelVersions() {}

  /** Returns whether {@code dir} is itself a SavedModel, with a saved_model.pb file in it. */
  public static boolean isSavedModel(Path dir) {
    return Files.isRegularFile(dir.resolve("saved_model.pb"));
  }

  /**
   * Lists the complete versions under a base folder, highest first. A version folder counts only
   * when its name is all ASCII digits, it fits in a long, and it contains both {@code
   * saved_model.pb} and {@code variables/variables.index}. Other entries, such as {@code .tmp-3}
   * while a writer prepares version 3, are ignored.
   *
   * @throws UncheckedIOException if the folder cannot be listed
   */
  public static List<Long> completeVersions(Path baseDir) {
    List<Long> versions = new ArrayList<>();
    try (Stream<Path> entries = Files.list(baseDir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        Long version = parseVersion(entry.getFileName().toString());
        if (version != null && isComplete(entry)) {
          versions.add(version);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("failed to list model versions in " + baseDir, e);
    }
    versions.sort(Comparator.reverseOrder());
    return versions;
  }

  /** Returns the folder of {@code version} under {@code baseDir}. */
  public static Path versionDir(Path baseDir, long version) {
    return baseDir.resolve(Long.toString(version));
  }

  private static boolean isComplete(Path versionDir) {
    return isSavedModel(versionDir)
        && Files.isRegularFile(versionDir.resolve("variables").resolve("variables.index"));
  }

  private static Long parseVersion(String name) {
    if (name.isEmpty() || name.length() > 18 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Long.parseLong(name);
  }
}
