package org.tffinetune.experiments;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tffinetune.models.TrainingListener;

/**
 * Measures each epoch's training time without the validation that follows it, and prints one line
 * per epoch. Create it right before {@code fit}: the first epoch then also counts loading the
 * images into the graph and filling the frozen-feature cache, which are part of training's cost.
 */
final class EpochTimer implements TrainingListener {
  private final PrintStream out;
  private final List<Double> seconds = new ArrayList<>();
  private long epochStart = System.nanoTime();
  private long lastStepEnd;

  EpochTimer(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onEpochBegin(int epoch, int epochs, int steps) {
    if (epoch > 1) {
      epochStart = System.nanoTime();
    }
  }

  @Override
  public void onBatchEnd(int step, Map<String, Double> logs) {
    lastStepEnd = System.nanoTime();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs, double epochSeconds, int steps) {
    double trainSeconds = (lastStepEnd - epochStart) / 1e9;
    seconds.add(trainSeconds);
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "      epoch %d:", epoch));
    for (Map.Entry<String, Double> metric : logs.entrySet()) {
      line.append(String.format(Locale.ROOT, " %s %.4f", metric.getKey(), metric.getValue()));
    }
    line.append(String.format(Locale.ROOT, " (%.1f s training)", trainSeconds));
    out.println(line);
  }

  /** Returns each finished epoch's training time in seconds. */
  List<Double> seconds() {
    return List.copyOf(seconds);
  }
}
