package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class ServedModelTest {
  private static ServedVersion load(String name, long version, Path dir) {
    Predictor predictor = Predictor.open(dir);
    return new ServedVersion(
        name, version, predictor, new BatchQueue(name, predictor::predict, 8, 0, 1, n -> {}));
  }

  private static float[] predictOne(ServedVersion version, float[] image) {
    return version.predictor().predict(new float[][] {image})[0];
  }

  @Test
  void plainFolderIsVersionOne(@TempDir Path dir) throws Exception {
    TestModels.exportLinear(dir, 61);
    try (ServedModel model = ServedModel.open("m", dir, ServedModelTest::load)) {
      assertEquals(1, model.currentVersion());
      assertFalse(model.pollForNewVersion(), "a plain folder never changes version");
    }
  }

  @Test
  void servesHighestCompleteVersion(@TempDir Path base) throws Exception {
    TestModels.exportLinear(base.resolve("1"), 62);
    TestModels.exportLinear(base.resolve("3"), 63);
    TestModels.exportLinear(base.resolve(".tmp-4"), 64);
    try (ServedModel model = ServedModel.open("m", base, ServedModelTest::load)) {
      assertEquals(3, model.currentVersion());
    }
  }

  @Test
  void fallsBackWhenHighestVersionFailsToLoad(@TempDir Path base) throws Exception {
    TestModels.exportLinear(base.resolve("1"), 65);
    ModelVersionsTest.writeCompleteFiles(base.resolve("2"));
    try (ServedModel model = ServedModel.open("m", base, ServedModelTest::load)) {
      assertEquals(1, model.currentVersion());
    }
  }

  @Test
  void openRejectsFolderWithoutVersions(@TempDir Path base) throws Exception {
    Files.createDirectories(base.resolve("1"));
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> ServedModel.open("m", base, ServedModelTest::load));
    assertTrue(e.getMessage().contains("has no SavedModel"), e.getMessage());
  }

  @Test
  void openRejectsMissingFolder(@TempDir Path dir) {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ServedModel.open("m", dir.resolve("absent"), ServedModelTest::load));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void pollKeepsOldVersionForRequestsInFlight(@TempDir Path base) throws Exception {
    TestModels v1 = TestModels.exportLinear(base.resolve("1"), 66);
    float[] image = TestModels.randomImages(67, 1)[0];
    try (ServedModel model = ServedModel.open("m", base, ServedModelTest::load)) {
      ServedVersion inFlight = model.acquire(null);
      assertNotNull(inFlight);

      TestModels v2 = TestModels.exportLinear(base.resolve("2"), 68);
      assertTrue(model.pollForNewVersion(), "poll found version 2");
      assertEquals(2, model.currentVersion());

      assertArrayEquals(v1.expected(image), predictOne(inFlight, image), 1e-5f);
      inFlight.release();
      assertThrows(IllegalStateException.class, () -> predictOne(inFlight, image));

      ServedVersion current = model.acquire(null);
      assertArrayEquals(v2.expected(image), predictOne(current, image), 1e-5f);
      current.release();
    }
  }

  @Test
  void pollIgnoresHalfWrittenVersion(@TempDir Path base) throws Exception {
    TestModels.exportLinear(base.resolve("1"), 69);
    try (ServedModel model = ServedModel.open("m", base, ServedModelTest::load)) {
      TestModels.exportLinear(base.resolve("tmp"), 70);
      Files.createDirectories(base.resolve("2"));
      Files.copy(base.resolve("tmp/saved_model.pb"), base.resolve("2/saved_model.pb"));
      TestModels.exportLinear(base.resolve(".tmp-3"), 71);

      assertFalse(model.pollForNewVersion(), "poll switched to an incomplete version");
      assertEquals(1, model.currentVersion());
    }
  }

  @Test
  void pollRetriesVersionThatFailedToLoad(@TempDir Path base) throws Exception {
    TestModels.exportLinear(base.resolve("1"), 72);
    try (ServedModel model = ServedModel.open("m", base, ServedModelTest::load)) {
      ModelVersionsTest.writeCompleteFiles(base.resolve("2"));
      assertFalse(model.pollForNewVersion(), "poll loaded a corrupt version");
      assertEquals(1, model.currentVersion());

      TestModels.exportLinear(base.resolve("staging"), 73);
      Files.move(
          base.resolve("staging/saved_model.pb"),
          base.resolve("2/saved_model.pb"),
          StandardCopyOption.REPLACE_EXISTING);
      Files.move(base.resolve("staging/variables"), base.resolve("2/variables.new"));
      deleteRecursively(base.resolve("2/variables"));
      Files.move(base.resolve("2/variables.new"), base.resolve("2/variables"));

      assertTrue(model.pollForNewVersion(), "poll loaded the repaired version");
      assertEquals(2, model.currentVersion());
    }
  }

  @Test
  void acquireRejectsOtherVersionAndClosedModel(@TempDir Path dir) throws Exception {
    TestModels.exportLinear(dir, 74);
    ServedModel model = ServedModel.open("m", dir, ServedModelTest::load);
    assertNull(model.acquire(2L));
    ServedVersion version = model.acquire(1L);
    assertNotNull(version);
    version.release();
    model.close();
    assertNull(model.acquire(null));
    assertEquals(-1, model.currentVersion());
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
