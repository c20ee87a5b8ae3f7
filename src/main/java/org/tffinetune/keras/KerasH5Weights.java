package org.tffinetune.keras;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tffinetune.InvalidInputException;
import org.tffinetune.keras.SavedModelInfo.VariableInfo;
import org.tffinetune.layers.InputLayer;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.models.Sequential;

/**
 * Reads layer weights from the {@code model.weights.h5} file of a Keras 3 archive.
 *
 * <p>Keras 3 stores the variables of each layer as datasets {@code layers/<layer path>/vars/0},
 * {@code vars/1}, ... in the order the layer creates them, which is the order of the layer's {@link
 * Layer#weightSpecs()} here (kernel then bias, or gamma, beta, moving_mean, moving_variance). The
 * layer path is the snake-case class name, numbered per class in model order ({@code conv2d},
 * {@code conv2d_1}, {@code dense}, ...), not the layer name, because Keras 3's {@code saving_lib}
 * addresses layers that way. When that group is absent, the layer name is tried.
 */
final class KerasH5Weights {
  private KerasH5Weights() {}

  /**
   * Reads every weight of {@code model} from {@code hdf} into {@code imported}.
   *
   * @param source the file, named in error messages
   * @throws InvalidInputException when a weight is missing, has another shape or a non-float type,
   *     or the file is corrupt
   */
  static void read(Group hdf, Sequential model, ImportedWeights imported, String source) {
    Map<Layer, String> paths = layerPaths(model);
    try {
      for (Layer layer : model.layers()) {
        List<WeightSpec> specs = layer.weightSpecs();
        if (specs.isEmpty()) {
          continue;
        }
        Group vars = varsGroup(hdf, paths.get(layer), layer.name());
        if (vars == null) {
          throw imported.missing(
              layer,
              specs.get(0),
              "no group layers/" + paths.get(layer) + "/vars or layers/" + layer.name() + "/vars");
        }
        int stored = vars.getChildren().size();
        if (stored != specs.size()) {
          throw new InvalidInputException(
              source
                  + ": "
                  + vars.getPath()
                  + " contains "
                  + stored
                  + " variables but layer '"
                  + layer.name()
                  + "' ("
                  + layer.className()
                  + ") has "
                  + specs.size()
                  + " weights "
                  + specs.stream().map(WeightSpec::name).toList());
        }
        for (int i = 0; i < specs.size(); i++) {
          readWeight(vars, i, layer, specs.get(i), imported, source);
        }
      }
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      // jHDF reports a malformed file through several unchecked exception types.
      throw new InvalidInputException(
          source + " is not a valid Keras weights file (corrupt or truncated HDF5): " + e, e);
    }
  }

  private static void readWeight(
      Group vars,
      int index,
      Layer layer,
      WeightSpec spec,
      ImportedWeights imported,
      String source) {
    Node node = vars.getChild(Integer.toString(index));
    String location = vars.getPath() + index;
    if (!(node instanceof Dataset dataset)) {
      throw imported.missing(layer, spec, "no dataset " + location);
    }
    int[] dims = dataset.getDimensions();
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    imported.put(layer, spec, location, shape, toFloats(dataset.getDataFlat(), location, source));
  }

  private static float[] toFloats(Object data, String location, String source) {
    if (data instanceof float[] floats) {
      return floats;
    }
    if (data instanceof double[] doubles) {
      float[] floats = new float[doubles.length];
      for (int i = 0; i < doubles.length; i++) {
        floats[i] = (float) doubles[i];
      }
      return floats;
    }
    throw new InvalidInputException(
        source
            + ": dataset "
            + location
            + " contains "
            + (data == null ? "no data" : data.getClass().getComponentType() + " values")
            + "; expected float32 or float64 weights");
  }

  private static Group varsGroup(Group hdf, String classPath, String layerName) {
    for (String name : List.of(classPath, layerName)) {
      if (hdf.getChild("layers") instanceof Group layers
          && layers.getChild(name) instanceof Group layer
          && layer.getChild("vars") instanceof Group vars) {
        return vars;
      }
    }
    return null;
  }

  /** Returns Keras 3's weights-file path of each layer, InputLayer excluded: {@code conv2d_1}. */
  static Map<Layer, String> layerPaths(Sequential model) {
    Map<Layer, String> paths = new LinkedHashMap<>();
    Map<String, Integer> used = new HashMap<>();
    for (Layer layer : model.layers()) {
      if (layer instanceof InputLayer) {
        continue;
      }
      String base = snakeCase(layer.className());
      Integer count = used.merge(base, 1, Integer::sum) - 1;
      paths.put(layer, count == 0 ? base : base + "_" + count);
    }
    return paths;
  }

  /** Converts a class name to Keras's snake case: {@code MaxPooling2D -> max_pooling2d}. */
  static String snakeCase(String className) {
    String name = className.replaceAll("\\W+", "");
    name = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    name = name.replaceAll("([a-z])([A-Z])", "$1_$2");
    return name.toLowerCase(Locale.ROOT);
  }

  /** Lists every dataset under {@code group} with its type and shape, for {@code inspect}. */
  static List<VariableInfo> datasets(Group group) {
    List<VariableInfo> result = new ArrayList<>();
    for (Node node : group.getChildren().values()) {
      if (node instanceof Group child) {
        result.addAll(datasets(child));
      } else if (node instanceof Dataset dataset) {
        List<Long> shape = new ArrayList<>();
        for (int d : dataset.getDimensions()) {
          shape.add((long) d);
        }
        result.add(new VariableInfo(dataset.getPath(), typeName(dataset.getJavaType()), shape));
      }
    }
    return result;
  }

  private static String typeName(Class<?> javaType) {
    if (javaType == float.class) {
      return "float32";
    }
    if (javaType == double.class) {
      return "float64";
    }
    return String.valueOf(javaType);
  }
}
