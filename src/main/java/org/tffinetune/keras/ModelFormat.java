package org.tffinetune.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.tffinetune.InvalidInputException;
import org.tffinetune.saving.ModelConfig;
import org.tffinetune.saving.SavedModels;

/** The model formats that {@link ModelImport} distinguishes. */
public enum ModelFormat {
  /** A SavedModel written by this project, with {@code assets/tffinetune_model.json}. */
  TFFINETUNE_SAVED_MODEL("tf-finetune SavedModel (assets/" + ModelConfig.FILE_NAME + ")"),

  /** A SavedModel written by tf.keras 2.x {@code model.save(dir)}, with keras_metadata.pb. */
  KERAS2_SAVED_MODEL("tf.keras (Keras 2) SavedModel (" + KerasMetadata.FILE_NAME + ")"),

  /** A Keras 3 {@code .keras} zip archive with config.json and model.weights.h5. */
  KERAS3_ARCHIVE("Keras 3 .keras archive (config.json, model.weights.h5)"),

  /**
   * A SavedModel without a Keras model config, as written by Keras 3's {@code model.export()} or
   * {@code tf.saved_model.save}: usable for prediction through its signatures only.
   */
  OTHER_SAVED_MODEL("SavedModel without a Keras model config");

  private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private final String description;

  ModelFormat(String description) {
    this.description = description;
  }

  /** Returns a one-line description for people, such as {@code Keras 3 .keras archive (...)}. */
  public String description() {
    return description;
  }

  /** Returns true when models of this format can be rebuilt for training. */
  public boolean isTrainable() {
    return this != OTHER_SAVED_MODEL;
  }

  /**
   * Returns why a model of this format cannot be fine-tuned, or null when it can.
   *
   * @param path the model, named in the text
   */
  public String notTrainableReason(Path path) {
    if (isTrainable()) {
      return null;
    }
    return path
        + " is a SavedModel without a Keras model config: it has neither "
        + KerasMetadata.FILE_NAME
        + " (tf.keras 2.x) nor assets/"
        + ModelConfig.FILE_NAME
        + " (tf-finetune), as written by Keras 3's model.export() or tf.saved_model.save()."
        + " It stores only the serving graph, so its layers cannot be rebuilt for training;"
        + " it can be used for prediction through its signatures. To fine-tune it, pass the"
        + " .keras archive or tf.keras SavedModel that it was exported from";
  }

  /**
   * Detects the format of a model folder or file.
   *
   * @throws InvalidInputException when the path does not exist or is neither a SavedModel folder
   *     nor a {@code .keras} archive, naming what was found
   */
  public static ModelFormat detect(Path path) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("model path " + path + " does not exist");
    }
    if (Files.isDirectory(path)) {
      SavedModels.checkSavedModelFolder(path);
      if (Files.isRegularFile(path.resolve("assets").resolve(ModelConfig.FILE_NAME))) {
        return TFFINETUNE_SAVED_MODEL;
      }
      if (Files.isRegularFile(path.resolve(KerasMetadata.FILE_NAME))) {
        return KERAS2_SAVED_MODEL;
      }
      return OTHER_SAVED_MODEL;
    }
    byte[] head = readHead(path);
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      if (KerasArchive.isArchive(path)) {
        return KERAS3_ARCHIVE;
      }
      throw new InvalidInputException(
          path
              + " is a zip file but not a .keras archive: it has no readable "
              + KerasArchive.CONFIG
              + " entry, or the zip is corrupt");
    }
    if (Arrays.equals(head, HDF5_MAGIC)) {
      throw new InvalidInputException(
          path
              + " is an HDF5 file (legacy Keras .h5 format), which is not supported; save the"
              + " model as a .keras archive (Keras 3) or a SavedModel folder instead");
    }
    throw new InvalidInputException(
        path
            + " is neither a SavedModel folder nor a .keras archive (zip); pass the folder that"
            + " contains saved_model.pb or a .keras file");
  }

  private static byte[] readHead(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(HDF5_MAGIC.length);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read model file " + file + ": " + e.getMessage(), e);
    }
  }
}
