package org.tffinetune.bench;

import java.util.Arrays;
import java.util.Locale;

/** Median and spread of repeated measurements. */
record Stats(double median, double min, double max, int repetitions) {

  static Stats of(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(median, sorted[0], sorted[n - 1], n);
  }

  /** Formats as {@code 48.1 (46.0-52.3)}. */
  String format(String pattern) {
    return String.format(Locale.ROOT, pattern, median)
        + " ("
        + String.format(Locale.ROOT, pattern, min)
        + "-"
        + String.format(Locale.ROOT, pattern, max)
        + ")";
  }
}
