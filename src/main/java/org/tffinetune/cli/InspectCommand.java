package org.tffinetune.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tffinetune.keras.ModelInspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints what a model folder or file contains: format, signatures, variables, Keras layers and
 * whether it can be fine-tuned.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Describe a model: its format, its SavedModel signatures with input and output names,"
          + " dtypes and shapes, its variables with shapes, its Keras layers when the model"
          + " stores them, and whether 'finetune' can train it (and why not).",
      "PATH is a SavedModel folder (written by tf-finetune, tf.keras 2.x model.save or Keras 3"
          + " model.export) or a Keras 3 .keras archive."
    })
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "Model folder or .keras file.")
  Path path;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(ModelInspection.describe(path));
    out.flush();
    return 0;
  }
}
