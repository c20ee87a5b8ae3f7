package org.tffinetune.data;

import java.util.List;

/** The four IDX files of MNIST, with the file names under which the readers look for each. */
enum MnistFile {
  TRAIN_IMAGES("train-images", "idx3-ubyte"),
  TRAIN_LABELS("train-labels", "idx1-ubyte"),
  TEST_IMAGES("t10k-images", "idx3-ubyte"),
  TEST_LABELS("t10k-labels", "idx1-ubyte");

  private final List<String> fileNames;

  MnistFile(String stem, String suffix) {
    String standard = stem + "-" + suffix;
    String dotted = stem + "." + suffix;
    this.fileNames = List.of(standard, standard + ".gz", dotted, dotted + ".gz");
  }

  /**
   * Returns the accepted file names, standard name first: {@code train-images-idx3-ubyte}, its
   * {@code .gz}, and the {@code train-images.idx3-ubyte} variant with its {@code .gz}.
   */
  List<String> fileNames() {
    return fileNames;
  }

  /** Returns the standard file name, such as {@code train-images-idx3-ubyte}. */
  String standardName() {
    return fileNames.get(0);
  }

  boolean isImages() {
    return this == TRAIN_IMAGES || this == TEST_IMAGES;
  }
}
