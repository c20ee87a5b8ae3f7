package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

class GrayscaleImagesTest {
  private static BufferedImage filled(int width, int height, int imageType, Color color) {
    BufferedImage image = new BufferedImage(width, height, imageType);
    Graphics2D graphics = image.createGraphics();
    graphics.setColor(color);
    graphics.fillRect(0, 0, width, height);
    graphics.dispose();
    return image;
  }

  @Test
  void whiteBecomesOneAndBlackZero() {
    float[] white =
        GrayscaleImages.toPixels(
            filled(28, 28, BufferedImage.TYPE_INT_RGB, Color.WHITE), 28, 28, false);
    float[] black =
        GrayscaleImages.toPixels(
            filled(28, 28, BufferedImage.TYPE_INT_RGB, Color.BLACK), 28, 28, false);
    assertEquals(1f, white[0], 1e-6f);
    assertEquals(0f, black[783], 1e-6f);
  }

  @Test
  void invertSwapsLightAndDark() {
    BufferedImage image = filled(28, 28, BufferedImage.TYPE_INT_RGB, Color.WHITE);
    image.setRGB(3, 5, Color.BLACK.getRGB());

    float[] pixels = GrayscaleImages.toPixels(image, 28, 28, true);

    assertEquals(1f, pixels[5 * 28 + 3], 1e-6f, "the dark digit pixel becomes light");
    assertEquals(0f, pixels[0], 1e-6f, "the light background becomes dark");
  }

  @Test
  void colorUsesBt601Luma() {
    float[] pixels =
        GrayscaleImages.toPixels(
            filled(1, 1, BufferedImage.TYPE_INT_RGB, new Color(255, 0, 0)), 1, 1, false);
    assertEquals(0.299f, pixels[0], 1e-6f);
  }

  @Test
  void scalingAveragesBlocks() {
    BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 56; y++) {
      for (int x = 0; x < 56; x++) {
        // Columns alternate black and white, so every 2 x 2 block averages to mid gray.
        image.setRGB(x, y, x % 2 == 0 ? Color.WHITE.getRGB() : Color.BLACK.getRGB());
      }
    }

    float[] pixels = GrayscaleImages.toPixels(image, 28, 28, false);

    for (float pixel : pixels) {
      assertEquals(0.5f, pixel, 0.01f);
    }
  }

  @Test
  void transparentPixelsComposeOverWhite() {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
    float[] pixels = GrayscaleImages.toPixels(image, 28, 28, false);
    float[] white = new float[784];
    Arrays.fill(white, 1f);
    assertArrayEquals(white, pixels, 1e-6f);
  }

  @Test
  void readsPngAndJpeg(@TempDir Path dir) throws Exception {
    BufferedImage image = filled(40, 30, BufferedImage.TYPE_INT_RGB, Color.GRAY);
    for (String format : new String[] {"png", "jpg"}) {
      Path file = dir.resolve("digit." + format);
      assertTrue(ImageIO.write(image, format, file.toFile()), "no writer for " + format);
      BufferedImage read = GrayscaleImages.read(file);
      assertEquals(40, read.getWidth(), format + " width");
      assertEquals(30, read.getHeight(), format + " height");
    }
  }

  @Test
  void readRejectsNonImage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notes.png");
    Files.writeString(file, "not an image");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> GrayscaleImages.read(file));
    assertTrue(e.getMessage().contains("expected a PNG or JPEG file"), e.getMessage());
  }

  @Test
  void readRejectsMissingFile(@TempDir Path dir) {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> GrayscaleImages.read(dir.resolve("absent.png")));
    assertTrue(e.getMessage().contains("image file not found"), e.getMessage());
  }
}
