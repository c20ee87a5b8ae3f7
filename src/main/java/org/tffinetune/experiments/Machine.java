package org.tffinetune.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.TensorFlow;

/** Describes the machine and software that ran an experiment, for the report. */
final class Machine {
  /** Display names of the keys that {@link #describe()} returns. */
  static final Map<String, String> LABELS =
      Map.of(
          "date", "Date",
          "cpu", "CPU",
          "logical_cpus", "Logical CPUs",
          "os", "Operating system",
          "java", "Java",
          "tensorflow", "TensorFlow");

  private Machine() {}

  /**
   * Returns the date, CPU model, logical CPU count, operating system, Java and TensorFlow versions,
   * keyed by snake_case names.
   */
  static Map<String, String> describe() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put(
        "date", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
    machine.put("cpu", cpuModel());
    machine.put("logical_cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")");
    machine.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    machine.put("tensorflow", TensorFlow.version());
    return machine;
  }

  /** Returns the first {@code model name} of {@code /proc/cpuinfo}, or "unknown" elsewhere. */
  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      if (Files.isReadable(cpuinfo)) {
        List<String> lines = Files.readAllLines(cpuinfo);
        for (String line : lines) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      }
    } catch (IOException e) {
      // The CPU model is informational, so the report shows "unknown" instead.
    }
    return "unknown";
  }
}
