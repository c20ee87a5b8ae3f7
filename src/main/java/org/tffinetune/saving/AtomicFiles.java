package org.tffinetune.saving;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

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
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // Flushed before the rename, so a crash cannot leave the new name on an empty file.
        channel.force(true);
      }
      // Temporary files start as 0600; results are meant to be read by others, like any file.
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      move(tmp, absolute);
    } catch (UnsupportedOperationException e) {
      move(tmp, absolute);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames {@code source} to {@code target}, atomically where the file system allows. */
  public static void move(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
