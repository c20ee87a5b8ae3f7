package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.InvalidInputException;

/** Interrupts experiments, resumes them and checks the results-folder rules. */
class ResumeTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private Experiment experiment(
      ExperimentSettings settings, Path output, ModelFactory factory, boolean resume) {
    return Experiment.builder(settings, output)
        .modelFactory(factory)
        .resume(resume)
        .out(new PrintStream(printed, true, StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void resumeSkipsRunsFinishedBeforeInterruption() throws IOException {
    ExperimentSettings settings = TinyExperiments.settings().build();
    Path output = dir.resolve("results");
    ResultsFolder folder = new ResultsFolder(output);
    // Builds in order: pretraining of seed 100, then its runs at size 5 (3 builds) and at all.
    // Failing at build 6 leaves pretraining, three runs at size 5 and transfer at all finished.
    TinyExperiments.SmallModelFactory failing = new TinyExperiments.SmallModelFactory(6);

    IllegalStateException interruption =
        assertThrows(
            IllegalStateException.class,
            () ->
                experiment(settings, output, failing, false)
                    .run(TinyExperiments.TRAIN, TinyExperiments.TEST));

    assertTrue(interruption.getMessage().contains("simulated interruption"));
    assertTrue(Files.isRegularFile(folder.runRecord(100, SampleSizes.ALL, Arm.TRANSFER)));
    assertFalse(Files.exists(folder.runRecord(100, SampleSizes.ALL, Arm.FINE_TUNE_ALL)));
    assertFalse(Files.exists(output.resolve(ReportWriter.MARKDOWN_FILE)));
    Map<Path, byte[]> finished = new LinkedHashMap<>();
    for (Arm arm : Arm.values()) {
      Path file = folder.runRecord(100, 5, arm);
      finished.put(file, Files.readAllBytes(file));
    }
    Path transferAll = folder.runRecord(100, SampleSizes.ALL, Arm.TRANSFER);
    finished.put(transferAll, Files.readAllBytes(transferAll));
    finished.put(folder.pretrainRecord(100), Files.readAllBytes(folder.pretrainRecord(100)));

    TinyExperiments.SmallModelFactory counting = new TinyExperiments.SmallModelFactory();
    ExperimentResults results =
        experiment(settings, output, counting, true)
            .run(TinyExperiments.TRAIN, TinyExperiments.TEST);

    // 14 builds in all (2 pretrainings, 12 runs), 5 of them finished before the interruption.
    assertEquals(9, counting.builds.get());
    assertEquals(12, results.runs().size());
    for (Map.Entry<Path, byte[]> file : finished.entrySet()) {
      assertArrayEquals(file.getValue(), Files.readAllBytes(file.getKey()), file.getKey() + "");
    }
    String console = printed.toString(StandardCharsets.UTF_8);
    assertTrue(console.contains("Seed 100: pretrained earlier on 5-9"), console);
    assertTrue(
        console.contains("seed 100, all training images, transfer: finished earlier"), console);
    assertTrue(Files.isRegularFile(output.resolve(ReportWriter.MARKDOWN_FILE)));
  }

  @Test
  void nonEmptyFolderWithoutResumeIsRejected() throws IOException {
    Path output = Files.createDirectories(dir.resolve("used"));
    Files.writeString(output.resolve("notes.txt"), "earlier work");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                experiment(
                        TinyExperiments.settings().build(),
                        output,
                        new TinyExperiments.SmallModelFactory(),
                        false)
                    .checkOutput());

    assertTrue(
        e.getMessage().contains("results folder " + output + " is not empty"), e.getMessage());
    assertTrue(e.getMessage().contains("pass --resume"), e.getMessage());
    assertTrue(e.getMessage().contains("another --output"), e.getMessage());
  }

  @Test
  void resumeWithoutExperimentFileIsRejected() throws IOException {
    Path output = Files.createDirectories(dir.resolve("other"));
    Files.writeString(output.resolve("notes.txt"), "earlier work");

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                experiment(
                        TinyExperiments.settings().build(),
                        output,
                        new TinyExperiments.SmallModelFactory(),
                        true)
                    .checkOutput());

    assertTrue(e.getMessage().contains("has no experiment.json"), e.getMessage());
  }

  @Test
  void resumeWithDifferentSettingsNamesEachDifference() throws IOException {
    Path output = dir.resolve("results");
    ExperimentSettings stored = TinyExperiments.settings().build();
    new ResultsFolder(output).writeSettings(stored.identity("small"), stored);
    ExperimentSettings changed =
        TinyExperiments.settings().epochs(3).source(6, 7, 8, 9).seed(7).build();

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                experiment(changed, output, new TinyExperiments.SmallModelFactory(), true)
                    .run(TinyExperiments.TRAIN, TinyExperiments.TEST));

    String message = e.getMessage();
    assertTrue(message.contains("contains a different experiment"), message);
    assertTrue(message.contains("--source is 5-9 there but 6-9 now"), message);
    assertTrue(message.contains("--seed is 100 there but 7 now"), message);
    assertTrue(message.contains("--epochs is 2 there but 3 now"), message);
    assertFalse(message.contains("--batch-size"), message);
    assertFalse(Files.exists(output.resolve("runs")));
  }

  @Test
  void resumeAcceptsMoreSeedsAndOtherSizes() throws IOException {
    Path output = dir.resolve("results");
    ExperimentSettings stored = TinyExperiments.settings().build();
    new ResultsFolder(output).writeSettings(stored.identity("small"), stored);
    ExperimentSettings more =
        TinyExperiments.settings().seeds(5).samplesPerClass(List.of(1, 2)).build();

    experiment(more, output, new TinyExperiments.SmallModelFactory(), true).checkOutput();
  }

  @Test
  void differentModelIsADifferentExperiment() throws IOException {
    Path output = dir.resolve("results");
    ExperimentSettings settings = TinyExperiments.settings().build();
    new ResultsFolder(output).writeSettings(settings.identity("notebook"), settings);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                experiment(settings, output, new TinyExperiments.SmallModelFactory(), true)
                    .checkOutput());

    assertTrue(
        e.getMessage().contains("the model is notebook there but small now"), e.getMessage());
  }

  @Test
  void settingAddedLaterGetsItsDefault() throws IOException {
    Path output = dir.resolve("results");
    ExperimentSettings settings = TinyExperiments.settings().build();
    Map<String, Object> withoutHead = new LinkedHashMap<>(settings.identity("small"));
    withoutHead.remove("head");
    new ResultsFolder(output).writeSettings(withoutHead, settings);

    experiment(settings, output, new TinyExperiments.SmallModelFactory(), true).checkOutput();
    ExperimentSettings newHead = TinyExperiments.settings().newHead(true).build();
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                experiment(newHead, output, new TinyExperiments.SmallModelFactory(), true)
                    .checkOutput());

    assertTrue(e.getMessage().contains("--head is pretrained there but new now"), e.getMessage());
  }

  @Test
  void storedSeedIsReadBack() throws IOException {
    Path output = dir.resolve("results");
    ExperimentSettings settings = TinyExperiments.settings().seed(4242).build();
    new ResultsFolder(output).writeSettings(settings.identity("small"), settings);

    assertEquals(OptionalLong.of(4242), ResultsFolder.storedSeed(output));
    assertEquals(OptionalLong.empty(), ResultsFolder.storedSeed(dir.resolve("absent")));
  }

  @Test
  void secondExperimentInLockedFolderIsRejected() throws IOException {
    ResultsFolder folder = new ResultsFolder(dir.resolve("results"));
    try (Closeable lock = folder.lock()) {
      InvalidInputException e = assertThrows(InvalidInputException.class, folder::lock);
      assertTrue(e.getMessage().contains("another experiment is running in"), e.getMessage());
    }
    folder.lock().close();
  }

  @Test
  void runFileOfOtherFormatVersionIsRejected() throws IOException {
    Path file = dir.resolve("run.json");
    Files.writeString(file, "{\"format_version\": 2}");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> JsonFiles.read(file, RunResult.class));

    assertTrue(e.getMessage().contains("has format_version 2"), e.getMessage());
    assertTrue(e.getMessage().contains("reads only version 1"), e.getMessage());
  }
}
