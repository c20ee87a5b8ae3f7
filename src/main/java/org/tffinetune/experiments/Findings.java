package org.tffinetune.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Derives the report's plain-language findings from the summary numbers: where transfer scores
 * higher than training from scratch, how fine-tuning every layer compares at the largest size, and
 * what each arm's epoch costs. A difference counts as clear only when it exceeds the sum of the two
 * standard deviations across seeds.
 */
final class Findings {
  private Findings() {}

  /** Returns two or three sentences, or fewer when the arms they compare have no runs. */
  static List<String> describe(ExperimentResults results) {
    List<String> sentences = new ArrayList<>();
    transferAgainstScratch(results).ifPresent(sentences::add);
    fineTuneAgainstTransfer(results).ifPresent(sentences::add);
    trainingCost(results).ifPresent(sentences::add);
    return sentences;
  }

  private static Optional<String> transferAgainstScratch(ExperimentResults results) {
    List<Integer> ahead = new ArrayList<>();
    List<Integer> behind = new ArrayList<>();
    Integer widest = null;
    double widestGap = Double.NEGATIVE_INFINITY;
    for (int size : results.settings().samplesPerClass()) {
      Optional<SummaryRow> transfer = results.row(Arm.TRANSFER, size);
      Optional<SummaryRow> scratch = results.row(Arm.SCRATCH, size);
      if (transfer.isEmpty() || scratch.isEmpty()) {
        continue;
      }
      double gap = transfer.get().accuracyMean() - scratch.get().accuracyMean();
      (gap > 0 ? ahead : behind).add(size);
      if (Math.abs(gap) > widestGap) {
        widestGap = Math.abs(gap);
        widest = size;
      }
    }
    if (widest == null) {
      return Optional.empty();
    }

    SummaryRow t = results.row(Arm.TRANSFER, widest).orElseThrow();
    SummaryRow s = results.row(Arm.SCRATCH, widest).orElseThrow();
    String detail =
        String.format(
            Locale.ROOT,
            "%s with %s (%s against %s, %s)",
            points(t.accuracyMean() - s.accuracyMean()),
            sizePhrase(results, widest),
            accuracy(t),
            accuracy(s),
            clarity(t, s));

    if (behind.isEmpty()) {
      return Optional.of(
          "Transfer scores higher than training from scratch at every size, by up to "
              + detail
              + ".");
    }
    if (ahead.isEmpty()) {
      return Optional.of(
          "Transfer scores no higher than training from scratch at any size, and scratch leads by"
              + " up to "
              + detail
              + ".");
    }
    return Optional.of(
        "Transfer scores higher than training from scratch with "
            + sizeList(ahead)
            + " images per class but not with "
            + sizeList(behind)
            + ", and the widest gap is "
            + detail
            + ".");
  }

  private static Optional<String> fineTuneAgainstTransfer(ExperimentResults results) {
    int size = results.largestSize();
    Optional<SummaryRow> fineTune = results.row(Arm.FINE_TUNE_ALL, size);
    Optional<SummaryRow> transfer = results.row(Arm.TRANSFER, size);
    if (fineTune.isEmpty() || transfer.isEmpty()) {
      return Optional.empty();
    }
    SummaryRow f = fineTune.get();
    SummaryRow t = transfer.get();
    double gap = f.accuracyMean() - t.accuracyMean();
    String verdict;
    // Gaps below 0.05 points would print as 0.0 points.
    if (Math.abs(gap) < 0.0005) {
      verdict = "is within 0.1 percentage points of transfer";
    } else {
      verdict =
          (gap > 0 ? "is ahead of transfer by " : "is behind transfer by ")
              + points(gap)
              + " ("
              + clarity(f, t)
              + ")";
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "With %s, fine-tuning every layer reaches %s against %s for transfer, so it %s.",
            sizePhrase(results, size),
            accuracy(f),
            accuracy(t),
            verdict));
  }

  private static Optional<String> trainingCost(ExperimentResults results) {
    int size = results.largestSize();
    Optional<SummaryRow> transfer = results.row(Arm.TRANSFER, size);
    Optional<SummaryRow> fineTune = results.row(Arm.FINE_TUNE_ALL, size);
    Optional<SummaryRow> scratch = results.row(Arm.SCRATCH, size);
    if (transfer.isEmpty() || fineTune.isEmpty() || scratch.isEmpty()) {
      return Optional.empty();
    }
    long transferParams = results.runs(Arm.TRANSFER, size).get(0).trainableParams();
    long allParams = results.runs(Arm.FINE_TUNE_ALL, size).get(0).trainableParams();
    double t = transfer.get().secondsPerEpoch();
    double f = fineTune.get().secondsPerEpoch();
    return Optional.of(
        String.format(
            Locale.ROOT,
            "At that size an epoch of transfer takes %.2f s against %.2f s for fine-tuning every"
                + " layer and %.2f s from scratch (%s): transfer trains %,d of %,d parameters and"
                + " skips backpropagation through the frozen layers%s.",
            t,
            f,
            scratch.get().secondsPerEpoch(),
            t > 0 && f >= t
                ? String.format(Locale.ROOT, "%.1f times faster than fine-tuning", f / t)
                : "no faster than fine-tuning",
            transferParams,
            allParams,
            results.settings().cacheFrozenFeatures()
                ? ", whose output it computes once per image"
                : ""));
  }

  private static String points(double gap) {
    return String.format(Locale.ROOT, "%.1f percentage points", Math.abs(gap) * 100);
  }

  private static String accuracy(SummaryRow row) {
    return ReportContent.formatAccuracy(row);
  }

  private static String clarity(SummaryRow a, SummaryRow b) {
    if (a.accuracyStd() == null || b.accuracyStd() == null) {
      return "one seed, so the spread across seeds is unknown";
    }
    double gap = Math.abs(a.accuracyMean() - b.accuracyMean());
    return gap > a.accuracyStd() + b.accuracyStd()
        ? "more than the spread across seeds"
        : "within the spread across seeds";
  }

  private static String sizePhrase(ExperimentResults results, int size) {
    if (size == SampleSizes.ALL) {
      return String.format(
          Locale.ROOT, "all training images (about %,.0f per class)", results.imagesPerClass(size));
    }
    return size + " images per class";
  }

  private static String sizeList(List<Integer> sizes) {
    List<String> labels = sizes.stream().map(SampleSizes::label).toList();
    if (labels.size() == 1) {
      return labels.get(0);
    }
    return String.join(", ", labels.subList(0, labels.size() - 1))
        + " or "
        + labels.get(labels.size() - 1);
  }
}
