package org.tffinetune.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tffinetune.InvalidInputException;

class KerasMetadataTest {
  private static final String ROOT_METADATA =
      "{\"name\": \"sequential\", \"class_name\": \"Sequential\", \"config\": {\"name\":"
          + " \"sequential\", \"layers\": [{\"class_name\": \"Dense\", \"config\": {\"name\":"
          + " \"dense\", \"units\": 3, \"batch_input_shape\": {\"class_name\": \"__tuple__\","
          + " \"items\": [null, 4]}}}]}}";

  private static final String DENSE_METADATA =
      "{\"name\": \"dense\", \"class_name\": \"Dense\", \"config\": {\"name\": \"dense\"}}";

  private static List<KerasMetadata.Node> nodes() {
    return List.of(
        new KerasMetadata.Node(0, "root", "_tf_keras_sequential", ROOT_METADATA),
        new KerasMetadata.Node(1, "root.layer_with_weights-0", "_tf_keras_layer", DENSE_METADATA),
        new KerasMetadata.Node(
            7, "root.keras_api.metrics.0", "_tf_keras_metric", "{\"name\": \"loss\"}"));
  }

  @Test
  void parseReadsEveryNode() throws IOException {
    KerasMetadata metadata = KerasMetadata.parse(KerasTestData.encodeMetadata(nodes()), "m.pb");

    assertEquals(nodes(), metadata.nodes());
    assertEquals("root", metadata.root().nodePath());
  }

  @Test
  void parseSkipsUnknownFields() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(9, "future field");
    out.writeByteArray(1, KerasTestData.encodeMetadata(List.of()));
    out.writeRawBytes(KerasTestData.encodeMetadata(nodes()));
    out.flush();

    KerasMetadata metadata = KerasMetadata.parse(bytes.toByteArray(), "m.pb");

    assertEquals(4, metadata.nodes().size());
    assertEquals(nodes(), metadata.nodes().subList(1, 4));
  }

  @Test
  void modelConfigTurnsTuplesIntoLists() throws IOException {
    KerasMetadata metadata = KerasMetadata.parse(KerasTestData.encodeMetadata(nodes()), "m.pb");

    Map<String, Object> model = metadata.modelConfig();

    assertEquals("Sequential", model.get("class_name"));
    Map<?, ?> config = (Map<?, ?>) model.get("config");
    Map<?, ?> dense =
        (Map<?, ?>) ((Map<?, ?>) ((List<?>) config.get("layers")).get(0)).get("config");
    assertEquals(Arrays.asList(null, 4), dense.get("batch_input_shape"));
  }

  @Test
  void layerPathsListDirectChildrenOfTheModel() throws IOException {
    KerasMetadata metadata = KerasMetadata.parse(KerasTestData.encodeMetadata(nodes()), "m.pb");

    assertEquals(Map.of("dense", "root.layer_with_weights-0"), metadata.layerPaths());
  }

  @Test
  void truncatedFileIsRejected() throws IOException {
    byte[] bytes = KerasTestData.encodeMetadata(nodes());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> KerasMetadata.parse(truncated, "m.pb"));

    assertTrue(e.getMessage().startsWith("m.pb is not a valid Keras SavedMetadata protobuf"));
    assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
  }

  @Test
  void missingRootIsRejected() throws IOException {
    byte[] bytes = KerasTestData.encodeMetadata(nodes().subList(1, 3));
    KerasMetadata metadata = KerasMetadata.parse(bytes, "m.pb");

    InvalidInputException e = assertThrows(InvalidInputException.class, metadata::modelConfig);

    assertTrue(e.getMessage().startsWith("m.pb has no node with path 'root' (found 2 nodes)"));
  }

  @Test
  void rootThatIsNotAModelIsRejected() throws IOException {
    List<KerasMetadata.Node> layerRoot =
        List.of(new KerasMetadata.Node(0, "root", "_tf_keras_layer", DENSE_METADATA));
    KerasMetadata metadata = KerasMetadata.parse(KerasTestData.encodeMetadata(layerRoot), "m.pb");

    InvalidInputException e = assertThrows(InvalidInputException.class, metadata::modelConfig);

    assertTrue(
        e.getMessage().contains("the root object has identifier '_tf_keras_layer'"),
        e.getMessage());
  }

  @Test
  void truncatedRootJsonIsRejected() throws IOException {
    String truncated = ROOT_METADATA.substring(0, ROOT_METADATA.length() - 10);
    List<KerasMetadata.Node> broken =
        List.of(new KerasMetadata.Node(0, "root", "_tf_keras_sequential", truncated));
    KerasMetadata metadata = KerasMetadata.parse(KerasTestData.encodeMetadata(broken), "m.pb");

    InvalidInputException e = assertThrows(InvalidInputException.class, metadata::modelConfig);

    assertTrue(
        e.getMessage().startsWith("m.pb (root node) is not valid JSON (corrupt or truncated)"),
        e.getMessage());
  }

  @Test
  void fixtureLayerPathsFollowKerasNaming() {
    Path dir = KerasTestData.fixture(KerasTestData.KERAS2);

    KerasMetadata metadata = KerasMetadata.read(dir);

    assertEquals("_tf_keras_sequential", metadata.root().identifier());
    Map<String, String> paths = metadata.layerPaths();
    assertEquals("root.layer_with_weights-0", paths.get("conv2d"));
    assertEquals("root.layer-1", paths.get("max_pooling2d"));
    assertEquals("root.layer_with_weights-3", paths.get("dense_1"));
    assertEquals(8, paths.size());
  }

  @Test
  void missingFileIsRejected() {
    Path dir = Path.of("/nonexistent-model");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> KerasMetadata.read(dir));

    assertTrue(e.getMessage().contains("keras_metadata.pb does not exist"), e.getMessage());
  }
}
