package org.tffinetune.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.tffinetune.InvalidInputException;

/**
 * The layout of an experiment's results folder:
 *
 * <pre>
 * experiment.json                       settings, compared when resuming
 * pretrained/seed-S/                    SavedModel pretrained on the source digits
 * pretrained/seed-S.json                its {@link PretrainResult}
 * runs/seed-S/ARM-N.json                one {@link RunResult}, N a count or "all"
 * results.json, report.md, report.html  the report, rewritten at the end of every invocation
 * img/*.png                             the report's charts
 * </pre>
 *
 * <p>Every file is written to a temporary name and renamed, so a file that exists is complete.
 */
public final class ResultsFolder {
  /** Name of the settings file. */
  public static final String EXPERIMENT_FILE = "experiment.json";

  private static final String LOCK_FILE = ".lock";

  /**
   * Values of settings added after the first format version, assumed for an {@code experiment.json}
   * written before them.
   */
  private static final Map<String, String> ADDED_SETTINGS = Map.of("head", "pretrained");

  private final Path dir;

  /** Creates a view of the folder {@code dir}, which need not exist yet. */
  public ResultsFolder(Path dir) {
    this.dir = dir;
  }

  /** Returns the folder. */
  public Path dir() {
    return dir;
  }

  /**
   * Returns the first seed stored in the folder's {@code experiment.json}, if there is one, so that
   * a resumed experiment keeps the seed that was drawn at random when it started.
   */
  public static OptionalLong storedSeed(Path dir) throws IOException {
    Path file = dir.resolve(EXPERIMENT_FILE);
    if (!Files.isRegularFile(file)) {
      return OptionalLong.empty();
    }
    JsonNode seed = JsonFiles.readTree(file).path("settings").path("seed");
    return seed.canConvertToLong() ? OptionalLong.of(seed.asLong()) : OptionalLong.empty();
  }

  /**
   * Checks that the folder can receive this experiment, without changing anything: it is missing or
   * empty, or {@code resume} is set and its {@code experiment.json} has the same settings.
   *
   * @throws InvalidInputException when the folder is not empty and {@code resume} is false, when it
   *     contains no {@code experiment.json} to resume, or when the stored settings differ from
   *     {@code identity}, naming each differing setting with both values
   */
  public void check(Map<String, Object> identity, boolean resume) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InvalidInputException("--output " + dir + " exists and is not a folder");
    }
    if (isEmpty()) {
      return;
    }
    if (!resume) {
      throw new InvalidInputException(
          "results folder "
              + dir
              + " is not empty; pass --resume to continue the experiment in it, or choose"
              + " another --output");
    }
    Path file = dir.resolve(EXPERIMENT_FILE);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(
          "cannot resume in "
              + dir
              + ": it is not empty but has no "
              + EXPERIMENT_FILE
              + ", so it contains no experiment; choose another --output");
    }
    List<String> differences = differences(JsonFiles.readTree(file).path("settings"), identity);
    if (!differences.isEmpty()) {
      throw new InvalidInputException(
          "results folder "
              + dir
              + " contains a different experiment: "
              + String.join("; ", differences)
              + ". Pass the stored settings to resume it, or choose another --output");
    }
  }

  private static List<String> differences(JsonNode stored, Map<String, Object> identity) {
    JsonNode current = JsonFiles.MAPPER.valueToTree(identity);
    List<String> result = new ArrayList<>();
    for (Iterator<String> names = current.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      // Compared as text, because JSON numbers read back as int or long by size.
      String now = current.get(name).asText();
      JsonNode before = stored.get(name);
      String then =
          before != null ? before.asText() : ADDED_SETTINGS.getOrDefault(name, "(missing)");
      if (!now.equals(then)) {
        result.add(optionName(name) + " is " + then + " there but " + now + " now");
      }
    }
    return result;
  }

  private static String optionName(String jsonName) {
    return jsonName.equals("model") ? "the model" : "--" + jsonName.replace('_', '-');
  }

  private boolean isEmpty() throws IOException {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      // The lock file alone is what an invocation that failed before writing anything leaves.
      return entries.noneMatch(p -> !p.getFileName().toString().equals(LOCK_FILE));
    }
  }

  /**
   * Creates the folder and takes an exclusive lock on it, held until the returned handle is closed.
   *
   * @throws InvalidInputException when another experiment holds the lock
   */
  public Closeable lock() throws IOException {
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(
            dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      // Closing the channel releases the lock.
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new InvalidInputException(
          "another experiment is running in "
              + dir
              + "; wait for it to finish or choose another --output");
    }
    return channel;
  }

  /** Writes {@code experiment.json}: the settings, the seed count and the sizes. */
  public void writeSettings(Map<String, Object> identity, ExperimentSettings settings)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format_version", JsonFiles.FORMAT_VERSION);
    root.put("settings", identity);
    root.put("seeds", settings.seeds());
    root.put("samples_per_class", SampleSizes.format(settings.samplesPerClass()));
    root.put("updated", Instant.now().toString());
    JsonFiles.write(dir.resolve(EXPERIMENT_FILE), root);
  }

  /** Returns the SavedModel folder pretrained with {@code seed}. */
  public Path pretrainedModel(long seed) {
    return dir.resolve("pretrained").resolve("seed-" + seed);
  }

  /** Returns the record of the pretraining with {@code seed}. */
  public Path pretrainRecord(long seed) {
    return dir.resolve("pretrained").resolve("seed-" + seed + ".json");
  }

  /** Returns the file of one run. */
  public Path runRecord(long seed, int samplesPerClass, Arm arm) {
    return dir.resolve("runs")
        .resolve("seed-" + seed)
        .resolve(arm.id() + "-" + SampleSizes.label(samplesPerClass) + ".json");
  }

  /** Returns the folder of the report's charts. */
  public Path imageDir() {
    return dir.resolve("img");
  }
}
