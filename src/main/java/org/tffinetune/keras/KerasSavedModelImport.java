package org.tffinetune.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph.TrackableObject;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.models.Sequential;

/**
 * Imports a SavedModel written by tf.keras 2.x ({@code model.save(dir)}): the architecture from the
 * root node of {@code keras_metadata.pb}, the weights from the {@code variables/} checkpoint.
 *
 * <p>Weights are matched by object path, not by variable name: {@code keras_metadata.pb} gives each
 * layer's path from the model ({@code root.layer_with_weights-2} for layer {@code dense}), and the
 * checkpoint's object graph leads from that path through the child named after the weight ({@code
 * kernel}, {@code bias}, {@code gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance})
 * to its checkpoint key, such as {@code layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE}.
 * Optimizer slots are not read.
 */
final class KerasSavedModelImport {
  private KerasSavedModelImport() {}

  /**
   * Rebuilds the model and restores its weights.
   *
   * @throws InvalidInputException when {@code keras_metadata.pb} or the checkpoint is corrupt, the
   *     model contains an unsupported layer, a weight is missing or a weight's shape differs from
   *     its layer's
   */
  static Sequential load(Path dir) {
    KerasMetadata metadata = KerasMetadata.read(dir);
    Sequential model = KerasConfig.rebuild(metadata.modelConfig(), metadata.source());
    Map<String, String> layerPaths = metadata.layerPaths();
    CheckpointReader checkpoint = new CheckpointReader(dir);
    TrackableObjectGraph objects = checkpoint.readObjectGraph();
    String source = dir.toString();
    ImportedWeights imported = new ImportedWeights(model, source);

    List<Layer> layers = new ArrayList<>();
    List<WeightSpec> specs = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Layer layer : model.layers()) {
      if (layer.weightSpecs().isEmpty()) {
        continue;
      }
      String path = layerPaths.get(layer.name());
      if (path == null) {
        throw imported.missing(
            layer,
            layer.weightSpecs().get(0),
            KerasMetadata.FILE_NAME + " has no layer node named '" + layer.name() + "'");
      }
      TrackableObject object = resolve(objects, path);
      for (WeightSpec spec : layer.weightSpecs()) {
        String key = object == null ? null : checkpointKey(objects, object, spec.name());
        if (key == null) {
          throw imported.missing(
              layer,
              spec,
              "the checkpoint's object graph has no variable '" + spec.name() + "' under " + path);
        }
        layers.add(layer);
        specs.add(spec);
        keys.add(key);
      }
    }

    List<Weight> values = checkpoint.readFloats(keys);
    for (int i = 0; i < keys.size(); i++) {
      Weight value = values.get(i);
      imported.put(layers.get(i), specs.get(i), keys.get(i), value.shape(), value.values());
    }
    imported.applyToModel();
    return model;
  }

  /** Follows a path such as {@code root.layer_with_weights-0} from the root object, or null. */
  private static TrackableObject resolve(TrackableObjectGraph objects, String path) {
    String[] parts = path.split("\\.");
    if (objects.getNodesCount() == 0 || !parts[0].equals("root")) {
      return null;
    }
    TrackableObject node = objects.getNodes(0);
    for (int i = 1; i < parts.length && node != null; i++) {
      node = child(objects, node, parts[i]);
    }
    return node;
  }

  private static TrackableObject child(
      TrackableObjectGraph objects, TrackableObject parent, String localName) {
    for (TrackableObject.ObjectReference reference : parent.getChildrenList()) {
      if (reference.getLocalName().equals(localName)
          && reference.getNodeId() < objects.getNodesCount()) {
        return objects.getNodes(reference.getNodeId());
      }
    }
    return null;
  }

  private static String checkpointKey(
      TrackableObjectGraph objects, TrackableObject layer, String weightName) {
    TrackableObject variable = child(objects, layer, weightName);
    if (variable == null) {
      return null;
    }
    for (TrackableObject.SerializedTensor attribute : variable.getAttributesList()) {
      if (attribute.getName().equals(CheckpointReader.VARIABLE_VALUE)) {
        return attribute.getCheckpointKey();
      }
    }
    return null;
  }
}
