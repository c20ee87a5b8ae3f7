package org.tffinetune.keras;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tffinetune.InvalidInputException;

/**
 * The {@code keras_metadata.pb} file that tf.keras 2.x writes into a SavedModel: a {@code
 * SavedMetadata} protobuf with one {@code SavedObject} per Keras object (model, layers, metrics),
 * each carrying the object's path in the SavedModel's object graph and its config as JSON.
 *
 * <p>The file is decoded field by field with protobuf-java's {@link CodedInputStream}, following
 * {@code keras/protobuf/saved_metadata.proto}: {@code repeated SavedObject nodes = 1}, and in
 * {@code SavedObject} {@code node_id = 2}, {@code node_path = 3}, {@code identifier = 4}, {@code
 * metadata = 5} and {@code version = 6}. Unknown fields are skipped.
 */
public final class KerasMetadata {
  /** File name inside the SavedModel folder. */
  public static final String FILE_NAME = "keras_metadata.pb";

  /** Identifiers of the root node for the model types that this project can rebuild. */
  static final List<String> MODEL_IDENTIFIERS = List.of("_tf_keras_sequential", "_tf_keras_model");

  private static final int NODES_FIELD = 1;
  private static final int NODE_ID_FIELD = 2;
  private static final int NODE_PATH_FIELD = 3;
  private static final int IDENTIFIER_FIELD = 4;
  private static final int METADATA_FIELD = 5;

  private final List<Node> nodes;
  private final String source;

  /**
   * One saved Keras object.
   *
   * @param nodeId the object's id in the SavedModel's object graph
   * @param nodePath the object's path from the model, such as {@code root.layer_with_weights-0}
   * @param identifier the object kind, such as {@code _tf_keras_layer}
   * @param metadata the object's metadata as a JSON string, with {@code name}, {@code class_name}
   *     and {@code config}
   */
  public record Node(int nodeId, String nodePath, String identifier, String metadata) {}

  private KerasMetadata(List<Node> nodes, String source) {
    this.nodes = List.copyOf(nodes);
    this.source = source;
  }

  /**
   * Reads {@code keras_metadata.pb} from a SavedModel folder.
   *
   * @throws InvalidInputException when the file is missing, unreadable or not a valid {@code
   *     SavedMetadata} protobuf
   */
  public static KerasMetadata read(Path savedModelDir) {
    Path file = savedModelDir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + " does not exist; expected a tf.keras SavedModel", e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(bytes, file.toString());
  }

  /**
   * Parses the bytes of a {@code keras_metadata.pb} file.
   *
   * @param source the file, named in error messages
   * @throws InvalidInputException when the bytes are not a valid {@code SavedMetadata} protobuf
   */
  public static KerasMetadata parse(byte[] bytes, String source) {
    List<Node> nodes = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setSizeLimit(Integer.MAX_VALUE);
      while (!in.isAtEnd()) {
        int tag = in.readTag();
        if (WireFormat.getTagFieldNumber(tag) == NODES_FIELD
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          nodes.add(parseNode(in.readByteArray()));
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidInputException(
          source
              + " is not a valid Keras SavedMetadata protobuf (corrupt or truncated): "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot parse " + source + ": " + e.getMessage(), e);
    }
    return new KerasMetadata(nodes, source);
  }

  private static Node parseNode(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    int nodeId = -1;
    String nodePath = "";
    String identifier = "";
    String metadata = "";
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      switch (WireFormat.getTagFieldNumber(tag)) {
        case NODE_ID_FIELD -> nodeId = in.readInt32();
        case NODE_PATH_FIELD -> nodePath = in.readStringRequireUtf8();
        case IDENTIFIER_FIELD -> identifier = in.readStringRequireUtf8();
        case METADATA_FIELD -> metadata = in.readStringRequireUtf8();
        default -> in.skipField(tag);
      }
    }
    return new Node(nodeId, nodePath, identifier, metadata);
  }

  /** Returns every saved object in file order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** Returns the file that the metadata came from. */
  public String source() {
    return source;
  }

  /**
   * Returns the root node, the saved model itself.
   *
   * @throws InvalidInputException when no node has path {@code root}
   */
  public Node root() {
    for (Node node : nodes) {
      if (node.nodePath().equals("root")) {
        return node;
      }
    }
    throw new InvalidInputException(
        source
            + " has no node with path 'root' (found "
            + nodes.size()
            + " nodes); the file is corrupt or was not written by tf.keras");
  }

  /**
   * Returns the Keras model config of the root node, {@code {"class_name": ..., "config": ...}},
   * with Keras 2's {@code __tuple__} objects turned into lists.
   *
   * @throws InvalidInputException when the root is not a Keras model or its metadata JSON is
   *     invalid or has no config
   */
  public Map<String, Object> modelConfig() {
    Node root = root();
    if (!MODEL_IDENTIFIERS.contains(root.identifier())) {
      throw new InvalidInputException(
          source
              + ": the root object has identifier '"
              + root.identifier()
              + "'; expected one of "
              + MODEL_IDENTIFIERS
              + " (a Keras model)");
    }
    Map<String, Object> metadata = KerasJson.parseObject(root.metadata(), source + " (root node)");
    if (!(metadata.get("config") instanceof Map<?, ?>)) {
      throw new InvalidInputException(
          source + ": the root node's metadata has no 'config' object with the model's layers");
    }
    Map<String, Object> model = new java.util.LinkedHashMap<>();
    model.put("class_name", metadata.get("class_name"));
    model.put("config", metadata.get("config"));
    return model;
  }

  /**
   * Returns the object-graph path of each layer that is a direct child of the model, keyed by layer
   * name: {@code conv2d -> root.layer_with_weights-0}.
   *
   * @throws InvalidInputException when a layer node's metadata JSON is invalid
   */
  public Map<String, String> layerPaths() {
    Map<String, String> paths = new java.util.LinkedHashMap<>();
    for (Node node : nodes) {
      String path = node.nodePath();
      if (!node.identifier().equals("_tf_keras_layer")
          && !node.identifier().equals("_tf_keras_input_layer")) {
        continue;
      }
      if (!path.startsWith("root.") || path.indexOf('.', "root.".length()) >= 0) {
        continue;
      }
      Map<String, Object> metadata =
          KerasJson.parseObject(node.metadata(), source + " (node " + path + ")");
      if (metadata.get("name") instanceof String name) {
        paths.putIfAbsent(name, path);
      }
    }
    return paths;
  }
}
