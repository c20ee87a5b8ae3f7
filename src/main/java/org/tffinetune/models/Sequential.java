package org.tffinetune.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tffinetune.data.LabeledImages;
import org.tffinetune.layers.InputLayer;
import org.tffinetune.layers.Layer;
import org.tffinetune.layers.Weight;
import org.tffinetune.layers.WeightSpec;
import org.tffinetune.losses.Loss;
import org.tffinetune.optimizers.OptimizerSpec;

/**
 * A linear stack of layers with Keras's {@code Sequential} API: {@link #add}, {@link #compile},
 * {@link #fit}, {@link #evaluate}, {@link #predict} and {@link #summary}.
 *
 * <p>Inputs are float32 images in NHWC layout, {@code [batch, inputShape...]}. Weights are drawn
 * from the model's seed when the model is first compiled or used, so a fixed seed gives the same
 * weights, batch order and dropout masks on every run on the same machine.
 *
 * <p>Changing {@code trainable} on a layer takes effect at the next {@link #compile}, as in Keras.
 * A model holds a TensorFlow graph and session once used; {@link #close} releases them. Instances
 * are not thread-safe; use a {@code Predictor} to serve predictions from many threads.
 */
public final class Sequential implements AutoCloseable {
  /** TensorFlow's rule for op names, which layer names become part of. */
  private static final Pattern LAYER_NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

  private final String name;
  private final long[] inputShape;
  private final List<Layer> layers = new ArrayList<>();
  private final Map<String, Integer> nameCounters = new HashMap<>();
  private Map<String, Weight> pendingWeights;
  private long seed = System.nanoTime();
  private SplittableRandom random;
  private long step;
  private OptimizerSpec optimizer;
  private Loss loss;
  private ConfigProto sessionConfig = ConfigProto.getDefaultInstance();
  private ModelGraph graph;
  private List<String> classNames;

  /** Creates an empty model named {@code sequential} for examples of shape {@code inputShape}. */
  public Sequential(long... inputShape) {
    this("sequential", inputShape);
  }

