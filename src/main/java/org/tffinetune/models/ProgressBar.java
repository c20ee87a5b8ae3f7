package org.tffinetune.models;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints training progress in the format of Keras 3's progress bar ({@code verbose=1}).
 *
 * <p>"Epoch i/n" and the finished epoch's line go to the result stream (stdout in the CLI): {@code
 * 240/240 ━━━━━━━━━━━━━━━━━━━━ 12s 48ms/step - accuracy: 0.6573 - loss: 1.0201 - val_accuracy:
 * ...}. The bar that moves while the epoch runs goes to the progress stream (stderr), redrawn in
 * place at most ten times a second, and only when that stream is a terminal.
 */
public final class ProgressBar implements TrainingListener {
  private static final int BAR_WIDTH = 20;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream results;
  private final PrintStream progress;
  private final boolean interactive;
  private int steps;
  private long epochStart;
  private long lastDraw;
  private int lastLength;

  /**
   * Creates a progress bar.
   *
   * @param results where epoch headers and finished-epoch lines go
   * @param progress where the moving bar goes
   * @param interactive whether {@code progress} is a terminal that understands carriage returns
   */
  public ProgressBar(PrintStream results, PrintStream progress, boolean interactive) {
    this.results = results;
    this.progress = progress;
    this.interactive = interactive;
  }

  /** Creates a progress bar on stdout and stderr, redrawing when a console is attached. */
  public static ProgressBar console() {
    return new ProgressBar(System.out, System.err, System.console() != null);
  }

  @Override
  public void onEpochBegin(int epoch, int epochs, int steps) {
    this.steps = steps;
    this.epochStart = System.nanoTime();
    this.lastDraw = 0;
    results.println("Epoch " + epoch + "/" + epochs);
    results.flush();
  }

  @Override
  public void onBatchEnd(int step, Map<String, Double> logs) {
    if (!interactive) {
      return;
    }
    long now = System.nanoTime();
    if (step < steps && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double elapsed = (now - epochStart) / 1e9;
    double perStep = elapsed / step;
    String eta =
        step < steps ? String.format(Locale.ROOT, "%ds", Math.round(perStep * (steps - step))) : "";
    String line =
        formatCounter(step)
            + " "
            + bar(step)
            + " "
            + eta
            + " "
            + formatPerStep(perStep)
            + formatLogs(logs);
    progress.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    progress.flush();
    lastLength = line.length();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs, double seconds, int steps) {
    if (interactive && lastLength > 0) {
      progress.print("\r" + " ".repeat(lastLength) + "\r");
      progress.flush();
      lastLength = 0;
    }
    results.println(formatEpochLine(steps, seconds, logs));
    results.flush();
  }

  /** Formats a finished epoch's line as Keras 3 prints it. */
  public static String formatEpochLine(int steps, double seconds, Map<String, Double> logs) {
    return steps
        + "/"
        + steps
        + " "
        + "━".repeat(BAR_WIDTH)
        + " "
        + Math.round(seconds)
        + "s "
        + formatPerStep(seconds / Math.max(1, steps))
        + formatLogs(logs);
  }

  private String formatCounter(int step) {
    String total = Integer.toString(steps);
    String current = Integer.toString(step);
    return " ".repeat(Math.max(0, total.length() - current.length())) + current + "/" + total;
  }

  private String bar(int step) {
    int done = (int) ((long) BAR_WIDTH * step / Math.max(1, steps));
    return "━".repeat(done) + "\u001b[2m" + "━".repeat(BAR_WIDTH - done) + "\u001b[0m";
  }

  private static String formatPerStep(double seconds) {
    if (seconds >= 1) {
      return String.format(Locale.ROOT, "%.0fs/step", seconds);
    }
    if (seconds >= 1e-3) {
      return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
    }
    return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
  }

  private static String formatLogs(Map<String, Double> logs) {
    StringBuilder sb = new StringBuilder();
    // Keras 3 prints metrics in alphabetical order: accuracy, loss, val_accuracy, val_loss.
    for (Map.Entry<String, Double> e : new TreeMap<>(logs).entrySet()) {
      sb.append(" - ").append(e.getKey()).append(": ").append(formatValue(e.getValue()));
    }
    return sb.toString();
  }

  private static String formatValue(double value) {
    if (value != 0 && Math.abs(value) < 1e-3) {
      return String.format(Locale.ROOT, "%.4e", value);
    }
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
