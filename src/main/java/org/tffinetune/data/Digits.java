package org.tffinetune.data;

import java.util.TreeSet;
import org.tffinetune.InvalidInputException;

/** Parses digit selections such as {@code 5-9}, {@code 0,1,2} or {@code 0-2,7}. */
public final class Digits {
  private Digits() {}

  /**
   * Returns the digits in ascending order.
   *
   * @throws InvalidInputException naming the text when it is empty, malformed, outside 0-9 or lists
   *     a digit twice
   */
  public static int[] parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(
          "digit selection is empty; expected digits such as 5-9 or 0,1,2");
    }
    TreeSet<Integer> digits = new TreeSet<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int dash = p.indexOf('-');
      int from;
      int to;
      try {
        if (dash > 0) {
          from = Integer.parseInt(p.substring(0, dash).trim());
          to = Integer.parseInt(p.substring(dash + 1).trim());
        } else {
          from = Integer.parseInt(p);
          to = from;
        }
      } catch (NumberFormatException e) {
        throw new InvalidInputException(
            "invalid digit selection '"
                + text
                + "': '"
                + p
                + "' is not a digit or a range like 5-9");
      }
      if (from < 0 || to > 9 || from > to) {
        throw new InvalidInputException(
            "invalid digit selection '" + text + "': '" + p + "' must lie within 0-9, low to high");
      }
      for (int d = from; d <= to; d++) {
        if (!digits.add(d)) {
          throw new InvalidInputException(
              "invalid digit selection '" + text + "': digit " + d + " is listed twice");
        }
      }
    }
    return digits.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Formats digits compactly: {@code [5, 6, 7, 8, 9]} becomes {@code 5-9}. */
  public static String format(int[] digits) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < digits.length) {
      int j = i;
      while (j + 1 < digits.length && digits[j + 1] == digits[j] + 1) {
        j++;
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(digits[i]);
      if (j > i) {
        sb.append('-').append(digits[j]);
      }
      i = j + 1;
    }
    return sb.toString();
  }
}
