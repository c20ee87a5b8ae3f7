package org.tffinetune.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tffinetune.InvalidInputException;

/** Checks output locations before long work starts, so that a bad path fails in a second. */
final class Outputs {
  private Outputs() {}

  /** Creates {@code dir} if needed and checks that files can be written into it. */
  static void checkWritableFolder(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException("output " + dir + " exists and is not a folder");
    }
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot write to the output folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that a file can be written at {@code file}: its folder exists or can be created, and the
   * file does not exist yet unless {@code overwrite} is set. Does nothing for null.
   */
  static void checkFileTarget(Path file, boolean overwrite, String option) {
    if (file == null) {
      return;
    }
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(option + " " + file + " is a folder; expected a file path");
    }
    if (Files.exists(file) && !overwrite) {
      throw new InvalidInputException(
          option + " " + file + " already exists; pass --overwrite to replace it");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (Files.exists(parent) && !Files.isDirectory(parent)) {
      throw new InvalidInputException(
          option + " " + file + ": " + parent + " is a file, not a folder");
    }
    checkWritableFolder(parent);
  }

  /** Checks that a model folder can be created at {@code dir}, or replaced with overwrite. */
  static void checkModelTarget(Path dir, boolean overwrite) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException(
          "output " + dir + " exists and is not a folder; choose a folder path for the model");
    }
    if (Files.exists(dir) && !overwrite) {
      throw new InvalidInputException(
          dir + " already exists; pass --overwrite to replace it, or choose another folder");
    }
    Path parent = dir.toAbsolutePath().getParent();
    checkWritableFolder(parent);
  }
}
