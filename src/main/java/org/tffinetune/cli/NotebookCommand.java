package org.tffinetune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.notebook.Notebook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the whole Keras transfer-learning notebook: both directions, four phases. */
@Command(
    name = "notebook",
    mixinStandardHelpOptions = true,
    description = {
      "Reproduce Keras's MNIST transfer-learning notebook: train on digits 5-9, freeze the"
          + " feature layers and fine-tune the head on 0-4, then the reverse.",
      "Writes a SavedModel per phase, each phase's history as JSON and a chart to --output."
    })
final class NotebookCommand implements Callable<Integer> {
  @Mixin TrainingOptions training;

  @Option(
      names = "--output",
      defaultValue = "models",
      description = "Folder for the SavedModels and histories (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--overwrite", description = "Replace model folders left by an earlier run.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    Notebook.Settings settings =
        new Notebook.Settings(
            training.epochs,
            training.batchSize,
            training.validate(),
            training.seedOrRandom(),
            training.limit,
            output,
            overwrite,
            !training.noCache,
            training.intraOpThreads,
            training.interOpThreads);
    Outputs.checkWritableFolder(output);
    for (String name : Notebook.MODEL_FOLDERS) {
      Outputs.checkModelTarget(output.resolve(name), overwrite);
    }
    MnistDataset data = MnistDataset.load(training.data);
    System.out.println("Data: " + data.source());
    new Notebook(settings, System.out).run(data);
    long peak = org.tffinetune.bench.PeakMemory.peakResidentMebibytes();
    if (peak >= 0) {
      System.out.println("Peak resident memory: " + peak + " MiB");
    }
    return 0;
  }
}
