package org.tffinetune.keras;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tffinetune.InvalidInputException;
import org.tffinetune.keras.SavedModelInfo.SignatureInfo;
import org.tffinetune.keras.SavedModelInfo.VariableInfo;
import org.tffinetune.layers.Layer;
import org.tffinetune.models.Sequential;
import org.tffinetune.serving.TensorSpec;

/**
 * Describes a model folder or file for people: its format, signatures, variables, Keras layers and
 * whether it can be fine-tuned, and why not.
 */
public final class ModelInspection {
  private static final String INIT_OP_SIGNATURE = "__saved_model_init_op";

  private final StringBuilder out = new StringBuilder();

  private ModelInspection() {}

  /**
   * Returns the description of the model at {@code path} as lines of text.
   *
   * <p>For the formats that can be fine-tuned, the model is imported with {@link
   * ModelImport#loadForTraining}, so the fine-tuning verdict comes from a real import.
   *
   * @throws InvalidInputException when the path is not a model of a known format or its SavedModel
   *     or archive cannot be read
   */
  public static String describe(Path path) {
    Path model = path.toAbsolutePath().normalize();
    ModelFormat format = ModelFormat.detect(model);
    ModelInspection report = new ModelInspection();
    report.line("Model: " + model);
    report.line("Format: " + format.description());
    if (format == ModelFormat.KERAS2_SAVED_MODEL) {
      report.line("Keras version: " + keras2Version(model));
    }
    if (format == ModelFormat.KERAS3_ARCHIVE) {
      report.describeArchive(model);
    } else {
      report.describeSavedModel(SavedModelInfo.read(model));
    }
    report.describeTraining(model, format);
    return report.out.toString();
  }

  private void describeSavedModel(SavedModelInfo info) {
    String version = info.tensorflowVersion();
    line("TensorFlow version: " + (version.isEmpty() ? "unknown" : version));
    // The init-op entry that TF2 adds runs variable initialization and takes no inputs.
    List<SignatureInfo> signatures =
        info.signatures().stream().filter(s -> !s.key().equals(INIT_OP_SIGNATURE)).toList();
    line("Signatures (tags " + info.tags() + "): " + signatures.size());
    for (SignatureInfo signature : signatures) {
      String method = signature.methodName();
      line("  " + signature.key() + (method.isEmpty() ? "" : " (" + method + ")"));
      signature.inputs().forEach(input -> tensorLine("input ", input));
      signature.outputs().forEach(output -> tensorLine("output", output));
    }
    line("Variables: " + info.variables().size());
    for (VariableInfo variable : info.variables()) {
      line("  " + variable.name() + " " + variable.dtype() + " " + variable.shape());
    }
  }

  private void tensorLine(String role, TensorSpec tensor) {
    String shape = tensor.shape().isEmpty() ? "unknown shape" : tensor.shapeText();
    line("    " + role + " " + tensor.key() + ": " + tensor.dtype() + " " + shape);
  }

  private void describeArchive(Path file) {
    try (KerasArchive archive = KerasArchive.open(file)) {
      Object version = archive.metadata().get("keras_version");
      line("Keras version: " + (version == null ? "unknown" : version));
      line("Signatures: none (a .keras archive stores no SavedModel signatures)");
      List<VariableInfo> datasets = archive.readWeights(KerasH5Weights::datasets);
      List<VariableInfo> layerWeights =
          datasets.stream().filter(d -> d.name().startsWith("/layers/")).toList();
      line(
          "Variables ("
              + KerasArchive.WEIGHTS
              + "): "
              + layerWeights.size()
              + " layer weights under /layers, "
              + (datasets.size() - layerWeights.size())
              + " optimizer and other variables not listed");
      for (VariableInfo variable : layerWeights) {
        line("  " + variable.name() + " " + variable.dtype() + " " + variable.shape());
      }
    }
  }

  private void describeTraining(Path path, ModelFormat format) {
    if (!format.isTrainable()) {
      line("Keras layers: unknown (no Keras model config is stored)");
      line("Can be fine-tuned: no. " + format.notTrainableReason(path));
      return;
    }
    try (Sequential model = ModelImport.loadForTraining(path)) {
      describeLayers(model);
      line("Can be fine-tuned: yes, with 'finetune --model " + path + "'");
    } catch (InvalidInputException e) {
      line("Keras layers: cannot be rebuilt");
      line("Can be fine-tuned: no. " + e.getMessage());
    }
  }

  private void describeLayers(Sequential model) {
    List<Layer> layers = model.layers();
    line(
        "Keras layers: "
            + layers.size()
            + " (model '"
            + model.name()
            + "', input "
            + Layer.formatShape(model.inputShape())
            + ")");
    line(
        String.format(
            Locale.ROOT,
            "  %-28s %-20s %-20s %12s %s",
            "name",
            "type",
            "output shape",
            "params",
            "trainable"));
    for (Layer layer : layers) {
      line(
          String.format(
              Locale.ROOT,
              "  %-28s %-20s %-20s %,12d %s",
              layer.name(),
              layer.className(),
              Layer.formatShape(layer.outputShape()),
              layer.countParams(),
              layer.isTrainable()));
    }
  }

  private static String keras2Version(Path dir) {
    try {
      Map<String, Object> root =
          KerasJson.parseObject(KerasMetadata.read(dir).root().metadata(), dir.toString());
      return root.get("keras_version") instanceof String version ? version : "unknown";
    } catch (InvalidInputException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
