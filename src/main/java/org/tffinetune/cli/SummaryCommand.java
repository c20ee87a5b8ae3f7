package org.tffinetune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tffinetune.models.Sequential;
import org.tffinetune.notebook.NotebookModel;
import org.tffinetune.saving.SavedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints Keras's summary table of a saved model, or of the notebook's network. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description =
        "Print Keras's summary table of a SavedModel written by this tool, or of the"
            + " notebook's network when --model is not given.")
final class SummaryCommand implements Callable<Integer> {
  @Option(names = "--model", description = "SavedModel folder.")
  Path model;

  @Option(
      names = "--freeze-until",
      description = "Show the counts with layers up to and including this one frozen.")
  String freezeUntil;

  @Override
  public Integer call() {
    try (Sequential m = model == null ? NotebookModel.build(5, 0) : SavedModels.load(model)) {
      if (freezeUntil != null) {
        try {
          org.tffinetune.models.Freezing.freezeUntil(m, freezeUntil);
        } catch (IllegalArgumentException e) {
          throw new org.tffinetune.InvalidInputException(e.getMessage(), e);
        }
      }
      System.out.print(m.summary());
    }
    return 0;
  }
}
