package org.tffinetune.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConstantTest {

  @Test
  void zerosFillsShape() {
    float[] values = Constant.ZEROS.generate(new long[] {2, 3, 4}, new SplittableRandom(1));

    assertEquals(24, values.length);
    for (float v : values) {
      assertEquals(0f, v);
    }
  }

  @Test
  void onesFillsShape() {
    float[] values = Constant.ONES.generate(new long[] {5}, new SplittableRandom(1));

    assertEquals(5, values.length);
    for (float v : values) {
      assertEquals(1f, v);
    }
  }

  @Test
  void kerasNamesResolve() {
    assertSame(Constant.ZEROS, Initializer.forKerasName("Zeros"));
    assertSame(Constant.ZEROS, Initializer.forKerasName("zeros"));
    assertSame(Constant.ONES, Initializer.forKerasName("Ones"));
    assertSame(Constant.ONES, Initializer.forKerasName("ones"));
  }

  @Test
  void unknownNameListsSupported() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Initializer.forKerasName("HeNormal"));

    assertTrue(e.getMessage().contains("unknown initializer 'HeNormal'"), e.getMessage());
    assertTrue(e.getMessage().contains("supported: GlorotUniform, Zeros, Ones"), e.getMessage());
  }
}
