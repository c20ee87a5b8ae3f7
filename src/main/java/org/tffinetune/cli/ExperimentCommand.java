package org.tffinetune.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.Digits;
import org.tffinetune.data.MnistDataset;
import org.tffinetune.experiments.Experiment;
import org.tffinetune.experiments.ExperimentSettings;
import org.tffinetune.experiments.ResultsFolder;
import org.tffinetune.experiments.SampleSizes;
import org.tffinetune.optimizers.OptimizerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compares transfer, fine-tuning of every layer and training from scratch over seeds and sizes. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Pretrain on the source digits, then train three arms on the target digits: transfer"
          + " (pretrained features frozen, head trained), fine-tune-all (pretrained weights, every"
          + " layer trained) and scratch (random weights). Repeats this for several seeds and"
          + " training-set sizes and writes report.md, report.html and results.json.",
      "Every finished run is kept in the output folder; --resume continues an interrupted"
          + " experiment there."
    })
final class ExperimentCommand implements Callable<Integer> {
  /** Arguments that need no shell quoting in the printed command line. */
  private static final Pattern PLAIN_ARGUMENT = Pattern.compile("[A-Za-z0-9_./=,:+@%-]+");

  @Spec CommandSpec spec;

  @Mixin TrainingOptions training;

  @Option(
      names = "--source",
      defaultValue = ExperimentSettings.SOURCE_DEFAULT,
      description = "Digits to pretrain on, such as 5-9 (default: ${DEFAULT-VALUE}).")
  String source;

  @Option(
      names = "--target",
      defaultValue = ExperimentSettings.TARGET_DEFAULT,
      description = "Digits that the three arms learn, such as 0-4 (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--allow-overlap",
      description = "Allow source and target digits to share digits.")
  boolean allowOverlap;

  @Option(
      names = "--seeds",
      defaultValue = "3",
      description =
          "Number of seeds; seed i is --seed + i, and each seed pretrains once"
              + " (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(
      names = "--samples",
      defaultValue = "10,50,100,500,all",
      description =
          "Training-set sizes in labelled images per class, drawn balanced from each seed; 'all'"
              + " uses every training image of the target digits (default: ${DEFAULT-VALUE}).")
  String samples;

  @Option(
      names = "--pretrain-epochs",
      description = "Epochs of pretraining on the source digits (default: --epochs).")
  Integer pretrainEpochs;

  @Option(
      names = "--output",
      description =
          "Results folder (default: experiments/SOURCE-to-TARGET, such as"
              + " experiments/5-9-to-0-4).")
  Path output;

  @Option(
      names = "--head",
      defaultValue = "pretrained",
      description =
          "Head of the transfer and fine-tune-all arms: 'pretrained' keeps the pretrained layers"
              + " after the features, as the notebook does; 'new' starts them from random weights"
              + " (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(
      names = "--resume",
      description =
          "Continue the experiment in a non-empty --output folder: finished runs are read, not"
              + " trained again. The settings must match the stored ones; without --seed the"
              + " stored seed is used.")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    int[] sourceDigits = parseDigits("--source", source);
    int[] targetDigits = parseDigits("--target", target);
    List<Integer> sizes = SampleSizes.parse(samples);
    OptimizerSpec optimizer = training.validate();
    if (pretrainEpochs != null && pretrainEpochs <= 0) {
      throw new InvalidInputException(
          "--pretrain-epochs must be positive, found " + pretrainEpochs);
    }
    if (!head.equals("pretrained") && !head.equals("new")) {
      throw new InvalidInputException("--head must be 'pretrained' or 'new', found '" + head + "'");
    }
    Path folder = output != null ? output : defaultOutput(sourceDigits, targetDigits);

    ExperimentSettings settings =
        ExperimentSettings.builder()
            .source(sourceDigits)
            .target(targetDigits)
            .allowOverlap(allowOverlap)
            .seeds(seeds)
            .seed(seed(folder))
            .samplesPerClass(sizes)
            .epochs(training.epochs)
            .pretrainEpochs(pretrainEpochs == null ? 0 : pretrainEpochs)
            .batchSize(training.batchSize)
            .optimizer(optimizer)
            .limit(training.limit)
            .cacheFrozenFeatures(!training.noCache)
            .newHead(head.equals("new"))
            .threads(training.intraOpThreads, training.interOpThreads)
            .build();
    Experiment.Builder experiment =
        Experiment.builder(settings, folder).resume(resume).command(commandLine());
    experiment.build().checkOutput();

    MnistDataset data = MnistDataset.load(training.data);
    experiment.dataSource(data.source()).build().run(data.train(), data.test());
    return 0;
  }

  private static int[] parseDigits(String option, String text) {
    try {
      return Digits.parse(text);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(option + ": " + e.getMessage(), e);
    }
  }

  static Path defaultOutput(int[] source, int[] target) {
    return Path.of(
        "experiments",
        Digits.format(source).replace(',', '_') + "-to-" + Digits.format(target).replace(',', '_'));
  }

  /** Returns --seed, else the seed stored in a folder being resumed, else a random one. */
  private long seed(Path folder) throws IOException {
    if (training.seed == null && resume) {
      OptionalLong stored = ResultsFolder.storedSeed(folder);
      if (stored.isPresent()) {
        System.err.println("Seed: " + stored.getAsLong() + " (stored in " + folder + ")");
        return stored.getAsLong();
      }
    }
    return training.seedOrRandom();
  }

  /** Returns the command as typed, with arguments quoted for a POSIX shell where needed. */
  private String commandLine() {
    List<String> words = new ArrayList<>(List.of("bin/finetune"));
    for (String arg : spec.root().commandLine().getParseResult().originalArgs()) {
      words.add(
          PLAIN_ARGUMENT.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }
}
