package org.tffinetune.serving;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real Keras exports that the build passes in system property tffinetune.fixtures. */
final class Fixtures {
  private Fixtures() {}

  /** Returns the fixture folder {@code name}, or skips the calling test when it is absent. */
  static Path require(String name) {
    String root = System.getProperty("tffinetune.fixtures");
    assumeTrue(root != null, "system property tffinetune.fixtures is not set; skipping " + name);
    Path dir = Path.of(root, name);
    assumeTrue(
        Files.isRegularFile(dir.resolve("saved_model.pb")),
        "fixture " + dir + " is absent; skipping the test that reads it");
    return dir;
  }
}
