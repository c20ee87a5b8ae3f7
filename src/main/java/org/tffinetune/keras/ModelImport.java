package org.tffinetune.keras;

import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.models.Sequential;
import org.tffinetune.saving.SavedModels;

/**
 * Loads a model for fine-tuning from any format this project reads, detected with {@link
 * ModelFormat#detect}: this project's SavedModels, tf.keras 2.x SavedModels and Keras 3 {@code
 * .keras} archives. Other SavedModels are rejected with the reason.
 */
public final class ModelImport {
  private static final Logger LOG = LoggerFactory.getLogger(ModelImport.class);

  private ModelImport() {}

  /**
   * Rebuilds the model at {@code path} with its weights, ready to compile and train. The model is
   * not compiled, and its layers keep the {@code trainable} flags stored in the file.
   *
   * @param path a SavedModel folder or a {@code .keras} file
   * @throws InvalidInputException when the path is missing, of another format, corrupt, contains an
   *     unsupported layer or weights that do not match the architecture, or is a SavedModel without
   *     a Keras config (prediction only)
   */
  public static Sequential loadForTraining(Path path) {
    Path model = path.toAbsolutePath().normalize();
    ModelFormat format = ModelFormat.detect(model);
    LOG.info("Importing {} ({})", model, format.description());
    return switch (format) {
      case TFFINETUNE_SAVED_MODEL -> SavedModels.load(model);
      case KERAS2_SAVED_MODEL -> KerasSavedModelImport.load(model);
      case KERAS3_ARCHIVE -> loadKerasArchive(model);
      case OTHER_SAVED_MODEL -> throw new InvalidInputException(format.notTrainableReason(model));
    };
  }

  private static Sequential loadKerasArchive(Path file) {
    try (KerasArchive archive = KerasArchive.open(file)) {
      Sequential model = KerasConfig.rebuild(archive.config(), archive.source(KerasArchive.CONFIG));
      String weightsSource = archive.source(KerasArchive.WEIGHTS);
      ImportedWeights imported = new ImportedWeights(model, weightsSource);
      archive.readWeights(
          hdf -> {
            KerasH5Weights.read(hdf, model, imported, weightsSource);
            return null;
          });
      imported.applyToModel();
      return model;
    }
  }

  /**
   * Checks that {@code model} takes MNIST-shaped images: input (28, 28, 1), or any shape of 784
   * values, as the image commands feed.
   *
   * @param source the model path, named in the message
   * @param command the command that needs image input, such as {@code golden}
   * @throws InvalidInputException naming the model, its input shape and the expected one
   */
  public static void requireImageInput(Sequential model, String source, String command) {
    long[] shape = model.inputShape();
    long[] mnist = {LabeledImages.IMAGE_HEIGHT, LabeledImages.IMAGE_WIDTH, 1};
    if (!Arrays.equals(shape, mnist) && Weight.elementCount(shape) != LabeledImages.IMAGE_PIXELS) {
      throw new InvalidInputException(
          command
              + " feeds 28x28 grayscale images, shape (None, 28, 28, 1), but the model "
              + source
              + " takes input "
              + Layer.formatShape(shape));
    }
  }
}
