package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.SavedModels;

/** Runs one tiny experiment on synthetic digits and checks what it writes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path output;
  private ExperimentResults results;
  private JsonNode json;
  private String markdown;
  private String console;

  @BeforeAll
  void runExperiment(@TempDir Path dir) throws IOException {
    output = dir.resolve("results");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    results =
        Experiment.builder(TinyExperiments.settings().build(), output)
            .modelFactory(new TinyExperiments.SmallModelFactory())
            .out(new PrintStream(printed, true, StandardCharsets.UTF_8))
            .command("bin/finetune experiment --seeds 2")
            .dataSource("synthetic digits")
            .build()
            .run(TinyExperiments.TRAIN, TinyExperiments.TEST);
    console = printed.toString(StandardCharsets.UTF_8);
    json = JSON.readTree(output.resolve(ReportWriter.JSON_FILE).toFile());
    markdown = Files.readString(output.resolve(ReportWriter.MARKDOWN_FILE));
  }

  @Test
  void runsEveryArmSizeAndSeed() {
    assertEquals(2 * 2 * 3, results.runs().size());
    assertEquals(2, results.pretraining().size());
    for (long seed : List.of(100L, 101L)) {
      for (int size : List.of(5, SampleSizes.ALL)) {
        for (Arm arm : Arm.values()) {
          Path file = new ResultsFolder(output).runRecord(seed, size, arm);
          assertTrue(Files.isRegularFile(file), file.toString());
        }
      }
    }
    assertEquals(12, json.get("runs").size());
  }

  @Test
  void subsetsAreBalancedAndFullPoolIsWhole() {
    for (RunResult run : results.runs()) {
      int expected = run.samplesPerClass() == SampleSizes.ALL ? 150 : 5 * 5;
      assertEquals(expected, run.trainSamples(), run.arm() + " " + run.samplesPerClass());
      assertEquals(50, run.testSamples());
    }
  }

  @Test
  void transferFreezesFeatureLayersOnly() {
    RunResult transfer = results.runs(Arm.TRANSFER, 5).get(0);
    RunResult fineTune = results.runs(Arm.FINE_TUNE_ALL, 5).get(0);
    RunResult scratch = results.runs(Arm.SCRATCH, 5).get(0);
    // Conv2D(4, 3) has 3*3*4 + 4 = 40 weights, and the head has the rest.
    assertEquals(fineTune.trainableParams() - 40, transfer.trainableParams());
    assertEquals(fineTune.trainableParams(), scratch.trainableParams());
  }

  @Test
  void validationRunsOnlyAtLargestSize() {
    for (RunResult run : results.runs()) {
      List<Double> val = run.history().getOrDefault("val_accuracy", List.of());
      int expected = run.samplesPerClass() == SampleSizes.ALL ? 2 : 0;
      assertEquals(expected, val.size(), run.arm() + " " + run.samplesPerClass());
      assertEquals(2, run.trainSeconds().size());
    }
  }

  @Test
  void confusionMatrixCountsTestImages() {
    for (RunResult run : results.runs()) {
      if (run.arm() != Arm.TRANSFER) {
        assertNull(run.confusionMatrix());
        continue;
      }
      int[][] matrix = run.confusionMatrix();
      int total = 0;
      int correct = 0;
      for (int t = 0; t < matrix.length; t++) {
        assertEquals(10, Arrays.stream(matrix[t]).sum(), "test images of class " + t);
        total += Arrays.stream(matrix[t]).sum();
        correct += matrix[t][t];
      }
      assertEquals(50, total);
      assertEquals(run.testAccuracy(), correct / 50.0, 1e-6);
    }
  }

  @Test
  void pretrainedModelIsSavedAndLoadable() {
    Path model = new ResultsFolder(output).pretrainedModel(100);
    try (Sequential loaded = SavedModels.load(model)) {
      assertEquals(5, loaded.numClasses());
    }
    assertEquals("5-9", results.pretraining().get(0).digits());
    assertEquals(150, results.pretraining().get(0).trainSamples());
  }

  @Test
  void markdownTableMatchesResultsJson() {
    List<List<String>> rows = tableRows(markdown, ReportContent.RESULTS_HEADER.get(0));
    JsonNode summary = json.get("summary");
    assertEquals(summary.size(), rows.size());
    assertEquals(6, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<String> row = rows.get(i);
      JsonNode expected = summary.get(i);
      int size = expected.get("samples_per_class").asInt();
      assertEquals(SampleSizes.label(size), row.get(0), "size of row " + i);
      assertEquals(expected.get("train_samples").asText(), row.get(1), "images of row " + i);
      assertEquals(expected.get("arm").asText(), row.get(2), "arm of row " + i);
      assertEquals(expected.get("seeds").asText(), row.get(3), "seeds of row " + i);
      String[] accuracy = row.get(4).split(" ± ");
      assertEquals(expected.get("accuracy_mean").asDouble(), Double.parseDouble(accuracy[0]), 5e-5);
      assertEquals(expected.get("accuracy_std").asDouble(), Double.parseDouble(accuracy[1]), 5e-5);
      assertEquals(
          expected.get("seconds_per_epoch").asDouble(), Double.parseDouble(row.get(5)), 5e-3);
    }
  }

  @Test
  void summaryInJsonMatchesRuns() {
    for (JsonNode row : json.get("summary")) {
      List<Double> accuracies = new ArrayList<>();
      for (JsonNode run : json.get("runs")) {
        if (run.get("arm").equals(row.get("arm"))
            && run.get("samples_per_class").equals(row.get("samples_per_class"))) {
          accuracies.add(run.get("test_accuracy").asDouble());
        }
      }
      assertEquals(2, accuracies.size());
      double mean = (accuracies.get(0) + accuracies.get(1)) / 2;
      double std = Math.abs(accuracies.get(0) - accuracies.get(1)) / Math.sqrt(2);
      assertEquals(mean, row.get("accuracy_mean").asDouble(), 1e-12);
      assertEquals(std, row.get("accuracy_std").asDouble(), 1e-12);
    }
  }

  @Test
  void reportStatesSettingsCommandAndFindings() {
    assertTrue(markdown.contains("bin/finetune experiment --seeds 2"), markdown);
    assertTrue(markdown.contains("| Seeds | [100, 101] |"), markdown);
    assertTrue(markdown.contains("| Images per class | 5,all |"), markdown);
    JsonNode findings = json.get("findings");
    assertEquals(3, findings.size());
    for (JsonNode finding : findings) {
      assertTrue(markdown.contains("- " + finding.asText()), finding.asText());
    }
    assertTrue(findings.get(0).asText().startsWith("Transfer "), findings.get(0).asText());
    assertTrue(findings.get(1).asText().contains("fine-tuning every layer"));
  }

  @Test
  void chartsAreWrittenAndEmbeddedInHtml() throws IOException {
    String html = Files.readString(output.resolve(ReportWriter.HTML_FILE));
    for (String name :
        List.of("accuracy-vs-samples.png", "validation-accuracy.png", "confusion-matrix.png")) {
      Path png = output.resolve("img").resolve(name);
      assertNotNull(ImageIO.read(png.toFile()), name);
      assertTrue(markdown.contains("](img/" + name + ")"), name);
      String base64 = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
      assertTrue(html.contains("src=\"data:image/png;base64," + base64 + "\""), name);
    }
    assertFalse(html.contains("img/"), "the HTML page links no files");
  }

  @Test
  void htmlHasSameTableNumbersAsMarkdown() throws IOException {
    String html = Files.readString(output.resolve(ReportWriter.HTML_FILE));
    for (List<String> row : tableRows(markdown, ReportContent.RESULTS_HEADER.get(0))) {
      assertTrue(html.contains("<td class=\"num\">" + row.get(4) + "</td>"), row.toString());
    }
  }

  @Test
  void consolePrintsProgressAndSummary() {
    assertTrue(console.contains("[ 1/12] seed 100, 5 images per class, transfer:"), console);
    assertTrue(console.contains("Seed 101: pretraining on digits 5-9, 150 images, 1 epochs"));
    assertTrue(console.contains("Report: "), console);
  }

  /** Returns the cells of the Markdown table whose header starts with {@code firstHeader}. */
  static List<List<String>> tableRows(String markdown, String firstHeader) {
    List<List<String>> rows = new ArrayList<>();
    String[] lines = markdown.split("\n");
    int i = 0;
    while (i < lines.length && !lines[i].startsWith("| " + firstHeader + " |")) {
      i++;
    }
    Pattern separator = Pattern.compile("\\|( -+:? \\|)+");
    for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) {
      Matcher m = separator.matcher(lines[i]);
      if (m.matches()) {
        continue;
      }
      String inner = lines[i].substring(2, lines[i].length() - 2);
      rows.add(List.of(inner.split(" \\| ", -1)));
    }
    return rows;
  }
}
