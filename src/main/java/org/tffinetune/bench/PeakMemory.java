package org.tffinetune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this process's peak resident memory from {@code /proc/self/status} (Linux only). */
public final class PeakMemory {
  private PeakMemory() {}

  /** Returns VmHWM in mebibytes, or -1 where {@code /proc} is not available. */
  public static long peakResidentMebibytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
