package org.tffinetune.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tffinetune.saving.AtomicFiles;

/**
 * The result of {@link Sequential#fit}, as Keras's {@code History}: one value per epoch for each
 * metric ({@code loss}, {@code accuracy}, and {@code val_loss}, {@code val_accuracy} when
 * validation data was given), plus each epoch's wall time in seconds and its step count.
 */
public final class History {
  private final Map<String, List<Double>> history = new LinkedHashMap<>();
  private final List<Double> epochSeconds = new ArrayList<>();
  private final List<Integer> epochSteps = new ArrayList<>();
  private final List<Integer> epochSamples = new ArrayList<>();

  /** Records one finished epoch. */
  void addEpoch(Map<String, Double> logs, double seconds, int steps, int samples) {
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }
    epochSeconds.add(seconds);
    epochSteps.add(steps);
    epochSamples.add(samples);
  }

  /** Returns the per-epoch values of each metric, as Keras's {@code history.history}. */
  public Map<String, List<Double>> history() {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    history.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  /** Returns the values of one metric, or an empty list when it was not recorded. */
  public List<Double> get(String metric) {
    return List.copyOf(history.getOrDefault(metric, List.of()));
  }

  /** Returns the number of finished epochs. */
  public int epochs() {
    return epochSeconds.size();
  }

  /** Returns each epoch's wall time in seconds. */
  public List<Double> epochSeconds() {
    return List.copyOf(epochSeconds);
  }

  /** Returns each epoch's step count. */
  public List<Integer> epochSteps() {
    return List.copyOf(epochSteps);
  }

  /** Returns the total training time in seconds. */
  public double totalSeconds() {
    return epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Returns the mean milliseconds per step over all epochs. */
  public double millisPerStep() {
    int steps = epochSteps.stream().mapToInt(Integer::intValue).sum();
    return steps == 0 ? 0 : totalSeconds() * 1000 / steps;
  }

  /** Returns a JSON-ready map: {@code history}, {@code epoch_seconds}, {@code epoch_steps}. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("history", history());
    map.put("epoch_seconds", epochSeconds());
    map.put("epoch_steps", epochSteps());
    map.put("epoch_samples", List.copyOf(epochSamples));
    return map;
  }

  /** Writes {@link #toMap()} as JSON to {@code file}, atomically. */
  public void writeJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    AtomicFiles.write(file, mapper.writeValueAsBytes(toMap()));
  }
}
