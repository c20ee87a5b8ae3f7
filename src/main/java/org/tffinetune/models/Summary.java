package org.tffinetune.models;

import java.util.Locale;
import org.tffinetune.layers.InputLayer;
import org.tffinetune.layers.Layer;

/** Formats Keras 3's {@code model.summary()} table. */
final class Summary {
  private static final int NAME_WIDTH = 33;
  private static final int SHAPE_WIDTH = 24;
  private static final int PARAMS_WIDTH = 15;

  private Summary() {}

  static String format(Sequential model) {
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model.name()).append("\"\n");
    sb.append(rule('┏', '━', '┳', '┓'));
    sb.append(row('┃', "Layer (type)", "Output Shape", "Param #"));
    sb.append(rule('┡', '━', '╇', '┩'));
    boolean first = true;
    for (Layer layer : model.layers()) {
      if (layer instanceof InputLayer) {
        continue;
      }
      if (!first) {
        sb.append(rule('├', '─', '┼', '┤'));
      }
      first = false;
      sb.append(
          row(
              '│',
              layer.name() + " (" + layer.className() + ")",
              Layer.formatShape(layer.outputShape()),
              String.format(Locale.ROOT, "%,d", layer.countParams())));
    }
    sb.append(rule('└', '─', '┴', '┘'));
    long total = model.countParams();
    long trainable = model.countTrainableParams();
    sb.append(totalLine("Total params", total));
    sb.append(totalLine("Trainable params", trainable));
    sb.append(totalLine("Non-trainable params", total - trainable));
    return sb.toString();
  }

  private static String rule(char left, char fill, char cross, char right) {
    return left
        + String.valueOf(fill).repeat(NAME_WIDTH)
        + cross
        + String.valueOf(fill).repeat(SHAPE_WIDTH)
        + cross
        + String.valueOf(fill).repeat(PARAMS_WIDTH)
        + right
        + "\n";
  }

  private static String row(char border, String name, String shape, String params) {
    return border
        + " "
        + pad(name, NAME_WIDTH - 2)
        + " "
        + border
        + " "
        + pad(shape, SHAPE_WIDTH - 2)
        + " "
        + border
        + " "
        + padLeft(params, PARAMS_WIDTH - 2)
        + " "
        + border
        + "\n";
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }

  private static String padLeft(String text, int width) {
    return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
  }

  private static String totalLine(String label, long params) {
    return String.format(
        Locale.ROOT, " %s: %,d (%s)%n", label, params, readableSize(params * Float.BYTES));
  }

  /** Formats a byte count as Keras does: two decimals in B, KB, MB or GB of 1024. */
  static String readableSize(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    double size = bytes;
    int unit = 0;
    while (size >= 1024 && unit < units.length - 1) {
      size /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.2f %s", size, units[unit]);
  }
}
