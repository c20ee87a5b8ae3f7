package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.cli.Main;

/** Runs the predict and serve sub-commands as a user would. */
class ServingCommandsTest {
  private static final Pattern SERVING_LINE =
      Pattern.compile("Serving \\{mnist=1\\} at (http://127\\.0\\.0\\.1:\\d+)");

  private record Run(int status, String out, String err) {}

  private static Run execute(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(outStream);
      System.setErr(errStream);
      status = Main.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void predictPrintsTopClassesPerImage(@TempDir Path dir) throws Exception {
    TestModels model = TestModels.exportLinear(dir.resolve("model"), 111);
    Path image = ReadmeExampleTest.writeDigitPng(dir.resolve("one.png"));

    Run run =
        execute(
            "predict",
            "--model",
            dir.resolve("model").toString(),
            "--top-k",
            "2",
            "--invert",
            image.toString());

    assertEquals(0, run.status(), run.err());
    float[] pixels = GrayscaleImages.toPixels(GrayscaleImages.read(image), 28, 28, true);
    List<ClassScore> top = ClassScore.topK(model.expected(pixels), 2);
    String expected =
        String.format(
            Locale.ROOT,
            "%s: %d (%.4f), %d (%.4f)%n",
            image,
            top.get(0).classIndex(),
            top.get(0).probability(),
            top.get(1).classIndex(),
            top.get(1).probability());
    assertEquals(expected, run.out());
  }

  @Test
  void predictUsesHighestVersionOfVersionedFolder(@TempDir Path dir) throws Exception {
    TestModels.exportLinear(dir.resolve("models/1"), 112);
    TestModels version2 = TestModels.exportLinear(dir.resolve("models/2"), 113);
    Path image = ReadmeExampleTest.writeDigitPng(dir.resolve("one.png"));

    Run run = execute("predict", "--model", dir.resolve("models").toString(), image.toString());

    assertEquals(0, run.status(), run.err());
    float[] pixels = GrayscaleImages.toPixels(GrayscaleImages.read(image), 28, 28, false);
    ClassScore best = ClassScore.topK(version2.expected(pixels), 1).get(0);
    assertTrue(
        run.out().startsWith(image + ": " + best.classIndex() + " ("),
        "output " + run.out() + " does not start with version 2's class " + best.classIndex());
  }

  @Test
  void predictRejectsMissingImage(@TempDir Path dir) throws Exception {
    TestModels.exportLinear(dir.resolve("model"), 114);

    Run run =
        execute(
            "predict",
            "--model",
            dir.resolve("model").toString(),
            dir.resolve("absent.png").toString());

    assertEquals(2, run.status());
    assertTrue(run.err().contains("error: image file not found"), run.err());
  }

  @Test
  void predictRejectsZeroTopK(@TempDir Path dir) throws Exception {
    Run run = execute("predict", "--model", dir.toString(), "--top-k", "0", "x.png");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("error: --top-k must be at least 1, found 0"), run.err());
  }

  @Test
  void serveRejectsModelWithoutName(@TempDir Path dir) {
    Run run = execute("serve", "--model", dir.toString(), "--port", "0");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("error: --model must be NAME=DIR"), run.err());
  }

  @Test
  void serveRejectsFolderWithoutModel(@TempDir Path dir) {
    Run run = execute("serve", "--model", "mnist=" + dir, "--port", "0");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("has no SavedModel"), run.err());
  }

  /**
   * Starts {@code finetune serve} in a child JVM, sends a request, then stops it with SIGTERM and
   * checks that it drains and exits.
   */
  @Test
  void serveStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    TestModels.exportLinear(dir.resolve("model"), 115);
    Path log = dir.resolve("serve.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--model",
                "mnist=" + dir.resolve("model"),
                "--port",
                "0")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      URI base = waitForServingLine(log, process);
      HttpResponse<String> response =
          new ServingClient(base)
              .post("/v1/models/mnist:predict", ServingClient.instancesBody(new float[1][784]));
      assertEquals(200, response.statusCode(), response.body());

      process.destroy();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "server did not exit within 60 s");
      // A JVM that exits through its shutdown hooks after SIGTERM reports 128 + 15.
      assertEquals(143, process.exitValue());
      String output = Files.readString(log);
      assertTrue(output.contains("Stopping server at " + base), output);
      assertTrue(output.contains("Unloaded model mnist version 1"), output);
      assertTrue(output.contains("Server stopped"), output);
    } finally {
      process.destroyForcibly();
    }
  }

  private static URI waitForServingLine(Path log, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher matcher = SERVING_LINE.matcher(Files.readString(log));
      if (matcher.find()) {
        return URI.create(matcher.group(1));
      }
      assertTrue(process.isAlive(), "server exited early: " + Files.readString(log));
      Thread.sleep(50);
    }
    throw new AssertionError(
        "server did not log its address within 60 s: " + Files.readString(log));
  }
}