  /** Creates an empty model with a name, for examples of shape {@code inputShape}. */
  public Sequential(String name, long... inputShape) {
    if (inputShape.length == 0) {
      throw new IllegalArgumentException("input shape must have at least one dimension");
    }
    for (long d : inputShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "input shape dimensions must be positive, got " + Layer.formatShape(inputShape));
      }
    }
    this.name = name;
    this.inputShape = inputShape.clone();
  }

  /**
   * Adds a layer at the top of the stack, names it Keras-style when it has no name ({@code conv2d},
   * {@code conv2d_1}, ...), and builds it for the current output shape.
   *
   * @throws IllegalArgumentException when the layer does not fit the current output shape or its
   *     name is taken
   */
  public Sequential add(Layer layer) {
    requireNoGraph("add a layer");
    if (layer.name() == null) {
      layer.setName(uniqueName(layer.defaultNamePrefix()));
    } else {
      if (!LAYER_NAME.matcher(layer.name()).matches()) {
        throw new IllegalArgumentException(
            "layer name '"
                + layer.name()
                + "' is invalid: it must start with a letter, digit or"
                + " '.', followed by letters, digits, '_', '.' or '-'");
      }
      for (Layer existing : layers) {
        if (existing.name().equals(layer.name())) {
          throw new IllegalArgumentException(
              "layer name '" + layer.name() + "' is already used in model '" + name + "'");
        }
      }
    }
    layer.build(outputShape());
    layers.add(layer);
    return this;
  }

  private String uniqueName(String prefix) {
    Set<String> taken = new HashSet<>();
    layers.forEach(l -> taken.add(l.name()));
    while (true) {
      int n = nameCounters.merge(prefix, 1, Integer::sum) - 1;
      String candidate = n == 0 ? prefix : prefix + "_" + n;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }

  /** Returns the model name. */
  public String name() {
    return name;
  }

  /** Returns the example shape without the batch dimension. */
  public long[] inputShape() {
    return inputShape.clone();
  }

  /** Returns the output shape of the last layer (the input shape when there are no layers). */
  public long[] outputShape() {
    return layers.isEmpty() ? inputShape.clone() : layers.get(layers.size() - 1).outputShape();
  }

  /** Returns the layers in order; {@link InputLayer}s are kept when added. */
  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  /** Returns the layer with the given name. */
  public Layer getLayer(String layerName) {
    for (Layer layer : layers) {
      if (layer.name().equals(layerName)) {
        return layer;
      }
    }
    throw new IllegalArgumentException(
        "model '"
            + name
            + "' has no layer named '"
            + layerName
            + "'; layers: "
            + layers.stream().map(Layer::name).toList());
  }

  /** Returns the number of classes: the size of the last dimension of the output. */
  public int numClasses() {
    long[] out = outputShape();
    return (int) out[out.length - 1];
  }

  /**
   * Returns a name per output class, such as the digits {@code ["5", "6", "7", "8", "9"]} for a
   * model trained on digits 5-9; {@code "0"} to {@code "k-1"} when none were set.
   */
  public List<String> classNames() {
    if (classNames != null && classNames.size() == numClasses()) {
      return classNames;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < numClasses(); i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }

  /** Sets a name per output class; the list size must equal the output size. */
  public Sequential setClassNames(List<String> names) {
    if (names.size() != numClasses()) {
      throw new IllegalArgumentException(
          "model '"
              + name
              + "' has "
              + numClasses()
              + " classes but "
              + names.size()
              + " class names were given: "
              + names);
    }
    this.classNames = List.copyOf(names);
    return this;
  }

  /**
   * Sets the seed for weight initialization, shuffling and dropout. Takes effect for weights not
   * yet drawn and for later fits.
   */
  public Sequential setSeed(long seed) {
    this.seed = seed;
    this.random = null;
    this.step = 0;
    return this;
  }

  /** Returns the seed. */
  public long seed() {
    return seed;
  }

  /**
   * Sets the TensorFlow thread pools: {@code intraOp} threads inside one op, {@code interOp} ops
   * run at once; 0 lets TensorFlow choose (the number of cores). Takes effect at the next compile.
   */
  public Sequential setThreads(int intraOp, int interOp) {
    if (intraOp < 0 || interOp < 0) {
      throw new IllegalArgumentException(
          "thread counts must be 0 or more, got intra-op " + intraOp + ", inter-op " + interOp);
    }
    this.sessionConfig =
        ConfigProto.newBuilder()
            .setIntraOpParallelismThreads(intraOp)
            .setInterOpParallelismThreads(interOp)
            .build();
    return this;
  }

  /**
   * Configures the model for training, as Keras's {@code compile}: the optimizer, the loss, and
   * accuracy as the metric. Builds the training graph with the layers' current {@code trainable}
   * flags; weights carry over from before, optimizer state starts fresh.
   */
  public void compile(OptimizerSpec optimizer, Loss loss) {
    if (layers.isEmpty()) {
      throw new IllegalStateException("add layers before compile()");
    }
    Map<String, Weight> current = currentWeights();
    closeGraph();
    this.optimizer = optimizer;
    this.loss = loss;
    this.graph = new ModelGraph(layers, inputShape, optimizer, loss, numClasses(), sessionConfig);
    graph.assign(current);
  }

  /** Compiles with an optimizer and loss given by their Keras names. */
  public void compile(String optimizerName, String lossName) {
    compile(OptimizerSpec.of(optimizerName), Loss.forKerasName(lossName));
  }

  /** Returns true once {@link #compile} has run. */
  public boolean isCompiled() {
    return optimizer != null;
  }

  /** Returns the optimizer set by {@link #compile}, or null. */
  public OptimizerSpec optimizer() {
    return optimizer;
  }

  /**
   * Trains the model on {@code x}, as Keras's {@code fit}.
   *
   * @param x training images and labels; its class count must equal the model's output size
   * @return the per-epoch metrics
   * @throws IllegalStateException before {@link #compile}
   * @throws TrainingDivergedException when the loss becomes NaN or infinite
   */
  public History fit(LabeledImages x, FitOptions options) {
    requireCompiled("fit");
    checkData(x, "training data");
    if (options.validationData != null) {
      checkData(options.validationData, "validation data");
    }
    if (graph == null || graph.trainStep == null) {
      compile(optimizer, loss);
    }
    return new Trainer(this, graph, options).fit(x);
  }

  /**
   * Returns the mean loss and the accuracy over {@code x}, as Keras's {@code evaluate}, in
   * inference mode (no dropout).
   */
  public Evaluation evaluate(LabeledImages x, int batchSize) {
    requireCompiled("evaluate");
    checkData(x, "evaluation data");
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    if (graph == null || graph.trainStep == null) {
      compile(optimizer, loss);
    }
    return Trainer.evaluate(graph, x, batchSize);
  }

  /**
   * Returns class probabilities for {@code count} examples given as float32 values in NHWC order
   * ({@code count * product(inputShape)} values), as Keras's {@code predict}.
   */
  public float[][] predict(float[] images, int count) {
    long exampleSize = Weight.elementCount(inputShape);
    if (images.length != count * exampleSize) {
      throw new IllegalArgumentException(
          "predict expects "
              + count
              + " examples of shape "
              + Layer.formatShape(inputShape)
              + " = "
              + count * exampleSize
              + " values, got "
              + images.length);
    }
    ensureGraph();
    long[] shape = new long[inputShape.length + 1];
    shape[0] = count;
    System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
    // Each example's output is flattened to one row, in row-major order.
    int classes = Math.toIntExact(Weight.elementCount(outputShape()));
    float[][] result = new float[count][classes];
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(images, true, false));
        Result out =
            graph.session.runner().feed(graph.input, in).fetch(graph.probabilities).run()) {
      float[] flat = new float[count * classes];
      out.get(0).asRawTensor().data().asFloats().read(flat);
      for (int i = 0; i < count; i++) {
        System.arraycopy(flat, i * classes, result[i], 0, classes);
      }
    }
    return result;
  }

  /** Returns class probabilities for every image of {@code x}, in batches of {@code batchSize}. */
  public float[][] predict(LabeledImages x, int batchSize) {
    checkImageInput("predict");
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    float[][] result = new float[x.size()][];
    float[] buffer = new float[batchSize * LabeledImages.IMAGE_PIXELS];
    for (int from = 0; from < x.size(); from += batchSize) {
      int count = Math.min(batchSize, x.size() - from);
      float[] batch = count == batchSize ? buffer : new float[count * LabeledImages.IMAGE_PIXELS];
      x.fillImages(null, from, count, batch);
      float[][] probs = predict(batch, count);
      System.arraycopy(probs, 0, result, from, count);
    }
    return result;
  }

  /** Returns Keras 3's {@code summary()} table for this model. */
  public String summary() {
    return Summary.format(this);
  }

  /** Returns the total number of parameters. */
  public long countParams() {
    long count = 0;
    for (Layer layer : layers) {
      count += layer.countParams();
    }
    return count;
  }

  /** Returns the number of parameters that an optimizer updates. */
  public long countTrainableParams() {
    long count = 0;
    for (Layer layer : layers) {
      for (WeightSpec spec : layer.trainableWeightSpecs()) {
        count += spec.size();
      }
    }
    return count;
  }

  /**
   * Returns all weights keyed {@code layer/weight} ({@code conv2d/kernel}, ...), in model order.
   * Values are copies.
   */
  public Map<String, Weight> getWeights() {
    return currentWeights();
  }

  /**
   * Sets weights by {@code layer/weight} key. Keys not given keep their values.
   *
   * @throws IllegalArgumentException for an unknown key or a shape that differs from the layer's,
   *     naming the layer and both shapes
   */
  public void setWeights(Map<String, Weight> weights) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (Layer layer : layers) {
      for (WeightSpec spec : layer.weightSpecs()) {
        shapes.put(layer.name() + "/" + spec.name(), spec.shape());
      }
    }
    for (Map.Entry<String, Weight> e : weights.entrySet()) {
      long[] expected = shapes.get(e.getKey());
      if (expected == null) {
        throw new IllegalArgumentException(
            "model '" + name + "' has no weight '" + e.getKey() + "'; weights: " + shapes.keySet());
      }
      if (!java.util.Arrays.equals(expected, e.getValue().shape())) {
        throw new IllegalArgumentException(
            "weight '"
                + e.getKey()
                + "' of layer '"
                + e.getKey().substring(0, e.getKey().lastIndexOf('/'))
                + "' has shape "
                + java.util.Arrays.toString(expected)
                + " but the value has shape "
                + java.util.Arrays.toString(e.getValue().shape()));
      }
    }
    Map<String, Weight> merged = currentWeights();
    merged.putAll(weights);
    if (graph != null) {
      graph.assign(weights);
    } else {
      pendingWeights = merged;
    }
  }

  /**
   * Writes the model as a SavedModel into {@code dir}, which must not exist: tag {@code serve},
   * signature {@code serving_default} with float32 input {@code input} of shape {@code [-1,
   * inputShape...]} and float32 output {@code probabilities} of shape {@code [-1, classes]}. The
   * graph contains the inference path only (no dropout, no optimizer state).
   *
   * <p>This writes in place; {@link org.tffinetune.saving.SavedModels#save} adds the architecture
   * file and makes the write atomic.
   */
  public void exportSavedModel(java.nio.file.Path dir) throws java.io.IOException {
    Map<String, Weight> weights = currentWeights();
    try (ModelGraph export =
        new ModelGraph(layers, inputShape, null, null, numClasses(), sessionConfig)) {
      export.assign(weights);
      org.tensorflow.Signature signature =
          org.tensorflow.Signature.builder()
              .key(org.tensorflow.Signature.DEFAULT_KEY)
              // TensorFlow Serving runs :predict only on signatures with this method name.
              .methodName("tensorflow/serving/predict")
              .input(ModelGraph.INPUT_NAME, export.input)
              .output(ModelGraph.OUTPUT_NAME, export.probabilities)
              .build();
      org.tensorflow.SavedModelBundle.exporter(dir.toString())
          .withTags(org.tensorflow.SavedModelBundle.DEFAULT_TAG)
          .withSession(export.session)
          .withSignature(signature)
          .export();
    }
  }

  /** Name of the input in the {@code serving_default} signature of exported SavedModels. */
  public static final String SIGNATURE_INPUT = ModelGraph.INPUT_NAME;

  /** Name of the output in the {@code serving_default} signature of exported SavedModels. */
  public static final String SIGNATURE_OUTPUT = ModelGraph.OUTPUT_NAME;

  /** Returns the model's graph, building an inference graph when none exists yet. */
  ModelGraph graph() {
    ensureGraph();
    return graph;
  }

  long nextStep() {
    return step++;
  }

  SplittableRandom random() {
    if (random == null) {
      random = new SplittableRandom(seed);
    }
    return random;
  }

  Loss loss() {
    return loss;
  }

  ConfigProto sessionConfig() {
    return sessionConfig;
  }

  private void ensureGraph() {
    if (graph == null) {
      Map<String, Weight> current = currentWeights();
      graph = new ModelGraph(layers, inputShape, null, null, numClasses(), sessionConfig);
      graph.assign(current);
    }
  }

  private Map<String, Weight> currentWeights() {
    if (graph != null) {
      return graph.read();
    }
    if (pendingWeights == null) {
      pendingWeights = initialWeights();
    }
    return new LinkedHashMap<>(pendingWeights);
  }

  private Map<String, Weight> initialWeights() {
    Map<String, Weight> weights = new LinkedHashMap<>();
    SplittableRandom init = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (Layer layer : layers) {
      for (WeightSpec spec : layer.weightSpecs()) {
        float[] values = spec.initializer().generate(spec.shape(), init);
        weights.put(
            layer.name() + "/" + spec.name(), new Weight(spec.name(), spec.shape(), values));
      }
    }
    return weights;
  }

  private void checkData(LabeledImages x, String what) {
    checkImageInput("train on MNIST images");
    if (x.numClasses() != numClasses()) {
      throw new IllegalArgumentException(
          what
              + " has "
              + x.numClasses()
              + " classes (digits "
              + java.util.Arrays.toString(x.digits())
              + ") but model '"
              + name
              + "' outputs "
              + numClasses()
              + " classes; select as many digits as the model's head has outputs");
    }
    if (x.size() == 0) {
      throw new IllegalArgumentException(what + " is empty");
    }
  }

  private void checkImageInput(String action) {
    long[] mnist = {LabeledImages.IMAGE_HEIGHT, LabeledImages.IMAGE_WIDTH, 1};
    if (!java.util.Arrays.equals(inputShape, mnist)
        && Weight.elementCount(inputShape) != LabeledImages.IMAGE_PIXELS) {
      throw new IllegalArgumentException(
          "cannot "
              + action
              + ": model '"
              + name
              + "' takes input "
              + Layer.formatShape(inputShape)
              + " but MNIST images are (None, 28, 28, 1)");
    }
  }

  private void requireCompiled(String action) {
    if (optimizer == null) {
      throw new IllegalStateException("call compile() before " + action + "()");
    }
  }

  private void requireNoGraph(String action) {
    if (graph != null) {
      throw new IllegalStateException(
          "cannot " + action + " after the model was compiled or used; build a new model");
    }
  }

  private void closeGraph() {
    if (graph != null) {
      graph.close();
      graph = null;
    }
  }

  /** Releases the TensorFlow graph and session. The model can be used again, rebuilding them. */
  @Override
  public void close() {
    if (graph != null) {
      pendingWeights = graph.read();
      closeGraph();
    }
  }
}
