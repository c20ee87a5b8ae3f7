package org.tffinetune.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Runs one built layer in a graph of its own, so that tests can read its raw output tensor, run its
 * training-mode ops and read its weights after the state updates it registers.
 */
final class LayerRunner {
  /** The output tensor of one run and the weights read after the run's updates. */
  record Run(long[] shape, float[] values, Map<String, float[]> weightsAfter) {}

  private LayerRunner() {}

  /** Runs {@code layer} in inference mode on one batch, with weights from their initializers. */
  static Run inference(Layer layer, long[] batchShape, float[] input) {
    return run(layer, batchShape, input, Map.of(), false, null);
  }

  /**
   * Runs {@code layer} on one batch.
   *
   * @param weights values by weight name; weights not given use their initializer
   * @param training whether to build the training forward pass
   * @param seed the two-element stateless seed fed in training mode, or null
   */
  static Run run(
      Layer layer,
      long[] batchShape,
      float[] input,
      Map<String, float[]> weights,
      boolean training,
      long[] seed) {
    return run(layer, 0, batchShape, input, weights, training, seed);
  }

  /** Runs {@code layer} as {@link #run} does, as if it sat at {@code layerIndex} in its model. */
  static Run run(
      Layer layer,
      int layerIndex,
      long[] batchShape,
      float[] input,
      Map<String, float[]> weights,
      boolean training,
      long[] seed) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      List<Variable<TFloat32>> variables = new ArrayList<>();
      for (WeightSpec spec : layer.weightSpecs()) {
        float[] values = weights.get(spec.name());
        if (values == null) {
          values = spec.initializer().generate(spec.shape(), new java.util.SplittableRandom(1));
        }
        Variable<TFloat32> variable =
            tf.withName(spec.name())
                .variable(tf.constant(Shape.of(spec.shape()), DataBuffers.of(values, true, false)));
        variables.add(variable);
      }
      Placeholder<TInt64> seedInput =
          tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      CallContext context = new CallContext(training, training ? seedInput : null);
      var output =
          layer.call(
              tf,
              tf.constant(Shape.of(batchShape), DataBuffers.of(input, true, false)),
              variables,
              context,
              layerIndex);
      try (Session session = new Session(graph)) {
        session.initialize();
        Session.Runner runner = session.runner().fetch(output);
        for (Op update : context.updates()) {
          runner.addTarget(update);
        }
        long[] shape;
        float[] values;
        try (TInt64 seedTensor = TInt64.vectorOf(seed == null ? new long[] {0, 0} : seed)) {
          if (training) {
            runner.feed(seedInput, seedTensor);
          }
          try (Result result = runner.run()) {
            Tensor tensor = result.get(0);
            shape = tensor.shape().asArray();
            values = new float[Math.toIntExact(tensor.shape().size())];
            tensor.asRawTensor().data().asFloats().read(values);
          }
        }
        return new Run(shape, values, read(session, layer, variables));
      }
    }
  }

  private static Map<String, float[]> read(
      Session session, Layer layer, List<Variable<TFloat32>> variables) {
    Map<String, float[]> result = new LinkedHashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      try (Result r = session.runner().fetch(variables.get(i)).run()) {
        Tensor tensor = r.get(0);
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.asRawTensor().data().asFloats().read(values);
        result.put(layer.weightSpecs().get(i).name(), values);
      }
    }
    return result;
  }
}
