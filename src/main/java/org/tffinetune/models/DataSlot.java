package org.tffinetune.models;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tffinetune.data.LabeledImages;

/**
 * A labelled image set kept inside the graph as uint8 variables, from which each step gathers its
 * batch by index. Only the batch's indices cross from Java to TensorFlow per step, so feeding costs
 * almost nothing, and the float32 batch exists only inside TensorFlow.
 *
 * <p>Pixels become float32 as {@code pixel / 255}, the same float division as {@link
 * LabeledImages#fillImages}, so graph-gathered and fed batches are bit-identical.
 */
final class DataSlot {
  private final Variable<TUint8> images;
  private final Variable<TUint8> labels;
  private final Placeholder<TUint8> imagesValue;
  private final Placeholder<TUint8> labelsValue;
  private final Op assignImages;
  private final Op assignLabels;
  private LabeledImages loaded;

  DataSlot(Ops tf, String name) {
    Ops scope = tf.withSubScope(name);
    images = scope.withName("images").variable(Shape.unknown(), TUint8.class);
    labels = scope.withName("labels").variable(Shape.unknown(), TUint8.class);
    imagesValue = scope.withName("images_value").placeholder(TUint8.class);
    labelsValue = scope.withName("labels_value").placeholder(TUint8.class);
    assignImages = scope.assign(images, imagesValue, Assign.validateShape(false));
    assignLabels = scope.assign(labels, labelsValue, Assign.validateShape(false));
  }

  /**
   * Returns the batch of images at {@code indices} as float32 in [0, 1] with shape [batch,
   * inputShape...].
   */
  Operand<TFloat32> imagesAt(Ops tf, Operand<TInt32> indices, long[] inputShape) {
    Operand<TUint8> gathered = tf.gather(images, indices, tf.constant(0));
    Operand<TFloat32> floats =
        tf.math.div(tf.dtypes.cast(gathered, TFloat32.class), tf.constant(255f));
    long[] shape = new long[inputShape.length + 1];
    shape[0] = -1;
    System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
    return tf.reshape(floats, tf.constant(shape));
  }

  /** Returns the number of examples held, as an int32 tensor of shape [1]. */
  Operand<TInt32> count(Ops tf) {
    return tf.shape(labels);
  }

  /** Returns the labels at {@code indices} as int64 class indices. */
  Operand<TInt64> labelsAt(Ops tf, Operand<TInt32> indices) {
    return tf.dtypes.cast(tf.gather(labels, indices, tf.constant(0)), TInt64.class);
  }

  /** Copies {@code data} into the graph unless this slot already contains that very set. */
  void load(Session session, LabeledImages data) {
    if (loaded == data) {
      return;
    }
    int n = data.size();
    ByteDataBuffer pixels = DataBuffers.of(data.pixelBuffer());
    ByteDataBuffer classes = DataBuffers.of(data.labelBuffer());
    try (TUint8 imageTensor =
            TUint8.tensorOf(
                Shape.of(n, LabeledImages.IMAGE_HEIGHT, LabeledImages.IMAGE_WIDTH), pixels);
        TUint8 labelTensor = TUint8.tensorOf(Shape.of(n), classes)) {
      session
          .runner()
          .feed(imagesValue, imageTensor)
          .feed(labelsValue, labelTensor)
          .addTarget(assignImages)
          .addTarget(assignLabels)
          .run()
          .close();
    }
    loaded = data;
  }
}
