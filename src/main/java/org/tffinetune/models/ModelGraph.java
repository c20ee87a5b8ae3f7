package org.tffinetune.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tffinetune.layers.CallContext;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.losses.Loss;
import org.tffinetune.optimizers.KerasOptimizer;
import org.tffinetune.optimizers.OptimizerSpec;

/**
 * The TensorFlow graph and session of a {@link Sequential} model: one variable per weight, an
 * inference path fed from a placeholder, and, once compiled, a training step and an evaluation path
 * that gather their batches from data held in the graph.
 *
 * <p>Freezing happens here: gradients are requested from {@link Graph#addGradients} for the
 * trainable variables only, and only those pairs reach the optimizer's {@code applyGradients}.
 * tensorflow-framework's {@code Optimizer.minimize} would differentiate every variable in the
 * graph, frozen ones included.
 */
final class ModelGraph implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelGraph.class);

  /** Name of the inference input placeholder. */
  static final String INPUT_NAME = "input";

  /** Name of the inference output. */
  static final String OUTPUT_NAME = "probabilities";

  final Graph graph;
  final Ops tf;
  final Session session;

  private final List<Layer> layers;
  private final long[] inputShape;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> assignValues = new LinkedHashMap<>();
  private final List<Op> assignOps = new ArrayList<>();

  final Placeholder<TFloat32> input;
  final Operand<TFloat32> probabilities;

  // Training and evaluation ops; null when the graph was built for inference only.
  final DataSlot trainData;
  final DataSlot evalData;
  final Placeholder<TInt32> batchIndices;
  final Placeholder<TInt64> seed;
  final Op trainStep;
  final Operand<TFloat32> trainLossMean;
  final Operand<TFloat32> trainCorrect;
  final Operand<TFloat32> evalLossSum;
  final Operand<TFloat32> evalCorrect;
  final Operand<TFloat32> evalProbabilities;
  final List<String> trainableVariableNames = new ArrayList<>();

  // Training on cached frozen features; null when no frozen prefix can be cached.
  final int cacheSplit;
  final Op initCachedFeatures;
  final Op fillCachedFeatures;
  final Op cachedTrainStep;
  final Operand<TFloat32> cachedLossMean;
  final Operand<TFloat32> cachedCorrect;

  /** The data set whose frozen features the cache holds, or null when it must be refilled. */
  Object cachedFor;

  /**
   * Builds the graph.
   *
   * @param optimizer null for an inference-only graph
   */
  ModelGraph(
      List<Layer> layers,
      long[] inputShape,
      OptimizerSpec optimizer,
      Loss loss,
      int numClasses,
      ConfigProto config) {
    this.layers = layers;
    this.inputShape = inputShape.clone();
    this.graph = new Graph();
    this.tf = Ops.create(graph);

    // Variables, named <layer>/<weight> as Keras names them, and their assign ops.
    for (Layer layer : layers) {
      Ops scope = tf.withSubScope(layer.name());
      for (WeightSpec spec : layer.weightSpecs()) {
        String key = layer.name() + "/" + spec.name();
        Variable<TFloat32> v =
            scope.withName(spec.name()).variable(Shape.of(spec.shape()), TFloat32.class);
        Placeholder<TFloat32> value =
            scope
                .withName(spec.name() + "_value")
                .placeholder(TFloat32.class, Placeholder.shape(Shape.of(spec.shape())));
        variables.put(key, v);
        assignValues.put(key, value);
        assignOps.add(scope.withName(spec.name() + "_assign").assign(v, value));
      }
    }

    // Inference path: placeholder in, probabilities out.
    long[] batchShape = withBatch(inputShape);
    input =
        tf.withName(INPUT_NAME)
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(batchShape)));
    probabilities = tf.withName(OUTPUT_NAME).identity(forward(input, new CallContext(false, null)));

    this.cacheSplit = optimizer == null ? 0 : cacheSplit(layers);
    if (optimizer == null) {
      initCachedFeatures = fillCachedFeatures = cachedTrainStep = null;
      cachedLossMean = cachedCorrect = null;
      trainData = evalData = null;
      batchIndices = null;
      seed = null;
      trainStep = null;
      trainLossMean = trainCorrect = evalLossSum = evalCorrect = evalProbabilities = null;
    } else {
      Ops train = tf.withSubScope("training");
      trainData = new DataSlot(train, "train_data");
      evalData = new DataSlot(train, "eval_data");
      batchIndices =
          train
              .withName("batch_indices")
              .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      seed = train.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));

      // Training forward pass: Dropout active, BatchNormalization on batch statistics.
      CallContext context = new CallContext(true, seed);
      Operand<TFloat32> trainProbs =
          forward(trainData.imagesAt(tf, batchIndices, inputShape), context);
      Operand<TInt64> trainLabels = trainData.labelsAt(tf, batchIndices);
      trainLossMean =
          tf.math.mean(loss.perExample(tf, trainProbs, trainLabels, numClasses), tf.constant(0));
      trainCorrect = correctCount(trainProbs, trainLabels);
      KerasOptimizer keras = optimizer.create(tf);
      trainStep = buildTrainStep(keras, trainLossMean, context.updates());

      // Evaluation pass on the eval slot, in inference mode.
      evalProbabilities =
          forward(evalData.imagesAt(tf, batchIndices, inputShape), new CallContext(false, null));
      Operand<TInt64> evalLabels = evalData.labelsAt(tf, batchIndices);
      evalLossSum =
          tf.reduceSum(
              loss.perExample(tf, evalProbabilities, evalLabels, numClasses), tf.constant(0));
      evalCorrect = correctCount(evalProbabilities, evalLabels);

      if (cacheSplit > 0) {
        // The frozen prefix runs once per image in inference mode, which equals its training
        // mode because it contains no Dropout and no trainable BatchNormalization. The head then
        // trains on gathered features, with the same optimizer state as the full path.
        Ops cache = train.withSubScope("cache");
        Variable<TFloat32> features =
            cache.withName("features").variable(Shape.unknown(), TFloat32.class);
        long[] featureShape = layers.get(cacheSplit - 1).outputShape();
        int[] featureDims = new int[featureShape.length];
        for (int i = 0; i < featureDims.length; i++) {
          featureDims[i] = Math.toIntExact(featureShape[i]);
        }
        Operand<TInt32> allShape =
            tf.concat(List.of(trainData.count(tf), tf.constant(featureDims)), tf.constant(0));
        initCachedFeatures =
            cache
                .withName("init")
                .assign(features, tf.zeros(allShape, TFloat32.class), Assign.validateShape(false));
        Operand<TFloat32> frozenOutput =
            forward(
                trainData.imagesAt(tf, batchIndices, inputShape),
                new CallContext(false, null),
                0,
                cacheSplit);
        fillCachedFeatures =
            cache.withName("fill").scatterUpdate(features, batchIndices, frozenOutput);
        Operand<TFloat32> cachedBatch = tf.gather(features, batchIndices, tf.constant(0));
        CallContext headContext = new CallContext(true, seed);
        Operand<TFloat32> headProbs = forward(cachedBatch, headContext, cacheSplit, layers.size());
        Operand<TInt64> headLabels = trainData.labelsAt(tf, batchIndices);
        cachedLossMean =
            tf.math.mean(loss.perExample(tf, headProbs, headLabels, numClasses), tf.constant(0));
        cachedCorrect = correctCount(headProbs, headLabels);
        cachedTrainStep = buildTrainStep(keras, cachedLossMean, headContext.updates());
      } else {
        initCachedFeatures = fillCachedFeatures = cachedTrainStep = null;
        cachedLossMean = cachedCorrect = null;
      }
    }

    this.session = new Session(graph, config);
    if (optimizer != null) {
      // Runs the optimizer slots' initializers; the model's own variables are assigned below.
      session.initialize();
    }
  }

  private static long[] withBatch(long[] shape) {
    long[] batchShape = new long[shape.length + 1];
    batchShape[0] = -1;
    System.arraycopy(shape, 0, batchShape, 1, shape.length);
    return batchShape;
  }

  /** Adds the forward pass of all layers to the graph. */
  Operand<TFloat32> forward(Operand<TFloat32> x, CallContext context) {
    return forward(x, context, 0, layers.size());
  }

  /** Adds the forward pass of layers {@code [from, to)} to the graph. */
  Operand<TFloat32> forward(Operand<TFloat32> x, CallContext context, int from, int to) {
    Operand<TFloat32> y = x;
    for (int i = from; i < to; i++) {
      Layer layer = layers.get(i);
      List<Variable<TFloat32>> weights = new ArrayList<>();
      for (WeightSpec spec : layer.weightSpecs()) {
        weights.add(variables.get(layer.name() + "/" + spec.name()));
      }
      y = layer.call(tf.withSubScope(layer.name()), y, weights, context, i);
    }
    return y;
  }

  private Operand<TFloat32> correctCount(Operand<TFloat32> probs, Operand<TInt64> labels) {
    Operand<TInt64> predicted = tf.math.argMax(probs, tf.constant(-1), TInt64.class);
    return tf.reduceSum(
        tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class), tf.constant(0));
  }

  /**
   * Returns how many leading layers can be computed once and cached while training: the longest
   * prefix of layers whose weights are all frozen and whose training output equals their inference
   * output. Returns 0 when nothing before the first trainable layer qualifies, or when no layer
   * after the prefix has trainable weights.
   */
  static int cacheSplit(List<Layer> layers) {
    int split = 0;
    while (split < layers.size()) {
      Layer layer = layers.get(split);
      if (!layer.trainableWeightSpecs().isEmpty() || !layer.isDeterministicInTraining()) {
        break;
      }
      split++;
    }
    boolean frozenWeightsInPrefix = false;
    for (int i = 0; i < split; i++) {
      frozenWeightsInPrefix |= layers.get(i).countParams() > 0;
    }
    // A prefix without weights (such as a lone Reshape) is not worth a cache.
    return frozenWeightsInPrefix && split < layers.size() ? split : 0;
  }

  private Op buildTrainStep(
      KerasOptimizer optimizer, Operand<TFloat32> lossMean, List<Op> updates) {
    List<Variable<TFloat32>> trainable = new ArrayList<>();
    trainableVariableNames.clear();
    for (Layer layer : layers) {
      for (WeightSpec spec : layer.trainableWeightSpecs()) {
        String key = layer.name() + "/" + spec.name();
        trainable.add(variables.get(key));
        trainableVariableNames.add(key);
      }
    }
    if (trainable.isEmpty()) {
      throw new IllegalStateException(
          "the model has no trainable weights: every layer with weights is frozen; set"
              + " trainable to true on at least one layer before compile()");
    }

    // TensorFlow rejects a gradient request for a variable that the loss does not depend on, so
    // such variables are left out: they get no gradient and the optimizer leaves them alone.
    Set<GraphOperation> lossInputs = graph.subgraphTo(Set.of(lossMean));
    List<Variable<TFloat32>> updated = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      if (lossInputs.contains((GraphOperation) trainable.get(i).op())) {
        updated.add(trainable.get(i));
        names.add(trainableVariableNames.get(i));
      } else {
        LOG.debug(
            "No path from the loss to {}; it gets no gradient", trainableVariableNames.get(i));
      }
    }
    if (updated.isEmpty()) {
      throw new IllegalStateException(
          "the loss depends on none of the model's trainable weights " + trainableVariableNames);
    }

    Output<?>[] xs = new Output<?>[updated.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = updated.get(i).asOutput();
    }
    Output<?>[] grads = graph.addGradients(lossMean.asOutput(), xs);
    List<Operand<TFloat32>> gradients = new ArrayList<>();
    for (Output<?> grad : grads) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> gradient = (Operand<TFloat32>) grad;
      gradients.add(gradient);
    }

    List<Op> all = new ArrayList<>(updates);
    all.add(optimizer.applyGradients(updated, gradients, names));
    return tf.withControlDependencies(all).withName("train_step").noOp();
  }

  /** Returns the variable keys ({@code layer/weight}) in model order. */
  List<String> variableNames() {
    return new ArrayList<>(variables.keySet());
  }

  /** Returns the variable for a {@code layer/weight} key. */
  Variable<TFloat32> variable(String key) {
    return variables.get(key);
  }

  /** Assigns all given weights in one session run. Keys are {@code layer/weight}. */
  void assign(Map<String, Weight> weights) {
    cachedFor = null;
    List<TFloat32> tensors = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      int i = 0;
      for (Map.Entry<String, Placeholder<TFloat32>> e : assignValues.entrySet()) {
        Weight w = weights.get(e.getKey());
        if (w != null) {
          TFloat32 t =
              TFloat32.tensorOf(Shape.of(w.shape()), DataBuffers.of(w.values(), true, false));
          tensors.add(t);
          runner.feed(e.getValue(), t).addTarget(assignOps.get(i));
        }
        i++;
      }
      if (!tensors.isEmpty()) {
        runner.run().close();
      }
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** Reads all variables in one session run, keyed {@code layer/weight}, in model order. */
  Map<String, Weight> read() {
    Map<String, Weight> result = new LinkedHashMap<>();
    if (variables.isEmpty()) {
      return result;
    }
    Session.Runner runner = session.runner();
    List<String> keys = new ArrayList<>(variables.keySet());
    for (String key : keys) {
      runner.fetch(variables.get(key));
    }
    try (Result r = runner.run()) {
      for (int i = 0; i < keys.size(); i++) {
        Tensor t = r.get(i);
        long[] shape = t.shape().asArray();
        float[] values = new float[Math.toIntExact(t.shape().size())];
        t.asRawTensor().data().asFloats().read(values);
        String key = keys.get(i);
        result.put(key, new Weight(key.substring(key.lastIndexOf('/') + 1), shape, values));
      }
    }
    return result;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
