package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeExampleTest {
  /** Writes a black vertical bar on white, like a hand-drawn 1, as a PNG file. */
  static Path writeDigitPng(Path file) throws Exception {
    BufferedImage image = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(Color.WHITE);
    graphics.fillRect(0, 0, 100, 100);
    graphics.setColor(Color.BLACK);
    graphics.fillRect(42, 10, 16, 80);
    graphics.dispose();
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  @Test
  void examplePrintsTopClassesAndBatchShape(@TempDir Path dir) throws Exception {
    TestModels model = TestModels.exportLinear(dir.resolve("model"), 101);
    Path image = writeDigitPng(dir.resolve("one.png"));

    String output = runMain(dir.resolve("model").toString(), image.toString());

    float[] pixels = GrayscaleImages.toPixels(GrayscaleImages.read(image), 28, 28, true);
    StringBuilder expected = new StringBuilder();
    for (ClassScore score : ClassScore.topK(model.expected(pixels), 3)) {
      expected.append(String.format("class %d: %.3f%n", score.classIndex(), score.probability()));
    }
    expected.append(String.format("rows: 2, classes per row: 5%n"));
    assertEquals(expected.toString(), output);
  }

  private static String runMain(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      ReadmeExample.main(args);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
