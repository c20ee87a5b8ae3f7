package org.tffinetune.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs single predictions in a fresh JVM for {@link PredictorMemoryTest} and prints resident memory
 * (VmRSS) samples taken every {@value #SAMPLE_EVERY} calls.
 *
 * <p>Arguments: model folder, warm-up call count, measured call count. Output: one line {@code
 * warm_up=KIB,KIB,... measured=KIB,KIB,...}.
 */
public final class PredictionLoop {
  static final int SAMPLE_EVERY = 10_000;

  private PredictionLoop() {}

  /** Runs the loop described in the class comment. */
  public static void main(String[] args) throws IOException {
    Path modelDir = Path.of(args[0]);
    int warmUpCalls = Integer.parseInt(args[1]);
    int measuredCalls = Integer.parseInt(args[2]);
    float[][] image = TestModels.randomImages(12, 1);
    try (Predictor predictor = Predictor.open(modelDir)) {
      List<Long> warmUp = runAndSample(predictor, image, warmUpCalls);
      List<Long> measured = runAndSample(predictor, image, measuredCalls);
      System.out.println("warm_up=" + join(warmUp) + " measured=" + join(measured));
    }
  }

  private static List<Long> runAndSample(Predictor predictor, float[][] image, int calls)
      throws IOException {
    List<Long> samples = new ArrayList<>();
    for (int i = 1; i <= calls; i++) {
      predictor.predict(image);
      if (i % SAMPLE_EVERY == 0) {
        samples.add(residentKib());
      }
    }
    return samples;
  }

  private static String join(List<Long> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  private static long residentKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.trim().split("\\s+")[1]);
      }
    }
    throw new IOException("no VmRSS line in /proc/self/status");
  }
}
