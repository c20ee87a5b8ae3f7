package org.tffinetune.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;
import org.tffinetune.saving.ModelConfig;
import org.tffinetune.serving.ClassScore;
import org.tffinetune.serving.ModelVersions;
import org.tffinetune.serving.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Classifies image files with a SavedModel and prints the most probable classes per image. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Classify PNG or JPEG images with a SavedModel and print the top classes per image, one"
          + " line each: IMAGE: CLASS (PROBABILITY), ...",
      "Images are converted to grayscale and scaled to the model's input size, with pixels in"
          + " [0, 1]."
    })
public final class PredictCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PredictCommand.class);

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "SavedModel folder, or a folder of numbered version folders (the highest complete"
              + " version is used).")
  Path model;

  @Option(
      names = "--top-k",
      defaultValue = "3",
      paramLabel = "K",
      description = "Number of classes to print per image (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--invert",
      description =
          "Invert the images: use it for dark digits on a light background, because MNIST"
              + " models expect light digits on a dark background.")
  boolean invert;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files.")
  List<Path> images;

  @Override
  public Integer call() {
    if (topK < 1) {
      throw new InvalidInputException("--top-k must be at least 1, found " + topK);
    }
    Path modelDir = resolveModelDir(model);
    PrintWriter out = spec.commandLine().getOut();
    List<String> names = ModelConfig.readClassNames(modelDir);
    try (Predictor predictor = Predictor.open(modelDir)) {
      float[][] probabilities = predictor.predictImageFiles(images, invert);
      for (int i = 0; i < images.size(); i++) {
        out.println(images.get(i) + ": " + format(ClassScore.topK(probabilities[i], topK), names));
      }
    }
    out.flush();
    return 0;
  }

  private static Path resolveModelDir(Path dir) {
    if (ModelVersions.isSavedModel(dir) || !Files.isDirectory(dir)) {
      return dir;
    }
    List<Long> versions = ModelVersions.completeVersions(dir);
    if (versions.isEmpty()) {
      return dir;
    }
    LOG.info("Using version {} of {}", versions.get(0), dir);
    return ModelVersions.versionDir(dir, versions.get(0));
  }

  private static String format(List<ClassScore> scores, List<String> names) {
    StringBuilder text = new StringBuilder();
    for (ClassScore score : scores) {
      if (text.length() > 0) {
        text.append(", ");
      }
      int index = score.classIndex();
      String label =
          names != null && index < names.size() ? names.get(index) : Integer.toString(index);
      text.append(String.format(Locale.ROOT, "%s (%.4f)", label, score.probability()));
    }
    return text.toString();
  }
}
