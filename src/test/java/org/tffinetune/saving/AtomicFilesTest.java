package org.tffinetune.saving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeCreatesParentFolders() throws IOException {
    Path target = dir.resolve("a").resolve("b").resolve("file.json");

    AtomicFiles.write(target, "{}".getBytes(StandardCharsets.UTF_8));

    assertEquals("{}", Files.readString(target));
  }

  @Test
  void writeReplacesAndLeavesNoTemporaryFile() throws IOException {
    Path target = Files.writeString(dir.resolve("file.json"), "old content");

    AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));

    assertEquals("new", Files.readString(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList());
    }
  }

  @Test
  void moveReplacesExistingFile() throws IOException {
    Path source = Files.writeString(dir.resolve("source"), "moved");
    Path target = Files.writeString(dir.resolve("target"), "replaced");

    AtomicFiles.move(source, target);

    assertEquals("moved", Files.readString(target));
    assertFalse(Files.exists(source));
  }
}
