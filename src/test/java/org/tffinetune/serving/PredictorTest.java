package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class PredictorTest {
  private static final float TOLERANCE = 1e-5f;

  @TempDir static Path tempDir;
  private static TestModels model;
  private static Predictor predictor;

  @BeforeAll
  static void exportModel() throws Exception {
    model = TestModels.exportLinear(tempDir.resolve("linear"), 7);
    predictor = Predictor.open(tempDir.resolve("linear"));
  }

  @AfterAll
  static void closePredictor() {
    predictor.close();
  }

  private static void assertRowsMatchModel(float[][] images, float[][] predictions) {
    assertEquals(images.length, predictions.length, "number of output rows");
    for (int i = 0; i < images.length; i++) {
      assertArrayEquals(model.expected(images[i]), predictions[i], TOLERANCE, "row " + i);
    }
  }

  @Test
  void signatureComesFromSavedModel() {
    ModelSignature signature = predictor.signature();
    assertEquals("serving_default", signature.key());
    assertEquals("input", signature.input().key());
    assertEquals("DT_FLOAT", signature.input().dtype());
    assertEquals(List.of(-1L, 28L, 28L, 1L), signature.input().shape());
    assertEquals("probabilities", signature.output().key());
    assertEquals(List.of(-1L, 5L), signature.output().shape());
    assertEquals(784, predictor.featureCount());
    assertEquals(5, predictor.classCount());
  }

  @Test
  void predictRowsMatchesPlainJava() {
    float[][] images = TestModels.randomImages(1, 16);
    assertRowsMatchModel(images, predictor.predict(images));
  }

  @Test
  void predictFlatArrayMatchesRows() {
    float[][] images = TestModels.randomImages(2, 3);
    float[] flat = new float[3 * 784];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(images[i], 0, flat, i * 784, 784);
    }
    assertRowsMatchModel(images, predictor.predict(flat, 3));
  }

  @Test
  void predictBufferReadsFromPosition() {
    float[][] images = TestModels.randomImages(3, 2);
    FloatBuffer buffer = FloatBuffer.allocate(10 + 2 * 784);
    buffer.position(10);
    buffer.put(images[0]).put(images[1]);
    buffer.position(10);

    assertRowsMatchModel(images, predictor.predict(buffer, 2));
    assertEquals(10, buffer.position(), "buffer position after predict");
  }

  @Test
  void predictDirectBuffer() {
    float[][] images = TestModels.randomImages(4, 1);
    FloatBuffer buffer =
        java.nio.ByteBuffer.allocateDirect(784 * Float.BYTES)
            .order(java.nio.ByteOrder.nativeOrder())
            .asFloatBuffer();
    buffer.put(images[0]).flip();
    assertRowsMatchModel(images, predictor.predict(buffer, 1));
  }

  @Test
  void predictEmptyBatchReturnsNoRows() {
    assertEquals(0, predictor.predict(new float[0][]).length);
  }

  @Test
  void predictRejectsWrongRowLength() {
    float[][] rows = {new float[784], new float[783]};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> predictor.predict(rows));
    assertTrue(e.getMessage().contains("rows[1] must have 784 values"), e.getMessage());
    assertTrue(e.getMessage().contains("found 783"), e.getMessage());
  }

  @Test
  void predictRejectsWrongValueCount() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[784], 2));
    assertTrue(e.getMessage().contains("expected 2 x 784 = 1568 values"), e.getMessage());
    assertTrue(e.getMessage().contains("found 784"), e.getMessage());
  }

  @Test
  void predictImagesConvertsPictures() {
    BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, 56, 56);
    graphics.setColor(Color.BLACK);
    graphics.fillRect(20, 4, 16, 48);
    graphics.dispose();

    float[][] predictions = predictor.predictImages(List.of(image), true);

    float[] pixels = GrayscaleImages.toPixels(image, 28, 28, true);
    assertArrayEquals(model.expected(pixels), predictions[0], TOLERANCE);
  }

  @Test
  void predictImageFilesReadsPng(@TempDir Path dir) throws Exception {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    Path file = dir.resolve("digit.png");
    ImageIO.write(image, "png", file.toFile());

    float[][] predictions = predictor.predictImageFiles(List.of(file), false);

    assertArrayEquals(model.expected(new float[784]), predictions[0], TOLERANCE);
  }

  @Test
  void concurrentCallsMatchPlainJava() throws Exception {
    float[][] images = TestModels.randomImages(5, 32);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int offset = thread;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    float[] image = images[(offset + i) % images.length];
                    float[][] output = predictor.predict(new float[][] {image});
                    assertArrayEquals(model.expected(image), output[0], TOLERANCE);
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeRejectsLaterCalls(@TempDir Path dir) throws Exception {
    TestModels.exportLinear(dir.resolve("m"), 7);
    Predictor closing = Predictor.open(dir.resolve("m"));
    float[][] images = TestModels.randomImages(6, 4);

    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(4);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        futures.add(
            pool.submit(
                () -> {
                  started.countDown();
                  for (int i = 0; i < 10_000; i++) {
                    try {
                      closing.predict(images);
                      succeeded.incrementAndGet();
                    } catch (IllegalStateException e) {
                      assertTrue(e.getMessage().contains("is closed"), e.getMessage());
                      rejected.incrementAndGet();
                      return null;
                    }
                  }
                  return null;
                }));
      }

      started.await();
      Thread.sleep(50);
      closing.close();

      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertTrue(succeeded.get() > 0, "calls before close succeeded");
    assertEquals(4, rejected.get(), "each thread saw one rejected call after close");
    assertThrows(IllegalStateException.class, () -> closing.predict(images));
    closing.close();
  }

  @Test
  void openRejectsFolderWithoutSavedModel(@TempDir Path dir) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Predictor.open(dir));
    assertTrue(e.getMessage().contains("not a SavedModel folder"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void openRejectsCorruptSavedModel(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("saved_model.pb"), "not a protocol buffer");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Predictor.open(dir));
    assertTrue(e.getMessage().contains("failed to load SavedModel"), e.getMessage());
  }

  @Test
  void openRejectsUnknownSignature() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> Predictor.open(tempDir.resolve("linear"), "classify"));
    assertTrue(e.getMessage().contains("no signature 'classify'"), e.getMessage());
    assertTrue(e.getMessage().contains("serving_default"), e.getMessage());
  }

  @Test
  void opensKeras2SavedModel() {
    Path dir = Fixtures.require("keras2-savedmodel-cnn");
    try (Predictor keras = Predictor.open(dir)) {
      assertEquals("conv2d_input", keras.signature().input().key());
      assertEquals("dense_1", keras.signature().output().key());
      assertProbabilityRows(keras.predict(TestModels.randomImages(8, 3)), 10);
    }
  }

  @Test
  void opensKeras3Export() {
    Path dir = Fixtures.require("keras3-export-cnn");
    try (Predictor keras = Predictor.open(dir)) {
      assertEquals("keras_tensor", keras.signature().input().key());
      assertEquals("output_0", keras.signature().output().key());
      assertProbabilityRows(keras.predict(TestModels.randomImages(9, 3)), 10);
    }
  }

  private static void assertProbabilityRows(float[][] rows, int classCount) {
    for (float[] row : rows) {
      assertEquals(classCount, row.length, "classes per row");
      float sum = 0;
      for (float p : row) {
        assertTrue(p >= 0, "probability " + p + " below 0");
        assertTrue(p <= 1, "probability " + p + " above 1");
        sum += p;
      }
      assertEquals(1f, sum, 1e-4f, "row sum");
    }
  }
}
