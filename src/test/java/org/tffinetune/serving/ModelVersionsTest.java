package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVersionsTest {
  /** Creates the two files that make a version folder complete, with placeholder content. */
  static void writeCompleteFiles(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("variables"));
    Files.writeString(dir.resolve("saved_model.pb"), "placeholder");
    Files.writeString(dir.resolve("variables").resolve("variables.index"), "placeholder");
  }

  @Test
  void completeVersionsListsHighestFirst(@TempDir Path base) throws IOException {
    writeCompleteFiles(base.resolve("1"));
    writeCompleteFiles(base.resolve("10"));
    writeCompleteFiles(base.resolve("9"));
    assertEquals(List.of(10L, 9L, 1L), ModelVersions.completeVersions(base));
  }

  @Test
  void completeVersionsIgnoresIncompleteAndNonNumericEntries(@TempDir Path base)
      throws IOException {
    writeCompleteFiles(base.resolve("1"));
    writeCompleteFiles(base.resolve(".tmp-3"));
    writeCompleteFiles(base.resolve("v4"));
    writeCompleteFiles(base.resolve("-5"));
    writeCompleteFiles(base.resolve("99999999999999999999"));
    Files.createDirectories(base.resolve("2"));
    Files.writeString(base.resolve("2").resolve("saved_model.pb"), "no variables yet");
    Files.writeString(base.resolve("6"), "a file, not a folder");

    assertEquals(List.of(1L), ModelVersions.completeVersions(base));
  }

  @Test
  void isSavedModelNeedsSavedModelPb(@TempDir Path dir) throws IOException {
    assertFalse(ModelVersions.isSavedModel(dir));
    Files.writeString(dir.resolve("saved_model.pb"), "placeholder");
    assertTrue(ModelVersions.isSavedModel(dir));
  }
}
