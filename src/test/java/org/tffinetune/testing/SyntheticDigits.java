package org.tffinetune.testing;

import java.util.SplittableRandom;
import org.tffinetune.data.LabeledImages;

/**
 * Small learnable MNIST-shaped data for unit tests: an image of digit {@code d} has a bright 7x7
 * block at a position that depends on {@code d}, over uniform noise in [0, 60].
 */
public final class SyntheticDigits {
  private SyntheticDigits() {}

  /** Returns {@code n} images with labels cycling through 0-9, drawn from {@code seed}. */
  public static LabeledImages create(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[n * LabeledImages.IMAGE_PIXELS];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int digit = i % 10;
      labels[i] = (byte) digit;
      int top = 2 + (digit / 5) * 12 + random.nextInt(3);
      int left = 1 + (digit % 5) * 5 + random.nextInt(2);
      for (int p = 0; p < LabeledImages.IMAGE_PIXELS; p++) {
        int row = p / 28;
        int col = p % 28;
        boolean block = row >= top && row < top + 7 && col >= left && col < left + 7 && col < 28;
        int value = block ? 200 + random.nextInt(56) : random.nextInt(61);
        pixels[i * LabeledImages.IMAGE_PIXELS + p] = (byte) value;
      }
    }
    return LabeledImages.of(pixels, labels);
  }
}
