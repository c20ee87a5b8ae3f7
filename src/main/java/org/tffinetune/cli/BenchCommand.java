package org.tffinetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.TensorFlow;
import org.tffinetune.InvalidInputException;
import org.tffinetune.bench.TrainingBenchmark;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.models.Devices;
import org.tffinetune.saving.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the training and inference benchmark and prints Markdown tables. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark training steps (full, graph-only, frozen, cached), fine-tuning epochs,"
          + " prediction throughput and a notebook run's peak memory on this machine.",
      "Prints Markdown tables to stdout; figures are medians of repetitions with their range."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--data", description = "MNIST location, as for the notebook command.")
  Path data;

  @Option(
      names = "--batch-size",
      defaultValue = "128",
      description = "Training batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--repetitions",
      defaultValue = "5",
      description = "Timed repetitions per figure (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(
      names = "--steps",
      defaultValue = "30",
      description = "Training steps per repetition (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--skip-epochs", description = "Skip the whole-epoch figures (about a minute).")
  boolean skipEpochs;

  @Option(
      names = "--skip-memory",
      description = "Skip the notebook peak-memory run (about two minutes).")
  boolean skipMemory;

  @Option(names = "--json", description = "Also write the figures as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (batchSize <= 0 || repetitions <= 0 || steps <= 0) {
      throw new InvalidInputException(
          "--batch-size, --repetitions and --steps must be positive, got "
              + batchSize
              + ", "
              + repetitions
              + " and "
              + steps);
    }
    MnistDataset mnist = MnistDataset.load(data);
    System.out.println("# tf-finetune benchmark");
    System.out.println();
    System.out.println("- date: " + LocalDate.now());
    System.out.println(
        "- CPU: "
            + TrainingBenchmark.cpuModel()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores");
    System.out.println("- TensorFlow " + TensorFlow.version() + ", devices: " + Devices.list());
    System.out.println(
        "- command: bin/finetune bench --batch-size "
            + batchSize
            + " --repetitions "
            + repetitions
            + " --steps "
            + steps
            + (skipEpochs ? " --skip-epochs" : "")
            + (skipMemory ? " --skip-memory" : ""));
    System.out.println();

    TrainingBenchmark bench =
        new TrainingBenchmark(mnist, batchSize, repetitions, steps, System.out);
    bench.stepTimes();
    bench.threadSettings();
    if (!skipEpochs) {
      bench.epochTimes();
    }
    bench.predictThroughput(new int[] {1, 32, 256}, 3.0);
    if (!skipMemory) {
      Path scratch = Files.createTempDirectory("tffinetune-bench");
      bench.notebookPeakMemory(data, scratch);
    }

    if (json != null) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("cpu", TrainingBenchmark.cpuModel());
      all.put("cores", Runtime.getRuntime().availableProcessors());
      all.put("results", bench.results());
      AtomicFiles.write(
          json,
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(all));
    }
    return 0;
  }
}
