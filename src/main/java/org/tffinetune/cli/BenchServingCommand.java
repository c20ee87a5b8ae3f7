package org.tffinetune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.tffinetune.InvalidInputException;
import org.tffinetune.serving.ModelServer;
import org.tffinetune.serving.ServingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs {@link ServingBenchmark} and prints its Markdown tables. */
@Command(
    name = "bench-serving",
    mixinStandardHelpOptions = true,
    description = {
      "Measure serving speed: in-process Predictor throughput per batch size, then REST server"
          + " requests per second with p50 and p99 latency per number of concurrent clients on"
          + " loopback. Prints Markdown tables.",
      "Without --model, benchmarks a network shaped like the notebook's (Conv2D 32 3x3 twice,"
          + " MaxPool 2x2, Dense 128, Dense 5) with random weights."
    })
public final class BenchServingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", description = "SavedModel folder to benchmark.")
  Path model;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "3",
      description = "Unmeasured seconds before each measurement (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Measured seconds per table row (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,32,256",
      description = "In-process batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(
      names = "--clients",
      split = ",",
      defaultValue = "1,8,32",
      description = "Concurrent HTTP client counts (default: ${DEFAULT-VALUE}).")
  List<Integer> clients;

  @Option(
      names = "--max-batch-size",
      defaultValue = "" + ModelServer.MAX_BATCH_SIZE_DEFAULT,
      description = "Server's maximum batch size (default: ${DEFAULT-VALUE}).")
  int maxBatchSize;

  @Option(
      names = "--batch-timeout-ms",
      defaultValue = "2",
      description = "Server's batch timeout in milliseconds (default: ${DEFAULT-VALUE}).")
  long batchTimeoutMillis;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (warmUpSeconds < 0 || seconds < 1) {
      throw new InvalidInputException(
          "--warmup-seconds must be 0 or more and --seconds at least 1; found "
              + warmUpSeconds
              + " and "
              + seconds);
    }
    if (batchSizes.stream().anyMatch(size -> size < 1) || clients.stream().anyMatch(n -> n < 1)) {
      throw new InvalidInputException(
          "--batch-sizes and --clients must be positive; found " + batchSizes + " and " + clients);
    }
    PrintWriter out = spec.commandLine().getOut();
    ServingBenchmark.run(
        new ServingBenchmark.Options(
            model,
            Duration.ofSeconds(warmUpSeconds),
            Duration.ofSeconds(seconds),
            batchSizes,
            clients,
            maxBatchSize,
            Duration.ofMillis(batchTimeoutMillis)),
        out);
    out.flush();
    return 0;
  }
}
