package org.tffinetune.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.tffinetune.InvalidInputException;

/**
 * Reads MNIST from a directory of the four IDX files, each raw or gzip-compressed, under the
 * standard names ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code
 * t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}), their {@code .gz} forms, or the dotted
 * variants such as {@code train-images.idx3-ubyte}.
 */
final class IdxDirectoryReader {
  private IdxDirectoryReader() {}

  /**
   * Reads the four IDX files in {@code directory}.
   *
   * @throws InvalidInputException if a file is missing or is not a valid MNIST IDX file
   */
  static MnistDataset read(Path directory) {
    Map<MnistFile, IdxData> contents = new EnumMap<>(MnistFile.class);
    for (MnistFile kind : MnistFile.values()) {
      Path file = find(directory, kind);
      contents.put(kind, new IdxData(IdxReader.read(file, kind), file.toString()));
    }
    return MnistDataset.ofIdxFiles(contents, "IDX files in " + directory);
  }

  /** Returns the first of the accepted names for {@code kind} that exists in {@code directory}. */
  static Path find(Path directory, MnistFile kind) {
    for (String name : kind.fileNames()) {
      Path file = directory.resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new InvalidInputException(
        String.format(
            "%s: missing MNIST file %s; expected one of %s",
            directory, kind.standardName(), String.join(", ", kind.fileNames())));
  }
}
