package org.tffinetune.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tffinetune.InvalidInputException;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Dropout;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.MaxPooling2D;
import org.tffinetune.models.Sequential;

/** Imports the tf.keras 2.11 SavedModel fixture and checks it against its own signature. */
class KerasSavedModelImportTest {
  private static final int IMAGES = 100;

  @TempDir Path dir;

  @Test
  void importRebuildsLayersAndTrainableFlags() {
    Path fixture = KerasTestData.fixture(KerasTestData.KERAS2);

    try (Sequential model = ModelImport.loadForTraining(fixture)) {
      List<Layer> layers = model.layers();
      List<Class<?>> types =
          List.of(
              Conv2D.class,
              MaxPooling2D.class,
              Conv2D.class,
              MaxPooling2D.class,
              Flatten.class,
              Dense.class,
              Dropout.class,
              Dense.class);
      assertEquals(types, layers.stream().map(Object::getClass).toList());
      assertEquals(
          List.of(
              "conv2d",
              "max_pooling2d",
              "conv2d_1",
              "max_pooling2d_1",
              "flatten",
              "dense",
              "dropout",
              "dense_1"),
          layers.stream().map(Layer::name).toList());
      assertArrayEquals(new long[] {28, 28, 1}, model.inputShape());
      assertEquals(225_034, model.countParams());
      assertTrue(layers.stream().allMatch(Layer::isTrainable));
    }
  }

  /** Compares the rebuilt model with the SavedModel's own serving_default function. */
  @Test
  void predictionsMatchServingDefault() {
    Path fixture = KerasTestData.fixture(KerasTestData.KERAS2);
    float[] images = KerasTestData.testImages(IMAGES);

    float[][] expected = servingDefault(fixture, "conv2d_input", "dense_1", images);
    float[][] actual;
    try (Sequential model = ModelImport.loadForTraining(fixture)) {
      actual = model.predict(images, IMAGES);
    }

    double diff = KerasTestData.maxAbsDiff(expected, actual);
    System.out.printf(
        "keras2-savedmodel-cnn parity: max abs diff %s over %d images%n", diff, IMAGES);
    assertTrue(diff <= 1e-5, "max abs diff " + diff);
    double accuracy = KerasTestData.accuracy(actual, KerasTestData.mnist().test().limit(IMAGES));
    assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
  }

  @Test
  void truncatedMetadataIsRejected() throws IOException {
    Path copy = copyFixture();
    Path metadata = copy.resolve(KerasMetadata.FILE_NAME);
    byte[] bytes = Files.readAllBytes(metadata);
    Files.write(metadata, Arrays.copyOf(bytes, bytes.length / 2));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(copy));

    assertTrue(
        e.getMessage().startsWith(metadata + " is not a valid Keras SavedMetadata protobuf"),
        e.getMessage());
  }

  @Test
  void missingLayerNodeIsRejected() throws IOException {
    Path copy = copyFixture();
    rewriteMetadata(
        copy,
        nodes -> {
          nodes.removeIf(node -> node.nodePath().equals("root.layer_with_weights-2"));
          return nodes;
        });

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(copy));

    assertEquals(
        copy
            + ": no value for weight 'kernel' of layer 'dense' (Dense): keras_metadata.pb has no"
            + " layer node named 'dense'",
        e.getMessage());
  }

  @Test
  void layerWithoutCheckpointVariablesIsRejected() throws IOException {
    Path copy = copyFixture();
    rewriteMetadata(
        copy,
        nodes -> {
          nodes.replaceAll(
              node ->
                  node.nodePath().equals("root.layer_with_weights-2")
                      ? new KerasMetadata.Node(
                          node.nodeId(), "root.layer-1", node.identifier(), node.metadata())
                      : node);
          nodes.removeIf(
              node ->
                  node.nodePath().equals("root.layer-1")
                      && node.metadata().contains("\"name\": \"max_pooling2d\""));
          return nodes;
        });

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(copy));

    assertEquals(
        copy
            + ": no value for weight 'kernel' of layer 'dense' (Dense): the checkpoint's object"
            + " graph has no variable 'kernel' under root.layer-1",
        e.getMessage());
  }

  @Test
  void weightShapeMismatchNamesLayerAndShapes() throws IOException {
    Path copy = copyFixture();
    rewriteMetadata(
        copy,
        nodes -> {
          nodes.replaceAll(
              node ->
                  node.nodePath().equals("root")
                      ? new KerasMetadata.Node(
                          node.nodeId(),
                          node.nodePath(),
                          node.identifier(),
                          node.metadata().replace("\"units\": 128", "\"units\": 64"))
                      : node);
          return nodes;
        });

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(copy));

    assertEquals(
        copy
            + ": weight 'kernel' of layer 'dense' (Dense) at"
            + " layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE has shape [1600, 128] but"
            + " the layer expects [1600, 64]; the weights do not match the model config",
        e.getMessage());
  }

  @Test
  void truncatedCheckpointIsRejected() throws IOException {
    Path copy = copyFixture();
    Path data = copy.resolve("variables").resolve("variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(bytes, bytes.length / 3));

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(copy));

    assertTrue(
        e.getMessage().startsWith("cannot read the checkpoint in " + copy.resolve("variables")),
        e.getMessage());
  }

  @Test
  void unsupportedLayerIsRejected() throws IOException {
    Path copy = copyFixture();
    rewriteMetadata(
        copy,
        nodes -> {
          nodes.replaceAll(
              node ->
                  node.nodePath().equals("root")
                      ? new KerasMetadata.Node(
                          node.nodeId(),
                          node.nodePath(),
                          node.identifier(),
                          node.metadata()
                              .replace(
                                  "\"class_name\": \"Flatten\"",
                                  "\"class_name\": \"GlobalAveragePooling2D\""))
                      : node);
          return nodes;
        });

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> ModelImport.loadForTraining(copy));

    assertTrue(
        e.getMessage()
            .contains(
                "layer 'flatten' has type GlobalAveragePooling2D, which is not" + " supported"),
        e.getMessage());
  }

  private Path copyFixture() throws IOException {
    return KerasTestData.copyTree(
        KerasTestData.fixture(KerasTestData.KERAS2), dir.resolve("model"));
  }

  private static void rewriteMetadata(Path modelDir, UnaryOperator<List<KerasMetadata.Node>> change)
      throws IOException {
    List<KerasMetadata.Node> nodes = new ArrayList<>(KerasMetadata.read(modelDir).nodes());
    Files.write(
        modelDir.resolve(KerasMetadata.FILE_NAME),
        KerasTestData.encodeMetadata(change.apply(nodes)));
  }

  /** Runs a SavedModel's serving_default function on {@code images} (N x 28 x 28 x 1). */
  static float[][] servingDefault(Path dir, String input, String output, float[] images) {
    int count = images.length / 784;
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 in =
            TFloat32.tensorOf(Shape.of(count, 28, 28, 1), DataBuffers.of(images, true, false));
        Result result = bundle.function("serving_default").call(Map.of(input, in))) {
      Tensor out = result.get(output).orElseThrow();
      int classes = (int) out.shape().get(1);
      float[] flat = new float[count * classes];
      out.asRawTensor().data().asFloats().read(flat);
      float[][] rows = new float[count][classes];
      for (int i = 0; i < count; i++) {
        System.arraycopy(flat, i * classes, rows[i], 0, classes);
      }
      return rows;
    }
  }
}
