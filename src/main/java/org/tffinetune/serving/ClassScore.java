package org.tffinetune.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * A class index with the probability that a model gave it.
 *
 * @param classIndex the position in the model's output vector, from 0
 * @param probability the output value at that position
 */
public record ClassScore(int classIndex, float probability) {

  /**
   * Selects the {@code k} highest probabilities of one output row, highest first. Equal
   * probabilities keep the lower class index first.
   *
   * @param probabilities one row of model output, not modified
   * @param k how many classes to return; a {@code k} above the row length returns every class
   * @throws IllegalArgumentException if {@code k} is below 1
   */
  public static List<ClassScore> topK(float[] probabilities, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, found " + k);
    }
    List<ClassScore> scores = new ArrayList<>(probabilities.length);
    for (int i = 0; i < probabilities.length; i++) {
      scores.add(new ClassScore(i, probabilities[i]));
    }
    // List.sort is stable, so equal probabilities stay in class order.
    scores.sort((a, b) -> Float.compare(b.probability, a.probability));
    return List.copyOf(scores.subList(0, Math.min(k, scores.size())));
  }
}
