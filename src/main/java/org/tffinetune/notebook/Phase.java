package org.tffinetune.notebook;

import java.nio.file.Path;
import java.util.Locale;
import org.tffinetune.data.Digits;
import org.tffinetune.models.Evaluation;
import org.tffinetune.models.History;

/**
 * The outcome of one training phase of the notebook: what was trained, how long it took and how
 * well the result does on the test digits of the phase.
 *
 * @param name a label such as {@code pretrain} or {@code finetune}
 * @param digits the digits trained on, in class order
 * @param samples training images used
 * @param history per-epoch metrics and times
 * @param test loss and accuracy on the phase's test digits
 * @param notebookAccuracy the accuracy the Keras notebook published for this phase, or NaN
 * @param modelDir where the phase's SavedModel was written
 */
public record Phase(
    String name,
    int[] digits,
    int samples,
    History history,
    Evaluation test,
    double notebookAccuracy,
    Path modelDir) {

  /** Returns a file-name-safe label such as {@code pretrain-5-9}. */
  public String slug() {
    return name + "-" + Digits.format(digits).replace(',', '_');
  }

  /** Returns a display label such as {@code pretrain 5-9}. */
  public String label() {
    return name + " " + Digits.format(digits);
  }

  /** Formats the training time as Python's {@code datetime.timedelta} prints, like the notebook. */
  public static String formatTimedelta(double seconds) {
    long micros = Math.round(seconds * 1e6);
    long h = micros / 3_600_000_000L;
    long m = micros / 60_000_000L % 60;
    long s = micros / 1_000_000L % 60;
    long us = micros % 1_000_000L;
    return String.format(Locale.ROOT, "%d:%02d:%02d.%06d", h, m, s, us);
  }
}
