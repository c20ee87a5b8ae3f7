package org.tffinetune.serving;

import java.nio.file.Path;
import java.util.List;

/**
 * The Java example in the README, compiled and run by {@link ReadmeExampleTest} so that it stays
 * correct. Arguments: a SavedModel folder and a PNG or JPEG image of a digit.
 */
public final class ReadmeExample {
  private ReadmeExample() {}

  /** Prints the three most probable classes of the image, then classifies raw pixels. */
  public static void main(String[] args) {
    Path modelDir = Path.of(args[0]); // a SavedModel folder, such as one written by the notebook
    Path image = Path.of(args[1]); // a PNG or JPEG of a dark digit on a light background

    try (Predictor predictor = Predictor.open(modelDir)) {
      // invert = true turns a dark-on-light picture into MNIST's light-on-dark.
      float[] probabilities = predictor.predictImageFiles(List.of(image), true)[0];
      for (ClassScore score : ClassScore.topK(probabilities, 3)) {
        System.out.printf("class %d: %.3f%n", score.classIndex(), score.probability());
      }

      // Raw pixels work too: one row of 28 x 28 values in [0, 1] per image, many rows per call.
      float[][] rows = {new float[784], new float[784]};
      float[][] batch = predictor.predict(rows);
      System.out.println("rows: " + batch.length + ", classes per row: " + batch[0].length);
    }
  }
}
