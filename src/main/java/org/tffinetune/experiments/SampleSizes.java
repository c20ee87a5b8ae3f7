package org.tffinetune.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.tffinetune.InvalidInputException;

/**
 * Parses and formats lists of training-set sizes in labelled images per class, such as {@code
 * 10,50,100,500,all}. The size {@link #ALL} means every training image of the target digits.
 */
public final class SampleSizes {
  /** The size that means every training image, written {@code all}. */
  public static final int ALL = 0;

  /** The default sizes: 10, 50, 100 and 500 images per class, then all images. */
  public static final List<Integer> DEFAULT = List.of(10, 50, 100, 500, ALL);

  private SampleSizes() {}

  /**
   * Parses a comma-separated list of positive counts and {@code all}, and returns it sorted with
   * {@link #ALL} last.
   *
   * @throws InvalidInputException naming the text when it is empty, contains a value that is
   *     neither a positive count nor {@code all}, or repeats a value
   */
  public static List<Integer> parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(
          "--samples is empty; expected images per class such as 10,50,100,500,all");
    }
    List<Integer> sizes = new ArrayList<>();
    for (String part : text.split(",")) {
      String value = part.trim().toLowerCase(Locale.ROOT);
      int size;
      if (value.equals("all")) {
        size = ALL;
      } else {
        try {
          size = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(
              "invalid --samples '"
                  + text
                  + "': '"
                  + part.trim()
                  + "' is neither a positive number of images per class nor 'all'");
        }
        if (size <= 0) {
          throw new InvalidInputException(
              "invalid --samples '" + text + "': sizes must be positive, found " + size);
        }
      }
      if (sizes.contains(size)) {
        throw new InvalidInputException(
            "invalid --samples '" + text + "': " + label(size) + " is listed twice");
      }
      sizes.add(size);
    }
    return sorted(sizes);
  }

  /** Returns the sizes in ascending order with {@link #ALL} last. */
  public static List<Integer> sorted(List<Integer> sizes) {
    TreeSet<Integer> counts = new TreeSet<>(sizes);
    boolean all = counts.remove(ALL);
    List<Integer> result = new ArrayList<>(counts);
    if (all) {
      result.add(ALL);
    }
    return List.copyOf(result);
  }

  /** Returns {@code all} for {@link #ALL}, otherwise the count. */
  public static String label(int size) {
    return size == ALL ? "all" : Integer.toString(size);
  }

  /** Describes a size in words: {@code 10 images per class} or {@code all training images}. */
  public static String describe(int size) {
    return size == ALL ? "all training images" : size + " images per class";
  }

  /** Formats sizes as {@link #parse} reads them, such as {@code 10,50,all}. */
  public static String format(List<Integer> sizes) {
    return String.join(",", sizes.stream().map(SampleSizes::label).toList());
  }
}
