package org.tffinetune.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tffinetune.models.Sequential;
import org.tffinetune.notebook.NotebookModel;

/** Checks the serving contract of written SavedModels, as TensorFlow Serving reads it. */
class SavedModelSignatureTest {

  @Test
  void servingDefaultContract(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("model");
    try (Sequential notebook = NotebookModel.build(5, 1)) {
      SavedModels.save(notebook, model, false);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      Signature signature = bundle.function("serving_default").signature();
      // TensorFlow Serving rejects :predict on signatures with another method name.
      assertEquals("tensorflow/serving/predict", signature.methodName());
      assertEquals(Set.of("input"), signature.inputNames());
      assertEquals(Set.of("probabilities"), signature.outputNames());
      Signature.TensorDescription input = signature.getInputs().get("input");
      assertArrayEquals(new long[] {-1, 28, 28, 1}, input.shape.asArray());
      assertEquals("DT_FLOAT", input.dataType.name());
      Signature.TensorDescription output = signature.getOutputs().get("probabilities");
      assertArrayEquals(new long[] {-1, 5}, output.shape.asArray());
      assertEquals("DT_FLOAT", output.dataType.name());
    }
  }
}
