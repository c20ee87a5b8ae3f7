package org.tffinetune.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tffinetune.data.Digits;
import org.tffinetune.saving.AtomicFiles;

/**
 * Writes an experiment's report into its results folder: {@value #MARKDOWN_FILE}, {@value
 * #HTML_FILE} (the same content with the charts embedded), {@value #JSON_FILE} for other tools, and
 * the charts as PNG files under {@code img/}.
 */
public final class ReportWriter {
  /** The Markdown report. */
  public static final String MARKDOWN_FILE = "report.md";

  /** The self-contained HTML report. */
  public static final String HTML_FILE = "report.html";

  /** The results as JSON. */
  public static final String JSON_FILE = "results.json";

  private ReportWriter() {}

  /** Writes the charts, the Markdown and HTML reports and the JSON results, each atomically. */
  public static void write(ExperimentResults results, ResultsFolder folder) throws IOException {
    Map<String, byte[]> charts = ExperimentCharts.all(results);
    for (Map.Entry<String, byte[]> chart : charts.entrySet()) {
      AtomicFiles.write(folder.imageDir().resolve(chart.getKey()), chart.getValue());
    }
    Map<String, String> machine = Machine.describe();
    ReportDocument doc = ReportContent.build(results, charts, machine);
    AtomicFiles.write(
        folder.dir().resolve(MARKDOWN_FILE), doc.toMarkdown().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(
        folder.dir().resolve(HTML_FILE), doc.toHtml().getBytes(StandardCharsets.UTF_8));
    JsonFiles.write(folder.dir().resolve(JSON_FILE), toJson(results, machine));
  }

  /** Returns the content of {@value #JSON_FILE}. */
  static Map<String, Object> toJson(ExperimentResults results, Map<String, String> machine) {
    ExperimentSettings s = results.settings();
    Map<String, Object> settings = new LinkedHashMap<>(s.identity(results.modelName()));
    settings.put("seeds", s.runSeeds());
    settings.put("samples_per_class", s.samplesPerClass());
    settings.put("cache_frozen_features", s.cacheFrozenFeatures());

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("source", results.dataSource());
    data.put("source_train_images", results.data().sourceTrain().size());
    data.put("source_test_images", results.data().sourceTest().size());
    data.put("target_train_images", results.data().targetTrain().size());
    data.put("target_test_images", results.data().targetTest().size());

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format_version", JsonFiles.FORMAT_VERSION);
    root.put("generated", Instant.now().toString());
    root.put("command", results.command());
    root.put("note", "samples_per_class 0 means all training images of the target digits");
    root.put("settings", settings);
    root.put("data", data);
    root.put("machine", machine);
    root.put("findings", Findings.describe(results));
    root.put("summary", results.summary());
    results
        .bestTransferRun()
        .ifPresent(
            best -> {
              Map<String, Object> bestRun = new LinkedHashMap<>();
              bestRun.put("seed", best.seed());
              bestRun.put("samples_per_class", best.samplesPerClass());
              bestRun.put("test_accuracy", best.testAccuracy());
              bestRun.put("confusion_matrix", best.confusionMatrix());
              root.put("best_transfer_run", bestRun);
            });
    root.put("pretraining", results.pretraining());
    root.put("runs", results.runs());
    root.put("training_seconds", results.trainingSeconds());
    root.put("wall_seconds", results.wallSeconds());
    return root;
  }

  /** Formats the summary as a fixed-width text table for the console. */
  public static String formatConsoleTable(ExperimentResults results) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Digits %s -> %s, test accuracy over %d seeds%n",
            Digits.format(results.settings().source()),
            Digits.format(results.settings().target()),
            results.settings().seeds()));
    String header =
        String.format(
            Locale.ROOT,
            "%-9s %-14s %9s %-17s %9s%n",
            "Per class",
            "Arm",
            "Images",
            "Test accuracy",
            "s/epoch");
    sb.append(header);
    sb.append("-".repeat(header.length() - 1)).append('\n');
    List<SummaryRow> rows = results.summary();
    for (SummaryRow row : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-9s %-14s %9d %-17s %9.2f%n",
              SampleSizes.label(row.samplesPerClass()),
              row.arm().id(),
              row.trainSamples(),
              ReportContent.formatAccuracy(row),
              row.secondsPerEpoch()));
    }
    return sb.toString();
  }
}
