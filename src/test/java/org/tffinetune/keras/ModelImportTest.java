package org.tffinetune.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Flatten;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.SavedModels;

class ModelImportTest {
  @TempDir Path dir;

  @Test
  void detectRecognizesEachFixture() {
    assertEquals(
        ModelFormat.KERAS2_SAVED_MODEL,
        ModelFormat.detect(KerasTestData.fixture(KerasTestData.KERAS2)));
    assertEquals(
        ModelFormat.KERAS3_ARCHIVE,
        ModelFormat.detect(KerasTestData.fixture(KerasTestData.KERAS3_ARCHIVE)));
    assertEquals(
        ModelFormat.OTHER_SAVED_MODEL,
        ModelFormat.detect(KerasTestData.fixture(KerasTestData.KERAS3_EXPORT)));
  }

  @Test
  void ownSavedModelLoadsWithItsWeights() throws IOException {
    Path saved = dir.resolve("own");
    Sequential model = new Sequential("own", 2, 2, 1).add(new Flatten()).add(Dense.of(3));
    model.setSeed(7);
    SavedModels.save(model, saved, false);

    assertEquals(ModelFormat.TFFINETUNE_SAVED_MODEL, ModelFormat.detect(saved));
    try (Sequential loaded = ModelImport.loadForTraining(saved)) {
      assertEquals(model.getWeights(), loaded.getWeights());
    }
  }

  @Test
  void exportWithoutKerasConfigIsPredictionOnly() {
    Path export = KerasTestData.fixture(KerasTestData.KERAS3_EXPORT).toAbsolutePath().normalize();

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(export));

    assertTrue(
        e.getMessage().startsWith(export + " is a SavedModel without a Keras model config"),
        e.getMessage());
    assertTrue(e.getMessage().contains("cannot be rebuilt for training"), e.getMessage());
    assertTrue(e.getMessage().contains("used for prediction through its signatures"));
  }

  @Test
  void missingPathIsRejected() {
    Path missing = dir.resolve("absent");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(missing));

    assertEquals("model path " + missing + " does not exist", e.getMessage());
  }

  @Test
  void folderWithoutSavedModelIsRejected() {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(dir));

    assertEquals(dir + " is not a SavedModel: saved_model.pb is missing", e.getMessage());
  }

  @Test
  void legacyHdf5FileIsRejected() throws IOException {
    Path h5 = dir.resolve("model.h5");
    Files.write(h5, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0});

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(h5));

    assertTrue(
        e.getMessage().startsWith(h5 + " is an HDF5 file (legacy Keras .h5 format)"),
        e.getMessage());
  }

  @Test
  void zipWithoutConfigIsRejected() throws IOException {
    Path zip = dir.resolve("other.keras");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("readme.txt"));
      out.write("hello".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(zip));

    assertTrue(
        e.getMessage().startsWith(zip + " is a zip file but not a .keras archive"), e.getMessage());
  }

  @Test
  void otherFileIsRejected() throws IOException {
    Path text = Files.writeString(dir.resolve("model.txt"), "not a model");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(text));

    assertTrue(
        e.getMessage().startsWith(text + " is neither a SavedModel folder nor a .keras archive"),
        e.getMessage());
  }

  @Test
  void requireImageInputAcceptsMnistShapes() {
    assertDoesNotThrow(
        () ->
            ModelImport.requireImageInput(
                new Sequential(28, 28, 1).add(Dense.of(2)), "m", "golden"));
    assertDoesNotThrow(
        () -> ModelImport.requireImageInput(new Sequential(784).add(Dense.of(2)), "m", "golden"));
  }

  @Test
  void requireImageInputRejectsOtherShapes() {
    Sequential tabular = new Sequential(10).add(Dense.of(2));

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> ModelImport.requireImageInput(tabular, "/models/tabular", "golden"));

    assertEquals(
        "golden feeds 28x28 grayscale images, shape (None, 28, 28, 1), but the model"
            + " /models/tabular takes input (None, 10)",
        e.getMessage());
  }

  @Test
  void savedModelInfoListsSignaturesAndVariables() {
    SavedModelInfo info = SavedModelInfo.read(KerasTestData.fixture(KerasTestData.KERAS3_EXPORT));

    SavedModelInfo.SignatureInfo serving = info.signature("serving_default");
    assertEquals("keras_tensor", serving.inputs().get(0).key());
    assertEquals("DT_FLOAT", serving.inputs().get(0).dtype());
    assertEquals("[-1, 28, 28, 1]", serving.inputs().get(0).shapeText());
    assertEquals("output_0", serving.outputs().get(0).key());
    assertEquals("[-1, 10]", serving.outputs().get(0).shapeText());
    assertEquals("2.20.0", info.tensorflowVersion());
    // Keras 3 exports list each weight under several object paths; names are listed once.
    assertEquals(9, info.variables().size());
    assertArrayEquals(
        new Object[] {"sequential/dense/kernel", "DT_FLOAT", java.util.List.of(1600L, 100L)},
        info.variables().stream()
            .filter(v -> v.name().equals("sequential/dense/kernel"))
            .map(v -> new Object[] {v.name(), v.dtype(), v.shape()})
            .findFirst()
            .orElseThrow());
  }

  @Test
  void savedModelInfoRejectsCorruptFile() throws IOException {
    Files.write(dir.resolve("saved_model.pb"), new byte[] {0x0a, 0x7f, 0x01});

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> SavedModelInfo.read(dir));

    assertTrue(
        e.getMessage().startsWith(dir.resolve("saved_model.pb") + " is not a valid SavedModel"),
        e.getMessage());
  }
}
