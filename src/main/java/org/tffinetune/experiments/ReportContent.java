package org.tffinetune.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tffinetune.data.Digits;

/** Builds the report's content from the results: settings, findings, tables and charts. */
final class ReportContent {
  /** Header of the results table, which tests read back. */
  static final List<String> RESULTS_HEADER =
      List.of(
          "Images per class",
          "Training images",
          "Arm",
          "Seeds",
          "Test accuracy (mean ± std)",
          "Training s/epoch");

  private ReportContent() {}

  /**
   * Returns the report.
   *
   * @param charts PNG images keyed by file name, as {@link ExperimentCharts#all} returns them
   * @param machine the machine's description, as {@link Machine#describe()} returns it
   */
  static ReportDocument build(
      ExperimentResults results, Map<String, byte[]> charts, Map<String, String> machine) {
    ExperimentSettings s = results.settings();
    String direction = Digits.format(s.source()) + " → " + Digits.format(s.target());
    ReportDocument doc = new ReportDocument("Transfer-learning experiment: digits " + direction);
    doc.add(
        new ReportDocument.Paragraph(
            "Pretraining learns digits "
                + Digits.format(s.source())
                + "; then three arms learn digits "
                + Digits.format(s.target())
                + " with the same epochs, optimizer and training images: "
                + armDescriptions()
                + ". Test accuracy is measured on every test image of the target digits."));

    doc.add(new ReportDocument.Heading(2, "Findings"));
    doc.add(new ReportDocument.Bullets(Findings.describe(results)));

    doc.add(new ReportDocument.Heading(2, "Results"));
    doc.add(
        new ReportDocument.Paragraph(
            "Mean and sample standard deviation over seeds. Training seconds per epoch leave out"
                + " validation; the first epoch includes loading the images and filling the"
                + " frozen-feature cache."));
    doc.add(resultsTable(results));

    doc.add(new ReportDocument.Heading(2, "Charts"));
    addChart(
        doc,
        charts,
        "accuracy-vs-samples.png",
        "Test accuracy against labelled training images per class, mean and ±1 std band");
    addChart(
        doc,
        charts,
        "validation-accuracy.png",
        "Validation accuracy per epoch at the largest size, mean and ±1 std band");
    results
        .bestTransferRun()
        .ifPresent(
            best ->
                addChart(
                    doc,
                    charts,
                    "confusion-matrix.png",
                    String.format(
                        Locale.ROOT,
                        "Confusion matrix of the best transfer model (seed %d, %s)",
                        best.seed(),
                        SampleSizes.describe(best.samplesPerClass()))));

    doc.add(new ReportDocument.Heading(2, "Pretraining"));
    doc.add(pretrainingTable(results));

    doc.add(new ReportDocument.Heading(2, "Settings"));
    doc.add(settingsTable(results));
    doc.add(new ReportDocument.Paragraph("Command:"));
    doc.add(new ReportDocument.Code(results.command()));

    doc.add(new ReportDocument.Heading(2, "Machine"));
    Map<String, String> labelled = new LinkedHashMap<>();
    machine.forEach((key, value) -> labelled.put(Machine.LABELS.getOrDefault(key, key), value));
    doc.add(keyValueTable("Property", labelled));
    return doc;
  }

  private static String armDescriptions() {
    List<String> parts = new ArrayList<>();
    for (Arm arm : Arm.values()) {
      parts.add(arm.id() + " (" + arm.description() + ")");
    }
    return String.join(", ", parts);
  }

  private static void addChart(
      ReportDocument doc, Map<String, byte[]> charts, String file, String alt) {
    byte[] png = charts.get(file);
    if (png != null) {
      doc.add(new ReportDocument.Image(alt, "img/" + file, png));
    }
  }

  /** Formats a row's accuracy as {@code 0.8123 ± 0.0123}, or without std for one seed. */
  static String formatAccuracy(SummaryRow row) {
    if (row.accuracyStd() == null) {
      return String.format(Locale.ROOT, "%.4f", row.accuracyMean());
    }
    return String.format(Locale.ROOT, "%.4f ± %.4f", row.accuracyMean(), row.accuracyStd());
  }

  private static ReportDocument.Table resultsTable(ExperimentResults results) {
    List<List<String>> rows = new ArrayList<>();
    for (SummaryRow row : results.summary()) {
      rows.add(
          List.of(
              SampleSizes.label(row.samplesPerClass()),
              Integer.toString(row.trainSamples()),
              row.arm().id(),
              Integer.toString(row.seeds()),
              formatAccuracy(row),
              String.format(Locale.ROOT, "%.2f", row.secondsPerEpoch())));
    }
    return new ReportDocument.Table(
        RESULTS_HEADER, rows, List.of(true, true, false, true, true, true));
  }

  private static ReportDocument.Table pretrainingTable(ExperimentResults results) {
    List<List<String>> rows = new ArrayList<>();
    for (PretrainResult p : results.pretraining()) {
      rows.add(
          List.of(
              Long.toString(p.seed()),
              p.digits(),
              Integer.toString(p.trainSamples()),
              Integer.toString(p.epochs()),
              String.format(Locale.ROOT, "%.4f", p.testAccuracy()),
              String.format(Locale.ROOT, "%.2f", p.secondsPerEpoch())));
    }
    return new ReportDocument.Table(
        List.of("Seed", "Digits", "Training images", "Epochs", "Test accuracy", "Training s/epoch"),
        rows,
        List.of(true, false, true, true, true, true));
  }

  private static ReportDocument.Table settingsTable(ExperimentResults results) {
    ExperimentSettings s = results.settings();
    ExperimentData data = results.data();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("Source digits (pretraining)", Digits.format(s.source()));
    values.put("Target digits", Digits.format(s.target()));
    values.put("Seeds", s.runSeeds().toString());
    values.put("Images per class", SampleSizes.format(s.samplesPerClass()));
    values.put("Epochs per arm", Integer.toString(s.epochs()));
    values.put("Pretraining epochs", Integer.toString(s.pretrainEpochs()));
    values.put("Batch size", Integer.toString(s.batchSize()));
    values.put(
        "Optimizer",
        s.optimizer().kind().kerasName() + ", learning rate " + s.optimizer().learningRate());
    values.put("Model", results.modelName());
    values.put("Training-image limit", s.limit() == 0 ? "none" : Integer.toString(s.limit()));
    values.put("Frozen-feature cache", s.cacheFrozenFeatures() ? "on" : "off");
    values.put(
        "Head of the pretrained arms",
        s.newHead() ? "new, random weights" : "pretrained, as in the notebook");
    values.put(
        "Images (train / test)",
        String.format(
            Locale.ROOT,
            "source %d / %d, target %d / %d",
            data.sourceTrain().size(),
            data.sourceTest().size(),
            data.targetTrain().size(),
            data.targetTest().size()));
    values.put("Data", results.dataSource().isEmpty() ? "(not recorded)" : results.dataSource());
    values.put(
        "Time",
        String.format(
            Locale.ROOT,
            "%.1f min of training summed over all runs; the last invocation took %.1f min",
            results.trainingSeconds() / 60,
            results.wallSeconds() / 60));
    return keyValueTable("Setting", values);
  }

  private static ReportDocument.Table keyValueTable(String keyHeader, Map<String, String> values) {
    List<List<String>> rows = new ArrayList<>();
    values.forEach((k, v) -> rows.add(List.of(k, v)));
    return new ReportDocument.Table(List.of(keyHeader, "Value"), rows, List.of(false, false));
  }
}
