package org.tffinetune.experiments;

import java.util.List;

/** Mean and sample standard deviation of run results. */
final class Statistics {
  private Statistics() {}

  /** Returns the arithmetic mean, or NaN for an empty list. */
  static double mean(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.size();
  }

  /**
   * Returns the sample standard deviation (divisor n - 1), or null for fewer than two values, where
   * it is undefined.
   */
  static Double sampleStd(List<Double> values) {
    if (values.size() < 2) {
      return null;
    }
    double mean = mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.size() - 1));
  }
}
