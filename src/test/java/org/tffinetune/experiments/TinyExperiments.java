package org.tffinetune.experiments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.data.MnistFixtures;
import org.tffinetune.layers.Activation;
import org.tffinetune.layers.Conv2D;
import org.tffinetune.layers.Dense;
import org.tffinetune.layers.Dropout;
import org.tffinetune.layers.Flatten;
import org.tffinetune.layers.MaxPooling2D;
import org.tffinetune.models.Sequential;
import org.tffinetune.optimizers.OptimizerSpec;
import org.tffinetune.testing.SyntheticDigits;

/** Small models, data and settings that let a whole experiment run in seconds. */
final class TinyExperiments {
  /** Synthetic training images: 30 of each digit. */
  static final LabeledImages TRAIN = SyntheticDigits.create(300, 11);

  /** Synthetic test images: 10 of each digit. */
  static final LabeledImages TEST = SyntheticDigits.create(100, 12);

  private TinyExperiments() {}

  /** Returns settings for 2 seeds, sizes 5 and all, 2 epochs, Adam with learning rate 0.01. */
  static ExperimentSettings.Builder settings() {
    return ExperimentSettings.builder()
        .seed(100)
        .seeds(2)
        .samplesPerClass(List.of(5, SampleSizes.ALL))
        .epochs(2)
        .pretrainEpochs(1)
        .batchSize(32)
        .optimizer(OptimizerSpec.of("adam", 0.01f))
        .threads(1, 1);
  }

  /**
   * A factory for Conv2D(4, 3) relu, MaxPooling2D(2), Dropout(0.25), Flatten | Dense(16) relu,
   * Dense(classes) softmax that counts its builds and fails at build {@code failAt} (from 1), or
   * never when {@code failAt} is 0.
   */
  static final class SmallModelFactory implements ModelFactory {
    final AtomicInteger builds = new AtomicInteger();
    private final int failAt;

    SmallModelFactory(int failAt) {
      this.failAt = failAt;
    }

    SmallModelFactory() {
      this(0);
    }

    @Override
    public String name() {
      return "small";
    }

    @Override
    public String lastFeatureLayer() {
      return "flatten";
    }

    @Override
    public Sequential build(int classes, long seed) {
      if (builds.incrementAndGet() == failAt) {
        throw new IllegalStateException("simulated interruption at build " + failAt);
      }
      Sequential model = new Sequential(28, 28, 1);
      model.setSeed(seed);
      model
          .add(Conv2D.of(4, 3))
          .add(Activation.of("relu"))
          .add(new MaxPooling2D(2))
          .add(new Dropout(0.25))
          .add(new Flatten())
          .add(Dense.of(16))
          .add(Activation.of("relu"))
          .add(Dense.of(classes))
          .add(Activation.of("softmax"));
      return model;
    }
  }

  /** Writes {@code train} and {@code test} as the four MNIST IDX files into {@code dir}. */
  static Path writeIdxDirectory(Path dir, LabeledImages train, LabeledImages test)
      throws IOException {
    Files.createDirectories(dir);
    writeSplit(dir, "train", train);
    writeSplit(dir, "t10k", test);
    return dir;
  }

  private static void writeSplit(Path dir, String prefix, LabeledImages images) throws IOException {
    byte[] pixels = bytes(images.pixelBuffer());
    byte[] labels = bytes(images.labelBuffer());
    Files.write(
        dir.resolve(prefix + "-images-idx3-ubyte"),
        MnistFixtures.idxImages(0x0803, images.size(), 28, 28, pixels));
    Files.write(
        dir.resolve(prefix + "-labels-idx1-ubyte"),
        MnistFixtures.idxLabels(0x0801, images.size(), labels));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
