package org.tffinetune.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlorotUniformTest {

  /**
   * Fans follow Keras's {@code compute_fans}. A kernel [kh, kw, in, out] multiplies both fans by
   * the receptive field kh * kw, a matrix [in, out] uses its two dimensions, and a vector [n] uses
   * n for both.
   */
  @ParameterizedTest(name = "shape {0}")
  @CsvSource({
    "'3,3,1,32', 9, 288",
    "'3,3,32,32', 288, 288",
    "'5,2,4,8', 40, 80",
    "'4608,128', 4608, 128",
    "'784,10', 784, 10",
    "'128,5', 128, 5",
    "'64', 64, 64",
  })
  void valuesFillSymmetricLimit(String shapeText, int fanIn, int fanOut) {
    long[] shape = Arrays.stream(shapeText.split(",")).mapToLong(Long::parseLong).toArray();
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));

    float[] values = new GlorotUniform().generate(shape, new SplittableRandom(42));

    assertEquals(Arrays.stream(shape).reduce(1, (a, b) -> a * b), values.length);
    double max = 0;
    double sum = 0;
    double sumSquares = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
      sum += v;
      sumSquares += (double) v * v;
    }
    int n = values.length;
    assertTrue(max <= limit, "max |w| " + max + " above limit " + limit);
    // For n uniform draws the largest |w| falls below 0.9 * limit with probability 0.9^n,
    // under 1e-3 for the smallest table shape (64 values).
    assertTrue(max > 0.9 * limit, "max |w| " + max + " far below limit " + limit);
    // The mean of n draws has standard deviation limit / sqrt(3n), and the check allows five.
    double mean = sum / n;
    assertTrue(Math.abs(mean) < 5 * limit / Math.sqrt(3.0 * n), "mean " + mean);
    // The variance of the uniform distribution is limit^2 / 3.
    double variance = sumSquares / n - mean * mean;
    assertEquals(limit * limit / 3, variance, 0.25 * limit * limit / 3, "variance");
  }

  @Test
  void sameSeedSameValues() {
    long[] shape = {3, 3, 1, 32};

    float[] first = new GlorotUniform().generate(shape, new SplittableRandom(7));
    float[] second = new GlorotUniform().generate(shape, new SplittableRandom(7));

    assertArrayEquals(first, second);
  }

  @Test
  void otherSeedOtherValues() {
    long[] shape = {3, 3, 1, 32};

    float[] first = new GlorotUniform().generate(shape, new SplittableRandom(7));
    float[] second = new GlorotUniform().generate(shape, new SplittableRandom(8));

    assertFalse(Arrays.equals(first, second));
  }

  @Test
  void kerasNameRoundTrips() {
    Initializer initializer = Initializer.forKerasName(new GlorotUniform().kerasName());

    assertTrue(initializer instanceof GlorotUniform);
    assertTrue(Initializer.forKerasName("glorot_uniform") instanceof GlorotUniform);
  }
}
