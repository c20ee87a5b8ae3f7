package org.tffinetune.saving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.models.Sequential;

/**
 * Saves {@link Sequential} models as SavedModels and loads them back for further training.
 *
 * <p>A saved model is an ordinary SavedModel (tag {@code serve}, signature {@code serving_default})
 * that TensorFlow Serving and Python's {@code tf.saved_model.load} read, plus {@code
 * assets/tffinetune_model.json} with the Keras architecture. Weights round-trip bit for bit.
 *
 * <p>Writes are atomic: the model is written to a hidden temporary folder beside the target and
 * renamed into place, so an interrupted write leaves the previous model as it was.
 */
public final class SavedModels {
  private static final Logger LOG = LoggerFactory.getLogger(SavedModels.class);

  private SavedModels() {}

  /**
   * Saves {@code model} to {@code dir}.
   *
   * @param overwrite whether to replace an existing folder
   * @throws InvalidInputException when {@code dir} exists and {@code overwrite} is false, or its
   *     parent cannot be written
   */
  public static void save(Sequential model, Path dir, boolean overwrite) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target) && !overwrite) {
      throw new InvalidInputException(
          target + " already exists; pass --overwrite to replace it, or choose another folder");
    }
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new InvalidInputException(target + " exists and is not a folder");
    }
    Path parent = target.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new InvalidInputException("cannot create the output folder " + parent + ": " + e, e);
    }
    if (!Files.isWritable(parent)) {
      throw new InvalidInputException("cannot write to the output folder " + parent);
    }

    Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      model.exportSavedModel(tmp);
      Path assets = tmp.resolve("assets");
      Files.createDirectories(assets);
      Files.write(
          assets.resolve(ModelConfig.FILE_NAME),
          ModelConfig.toJson(model, Sequential.SIGNATURE_INPUT, Sequential.SIGNATURE_OUTPUT));
      replace(tmp, target);
      LOG.info("Saved model '{}' to {}", model.name(), target);
    } finally {
      deleteRecursively(tmp);
    }
  }

  private static void replace(Path tmp, Path target) throws IOException {
    if (!Files.exists(target)) {
      AtomicFiles.move(tmp, target);
      return;
    }
    // rename(2) cannot replace a non-empty folder, so the old model is renamed aside first. A
    // crash between the two renames leaves it intact under the .old name.
    Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
    AtomicFiles.move(target, old);
    AtomicFiles.move(tmp, target);
    deleteRecursively(old);
  }

  /**
   * Loads a model saved by {@link #save}, with its architecture and exact weights, ready to compile
   * and train.
   *
   * @throws InvalidInputException when the folder is missing, is not a SavedModel, was not written
   *     by this project, or is corrupt. The message names what is missing
   */
  public static Sequential load(Path dir) {
    Path path = dir.toAbsolutePath().normalize();
    checkSavedModelFolder(path);
    Path configFile = path.resolve("assets").resolve(ModelConfig.FILE_NAME);
    if (!Files.isRegularFile(configFile)) {
      throw new InvalidInputException(
          path
              + " is a SavedModel but not one written by tf-finetune: assets/"
              + ModelConfig.FILE_NAME
              + " with the architecture is missing, so it cannot be rebuilt for training."
              + " To fine-tune a Keras model, pass the Keras SavedModel folder or .keras file to"
              + " 'finetune --model'; to run it, use 'predict' or 'serve'");
    }
    Sequential model;
    try {
      model = ModelConfig.fromJson(Files.readAllBytes(configFile), configFile.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + configFile + ": " + e.getMessage(), e);
    }
    model.setWeights(readWeights(path, model));
    LOG.info("Loaded model '{}' from {}", model.name(), path);
    return model;
  }

  /** Checks that {@code path} is a folder with {@code saved_model.pb} and {@code variables/}. */
  public static void checkSavedModelFolder(Path path) {
    if (!Files.exists(path)) {
      throw new InvalidInputException("model folder " + path + " does not exist");
    }
    if (!Files.isDirectory(path)) {
      throw new InvalidInputException(path + " is not a folder; expected a SavedModel folder");
    }
    if (!Files.isRegularFile(path.resolve("saved_model.pb"))) {
      throw new InvalidInputException(path + " is not a SavedModel: saved_model.pb is missing");
    }
    if (!Files.isRegularFile(path.resolve("variables").resolve("variables.index"))) {
      throw new InvalidInputException(
          path + " is an incomplete SavedModel: variables/variables.index is missing");
    }
  }

  private static Map<String, Weight> readWeights(Path path, Sequential model) {
    Map<String, Weight> weights = new LinkedHashMap<>();
    try (SavedModelBundle bundle =
        SavedModelBundle.load(path.toString(), SavedModelBundle.DEFAULT_TAG)) {
      Session session = bundle.session();
      for (Layer layer : model.layers()) {
        for (WeightSpec spec : layer.weightSpecs()) {
          String key = layer.name() + "/" + spec.name();
          if (bundle.graph().operation(key) == null) {
            throw new InvalidInputException(
                path
                    + ": the SavedModel has no variable '"
                    + key
                    + "' for layer '"
                    + layer.name()
                    + "' ("
                    + layer.className()
                    + ")");
          }
          try (Result r = session.runner().fetch(key).run()) {
            Tensor t = r.get(0);
            long[] shape = t.shape().asArray();
            if (!java.util.Arrays.equals(shape, spec.shape())) {
              throw new InvalidInputException(
                  path
                      + ": variable '"
                      + key
                      + "' of layer '"
                      + layer.name()
                      + "' has shape "
                      + java.util.Arrays.toString(shape)
                      + " but the architecture expects "
                      + java.util.Arrays.toString(spec.shape()));
            }
            float[] values = new float[Math.toIntExact(t.shape().size())];
            t.asRawTensor().data().asFloats().read(values);
            weights.put(key, new Weight(spec.name(), shape, values));
          }
        }
      }
    } catch (TensorFlowException e) {
      throw new InvalidInputException(
          "cannot load the SavedModel in "
              + path
              + "; saved_model.pb or variables/ is corrupt or truncated: "
              + e.getMessage(),
          e);
    }
    return weights;
  }

  /** Deletes a folder tree; a missing folder is not an error. */
  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (NoSuchFileException e) {
                  // Already gone.
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
