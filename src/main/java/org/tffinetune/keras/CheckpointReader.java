package org.tffinetune.keras;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.TrackableObjectGraphOuterClass.TrackableObjectGraph;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Weight;

/**
 * Reads named tensors from the object-based checkpoint in a SavedModel's {@code variables/} folder
 * with TensorFlow's {@code RestoreV2} op, in a graph of its own.
 */
final class CheckpointReader {
  /** Checkpoint key of the serialized {@code TrackableObjectGraph}. */
  static final String OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";

  /** Name of a variable's value among a trackable object's attributes. */
  static final String VARIABLE_VALUE = "VARIABLE_VALUE";

  private final Path savedModelDir;
  private final String prefix;

  CheckpointReader(Path savedModelDir) {
    this.savedModelDir = savedModelDir;
    this.prefix = savedModelDir.resolve("variables").resolve("variables").toString();
  }

  /**
   * Reads the checkpoint's object graph, which maps object paths such as {@code
   * layer_with_weights-0/kernel} to checkpoint keys.
   *
   * @throws InvalidInputException when the checkpoint is missing, corrupt or has no object graph
   */
  TrackableObjectGraph readObjectGraph() {
    byte[] bytes;
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Restore restore = restore(Ops.create(graph), List.of(OBJECT_GRAPH_KEY), TString.class);
      try (Result result = session.runner().fetch(restore.tensors().get(0)).run()) {
        bytes = ((TString) result.get(0)).asBytes().getObject();
      }
    } catch (TensorFlowException e) {
      throw readFailure(e);
    }
    try {
      return TrackableObjectGraph.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidInputException(
          prefix
              + ": the checkpoint's "
              + OBJECT_GRAPH_KEY
              + " entry is corrupt: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Reads float32 tensors by checkpoint key.
   *
   * @return one tensor per key, in the same order, as a weight named by its key
   * @throws InvalidInputException when the checkpoint is corrupt, lacks a key or stores another
   *     type under it
   */
  List<Weight> readFloats(List<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<Weight> values = new ArrayList<>();
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Restore restore = restore(Ops.create(graph), keys, TFloat32.class);
      Session.Runner runner = session.runner();
      restore.tensors().forEach(runner::fetch);
      try (Result result = runner.run()) {
        for (int i = 0; i < keys.size(); i++) {
          Tensor tensor = result.get(i);
          float[] data = new float[Math.toIntExact(tensor.shape().size())];
          tensor.asRawTensor().data().asFloats().read(data);
          values.add(new Weight(keys.get(i), tensor.shape().asArray(), data));
        }
      }
    } catch (TensorFlowException e) {
      throw readFailure(e);
    }
    return values;
  }

  private Restore restore(Ops tf, List<String> keys, Class<? extends TType> type) {
    String[] names = keys.toArray(new String[0]);
    String[] slices = new String[names.length];
    Arrays.fill(slices, "");
    List<Class<? extends TType>> types = Collections.nCopies(names.length, type);
    return tf.train.restore(
        tf.constant(prefix),
        tf.constant(StandardCharsets.UTF_8, names),
        tf.constant(StandardCharsets.UTF_8, slices),
        types);
  }

  private InvalidInputException readFailure(TensorFlowException e) {
    return new InvalidInputException(
        "cannot read the checkpoint in "
            + savedModelDir.resolve("variables")
            + " (missing, corrupt or truncated variables.index or variables.data file): "
            + e.getMessage().strip(),
        e);
  }
}
