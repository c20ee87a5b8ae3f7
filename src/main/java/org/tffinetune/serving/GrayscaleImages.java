package org.tffinetune.serving;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.tffinetune.InvalidInputException;

/**
 * Converts pictures into the pixel layout of MNIST: grayscale, scaled to the model's height and
 * width, values in [0, 1], light digit on a dark background.
 */
public final class GrayscaleImages {
  private GrayscaleImages() {}

  /**
   * Reads a PNG or JPEG file (any format that {@link ImageIO} decodes).
   *
   * @throws InvalidInputException if the file is missing or is not a decodable image
   */
  public static BufferedImage read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("image file not found: " + file);
    }
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException("failed to read image " + file + ": " + e.getMessage(), e);
    }
    if (image == null) {
      throw new InvalidInputException(
          "invalid image " + file + ": expected a PNG or JPEG file, found an unknown format");
    }
    return image;
  }

  /**
   * Converts an image into {@code height * width} grayscale values in [0, 1], row by row.
   *
   * <p>Transparent pixels are composed over white, as image viewers show them. The image is scaled
   * with area averaging, then each pixel's luma is computed with the ITU-R BT.601 weights (0.299 R
   * + 0.587 G + 0.114 B) and divided by 255. With {@code invert}, each value v becomes 1 - v, which
   * turns a dark digit on a light background into MNIST's light-on-dark.
   *
   * @param image the picture, any size and color model
   * @param width the model's image width, 28 for MNIST
   * @param height the model's image height, 28 for MNIST
   * @param invert whether to invert dark-on-light pictures
   */
  public static float[] toPixels(BufferedImage image, int width, int height, boolean invert) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "width and height must be at least 1, found " + width + " x " + height);
    }
    BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = scaled.createGraphics();
    try {
      graphics.setColor(Color.WHITE);
      graphics.fillRect(0, 0, width, height);
      Image resized = image.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING);
      graphics.drawImage(resized, 0, 0, null);
    } finally {
      graphics.dispose();
    }
    float[] pixels = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = scaled.getRGB(x, y);
        int red = (rgb >> 16) & 0xff;
        int green = (rgb >> 8) & 0xff;
        int blue = rgb & 0xff;
        float luma = (0.299f * red + 0.587f * green + 0.114f * blue) / 255f;
        luma = Math.min(1f, Math.max(0f, luma));
        pixels[y * width + x] = invert ? 1f - luma : luma;
      }
    }
    return pixels;
  }
}
