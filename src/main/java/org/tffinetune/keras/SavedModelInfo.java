package org.tffinetune.keras;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedVariable;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tffinetune.InvalidInputException;
import org.tffinetune.serving.TensorSpec;

/**
 * The signatures and variables of a SavedModel, read from {@code saved_model.pb} without loading
 * the graph into TensorFlow. Describes any SavedModel, including those that cannot be rebuilt for
 * training.
 *
 * @param tags the tags of the described meta graph, {@code [serve]} for serving exports
 * @param tensorflowVersion the TensorFlow version that wrote the model, or an empty string
 * @param signatures the signatures sorted by key
 * @param variables the variables in file order, each name and shape listed once
 */
public record SavedModelInfo(
    List<String> tags,
    String tensorflowVersion,
    List<SignatureInfo> signatures,
    List<VariableInfo> variables) {

  /** The tag of the meta graph that serving and this project load. */
  public static final String SERVE_TAG = "serve";

  /**
   * One signature of a SavedModel.
   *
   * @param key the signature key, such as {@code serving_default}
   * @param methodName such as {@code tensorflow/serving/predict}, or empty
   * @param inputs the inputs sorted by key; shapes use -1 for unknown sizes and are empty for an
   *     unknown rank
   * @param outputs the outputs sorted by key
   */
  public record SignatureInfo(
      String key, String methodName, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

  /**
   * One variable of a SavedModel.
   *
   * @param name the variable name, such as {@code conv2d/kernel}
   * @param dtype the TensorFlow data type name, such as {@code DT_FLOAT}
   * @param shape the dimensions
   */
  public record VariableInfo(String name, String dtype, List<Long> shape) {}

  /**
   * Reads {@code saved_model.pb} in {@code dir} and describes its {@code serve} meta graph, or the
   * first meta graph when none has that tag.
   *
   * @throws InvalidInputException when the folder is not a SavedModel or the file is corrupt
   */
  public static SavedModelInfo read(Path dir) {
    Path file = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(dir + " is not a SavedModel: saved_model.pb is missing");
    }
    SavedModel savedModel;
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      savedModel = SavedModel.parseFrom(coded);
    } catch (IOException e) {
      throw new InvalidInputException(
          file + " is not a valid SavedModel protobuf (corrupt or truncated): " + e.getMessage(),
          e);
    }
    if (savedModel.getMetaGraphsCount() == 0) {
      throw new InvalidInputException(
          file + " contains no meta graph; the SavedModel is incomplete");
    }
    MetaGraphDef metaGraph = savedModel.getMetaGraphs(0);
    for (MetaGraphDef candidate : savedModel.getMetaGraphsList()) {
      if (candidate.getMetaInfoDef().getTagsList().contains(SERVE_TAG)) {
        metaGraph = candidate;
        break;
      }
    }
    return new SavedModelInfo(
        List.copyOf(metaGraph.getMetaInfoDef().getTagsList()),
        metaGraph.getMetaInfoDef().getTensorflowVersion(),
        signatures(metaGraph),
        variables(metaGraph));
  }

  /** Returns the signature with {@code key}, or null. */
  public SignatureInfo signature(String key) {
    for (SignatureInfo signature : signatures) {
      if (signature.key().equals(key)) {
        return signature;
      }
    }
    return null;
  }

  private static List<SignatureInfo> signatures(MetaGraphDef metaGraph) {
    List<SignatureInfo> result = new ArrayList<>();
    for (Map.Entry<String, SignatureDef> entry :
        new TreeMap<>(metaGraph.getSignatureDefMap()).entrySet()) {
      SignatureDef def = entry.getValue();
      result.add(
          new SignatureInfo(
              entry.getKey(),
              def.getMethodName(),
              tensors(def.getInputsMap()),
              tensors(def.getOutputsMap())));
    }
    return result;
  }

  private static List<TensorSpec> tensors(Map<String, TensorInfo> infos) {
    List<TensorSpec> result = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> entry : new TreeMap<>(infos).entrySet()) {
      TensorInfo info = entry.getValue();
      result.add(
          new TensorSpec(
              entry.getKey(), info.getName(), info.getDtype().name(), dims(info.getTensorShape())));
    }
    return result;
  }

  /**
   * Lists variables from the object graph that TF2 SavedModels carry, or, for graph-only
   * SavedModels such as this project's, from the variable ops of the graph.
   */
  private static List<VariableInfo> variables(MetaGraphDef metaGraph) {
    Set<VariableInfo> result = new LinkedHashSet<>();
    for (SavedObject object : metaGraph.getObjectGraphDef().getNodesList()) {
      if (object.hasVariable()) {
        SavedVariable variable = object.getVariable();
        result.add(
            new VariableInfo(
                variable.getName(), variable.getDtype().name(), dims(variable.getShape())));
      }
    }
    if (!result.isEmpty()) {
      return List.copyOf(result);
    }
    for (NodeDef node : metaGraph.getGraphDef().getNodeList()) {
      if (node.getOp().equals("VariableV2") || node.getOp().equals("VarHandleOp")) {
        AttrValue dtype = node.getAttrMap().get("dtype");
        AttrValue shape = node.getAttrMap().get("shape");
        result.add(
            new VariableInfo(
                node.getName(),
                dtype == null ? "" : dtype.getType().name(),
                shape == null ? List.of() : dims(shape.getShape())));
      }
    }
    return List.copyOf(result);
  }

  private static List<Long> dims(TensorShapeProto shape) {
    List<Long> dims = new ArrayList<>();
    if (!shape.getUnknownRank()) {
      shape.getDimList().forEach(dim -> dims.add(dim.getSize()));
    }
    return dims;
  }
}
