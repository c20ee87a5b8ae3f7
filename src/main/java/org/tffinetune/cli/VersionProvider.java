package org.tffinetune.cli;

import picocli.CommandLine;

/** Supplies the version line for {@code --version} from the jar manifest or the build. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "tf-finetune " + (version == null ? "(development build)" : version),
      "TensorFlow " + org.tensorflow.TensorFlow.version()
    };
  }
}
