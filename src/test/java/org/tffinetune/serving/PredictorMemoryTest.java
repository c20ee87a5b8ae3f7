package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that single predictions release their native memory. Every call allocates an input tensor,
 * a Result and an output tensor outside the Java heap, so a missed close shows up as resident
 * memory that grows with the number of calls.
 *
 * <p>The loop runs in a child JVM whose heap is fixed and touched at start ({@code -Xms} equal to
 * {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), so that heap resizing cannot hide or fake growth. The
 * child also runs with {@code org.bytedeco.javacpp.nopointergc=true}: without it, JavaCPP frees
 * unclosed tensors when the garbage collector finds them, which hides a missed close.
 */
class PredictorMemoryTest {
  private static final int WARM_UP_CALLS = 30_000;
  private static final int MEASURED_CALLS = 100_000;

  /**
   * Bound on resident memory growth, in KiB, from the warm-up to the end of the measured calls.
   *
   * <p>Growth is the lowest of the last three samples minus the highest warm-up sample. Resident
   * memory moves in steps of up to 12 MiB while the JIT compiler and malloc arenas settle. Those
   * steps go down as well as up, so comparing the lowest late sample with the highest early one
   * keeps them from failing the test. A leak grows steadily instead. Leaving one Result unclosed
   * per call leaks its output tensor, about 110 bytes, which measured 7 to 9 MiB of growth on a
   * 2-core x86-64 Linux machine. One leaked 3,136-byte input tensor per call would add over 200
   * MiB. The 4 MiB bound catches any leak above about 60 bytes per call over the 70,000 calls
   * before the third-last sample.
   */
  private static final long MAX_GROWTH_KIB = 4 * 1024;

  @Test
  void singlePredictionsKeepResidentMemoryFlat(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc/self/status");
    TestModels.exportLinear(dir.resolve("m"), 11);
    String output = runPredictionLoop(dir.resolve("m"));

    Matcher matcher = Pattern.compile("warm_up=([\\d,]+) measured=([\\d,]+)").matcher(output);
    assertTrue(matcher.find(), "prediction loop output: " + output);
    long[] warmUp = parse(matcher.group(1));
    long[] measured = parse(matcher.group(2));
    assertEquals(MEASURED_CALLS / PredictionLoop.SAMPLE_EVERY, measured.length, output);
    long baseline = Arrays.stream(warmUp).max().orElseThrow();
    long last = Arrays.stream(measured, measured.length - 3, measured.length).min().orElseThrow();
    assertTrue(
        last - baseline < MAX_GROWTH_KIB,
        "resident memory grew by "
            + (last - baseline)
            + " KiB over "
            + MEASURED_CALLS
            + " predictions; expected under "
            + MAX_GROWTH_KIB
            + " KiB; samples: "
            + output);
  }

  private static String runPredictionLoop(Path modelDir) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output = modelDir.resolveSibling("loop-output.txt");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xms256m",
                    "-Xmx256m",
                    "-XX:+AlwaysPreTouch",
                    "-Dorg.bytedeco.javacpp.nopointergc=true",
                    "-cp",
                    System.getProperty("java.class.path"),
                    PredictionLoop.class.getName(),
                    modelDir.toString(),
                    Integer.toString(WARM_UP_CALLS),
                    Integer.toString(MEASURED_CALLS)))
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      assertTrue(process.waitFor(5, TimeUnit.MINUTES), "prediction loop timed out after 5 min");
    } finally {
      process.destroyForcibly();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), "prediction loop exit status; output: " + text);
    return text;
  }

  private static long[] parse(String csv) {
    return Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
  }
}
