package org.tffinetune.saving;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files so that readers see either the old content or the complete new content. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code bytes} to a temporary file beside {@code target}, then renames it over. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    try {
      Files.write(tmp, bytes);
      move(tmp, absolute);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames {@code source} to {@code target}, atomically where the file system allows. */
  public static void move(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
