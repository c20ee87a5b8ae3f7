package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassScoreTest {
  @Test
  void topKOrdersByProbability() {
    List<ClassScore> top = ClassScore.topK(new float[] {0.1f, 0.6f, 0.05f, 0.25f}, 3);
    assertEquals(
        List.of(new ClassScore(1, 0.6f), new ClassScore(3, 0.25f), new ClassScore(0, 0.1f)), top);
  }

  @Test
  void topKKeepsLowerIndexFirstOnTies() {
    List<ClassScore> top = ClassScore.topK(new float[] {0.25f, 0.5f, 0.25f}, 3);
    assertEquals(
        List.of(new ClassScore(1, 0.5f), new ClassScore(0, 0.25f), new ClassScore(2, 0.25f)), top);
  }

  @Test
  void topKAboveLengthReturnsEveryClass() {
    assertEquals(2, ClassScore.topK(new float[] {0.3f, 0.7f}, 10).size());
  }

  @Test
  void topKRejectsZero() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClassScore.topK(new float[] {1f}, 0));
    assertTrue(e.getMessage().contains("k must be at least 1, found 0"), e.getMessage());
  }
}
