package org.tffinetune.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.cli.Main;

/** Runs {@code bin/finetune experiment} through {@link Main#execute} and checks exit statuses. */
class ExperimentCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void captureOutput() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreOutput() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private int execute(String... args) {
    List<String> all = new ArrayList<>(List.of("experiment"));
    all.addAll(List.of(args));
    return Main.execute(all.toArray(String[]::new));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path data() throws IOException {
    return TinyExperiments.writeIdxDirectory(
        dir.resolve("mnist"), TinyExperiments.TRAIN, TinyExperiments.TEST);
  }

  /** Arguments of a run of the notebook model that takes a few seconds. */
  private List<String> tinyRun(Path data, Path output) {
    return List.of(
        "--data", data.toString(),
        "--output", output.toString(),
        "--epochs", "1",
        "--seeds", "1",
        "--seed", "3",
        "--samples", "2,all",
        "--limit", "40",
        "--intra-op-threads", "1",
        "--inter-op-threads", "1");
  }

  @Test
  void emptySourceExitsWith2() {
    int status = execute("--source", "");

    assertEquals(2, status);
    assertTrue(stderr().startsWith("error: --source: digit selection is empty"), stderr());
    assertFalse(stderr().contains("\tat "), stderr());
  }

  @Test
  void overlappingDigitsExitWith2() {
    int status = execute("--source", "3-7");

    assertEquals(2, status);
    assertTrue(stderr().contains("--source 3-7 and --target 0-4 share digits 3-4"), stderr());
  }

  @Test
  void malformedSamplesExitWith2() {
    int status = execute("--samples", "10,x");

    assertEquals(2, status);
    assertTrue(stderr().contains("'x' is neither a positive number"), stderr());
  }

  @Test
  void unknownHeadExitsWith2() {
    int status = execute("--head", "random");

    assertEquals(2, status);
    assertTrue(stderr().contains("--head must be 'pretrained' or 'new', found 'random'"), stderr());
  }

  @Test
  void tooManySamplesExitWith2NamingDigit() throws IOException {
    Path output = dir.resolve("results");

    int status =
        execute("--data", data().toString(), "--output", output.toString(), "--samples", "10,40");

    assertEquals(2, status);
    assertTrue(stderr().contains("target digit 0 has only 30"), stderr());
    assertFalse(Files.exists(output), "nothing is written for invalid input");
  }

  @Test
  void nonEmptyOutputWithoutResumeExitsWith2() throws IOException {
    Path output = Files.createDirectories(dir.resolve("results"));
    Files.writeString(output.resolve("old.txt"), "x");

    int status = execute("--output", output.toString(), "--seed", "1");

    assertEquals(2, status);
    assertTrue(stderr().contains("pass --resume"), stderr());
  }

  @Test
  void runsResumesAndRejectsChangedSettings() throws IOException {
    Path data = data();
    Path output = dir.resolve("results");
    List<String> args = tinyRun(data, output);

    int first = execute(args.toArray(String[]::new));

    assertEquals(0, first, stderr());
    String report = Files.readString(output.resolve(ReportWriter.MARKDOWN_FILE));
    assertTrue(report.contains("bin/finetune experiment --data " + data), report);
    assertTrue(Files.isRegularFile(output.resolve(ReportWriter.HTML_FILE)));
    assertTrue(Files.isRegularFile(output.resolve(ReportWriter.JSON_FILE)));

    out.reset();
    List<String> resumed = new ArrayList<>(args);
    resumed.add("--resume");
    int second = execute(resumed.toArray(String[]::new));

    assertEquals(0, second, stderr());
    String console = out.toString(StandardCharsets.UTF_8);
    assertEquals(6, console.split("finished earlier", -1).length - 1, console);

    List<String> changed = new ArrayList<>(resumed);
    changed.set(changed.indexOf("--epochs") + 1, "2");
    int third = execute(changed.toArray(String[]::new));

    assertEquals(2, third);
    assertTrue(
        stderr().contains("contains a different experiment: --epochs is 1 there but 2 now"),
        stderr());
  }

  @Test
  void resumeWithoutSeedUsesStoredSeed() throws IOException {
    Path output = dir.resolve("results");
    ExperimentSettings stored =
        ExperimentSettings.builder().seed(77).epochs(1).samplesPerClass(List.of(2)).build();
    new ResultsFolder(output).writeSettings(stored.identity("notebook"), stored);

    // --epochs 2 differs from the stored value, so the command stops before loading data.
    int status =
        execute("--output", output.toString(), "--resume", "--epochs", "2", "--samples", "2");

    assertEquals(2, status);
    assertTrue(stderr().contains("Seed: 77 (stored in " + output + ")"), stderr());
    assertFalse(stderr().contains("--seed is"), stderr());
    assertTrue(stderr().contains("--epochs is 1 there but 2 now"), stderr());
  }

  @Test
  void helpListsExperimentOptions() {
    int status = execute("--help");

    String help = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status);
    for (String option :
        List.of(
            "--source",
            "--target",
            "--seeds",
            "--samples",
            "--pretrain-epochs",
            "--resume",
            "--allow-overlap",
            "--head",
            "--output",
            "--epochs")) {
      assertTrue(help.contains(option), option);
    }
  }
}
