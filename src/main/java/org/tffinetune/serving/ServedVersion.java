package org.tffinetune.serving;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded version of a served model, with its batch queue and a reference count.
 *
 * <p>The owning {@link ServedModel} holds one reference while the version is current, and each
 * request holds one while it runs. {@link #retire()} drops the owner's reference, and the last
 * {@link #release()} closes the batch queue and the predictor, so a version that is replaced stays
 * open until the requests that started on it finish.
 */
final class ServedVersion {
  private static final Logger LOG = LoggerFactory.getLogger(ServedVersion.class);

  private final String modelName;
  private final long version;
  private final Predictor predictor;
  private final BatchQueue batchQueue;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicBoolean retired = new AtomicBoolean();

  ServedVersion(String modelName, long version, Predictor predictor, BatchQueue batchQueue) {
    this.modelName = modelName;
    this.version = version;
    this.predictor = predictor;
    this.batchQueue = batchQueue;
  }

  long version() {
    return version;
  }

  Predictor predictor() {
    return predictor;
  }

  BatchQueue batchQueue() {
    return batchQueue;
  }

  /** Takes a reference unless the version has already been unloaded. */
  boolean tryAcquire() {
    while (true) {
      int count = references.get();
      if (count == 0) {
        return false;
      }
      if (references.compareAndSet(count, count + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference taken by {@link #tryAcquire()}; the last one unloads the version. */
  void release() {
    int count = references.decrementAndGet();
    if (count == 0) {
      unload();
    } else if (count < 0) {
      throw new IllegalStateException(
          "model " + modelName + " version " + version + " released more often than acquired");
    }
  }

  /** Drops the owner's reference once; the version unloads when no request holds it. */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      release();
    }
  }

  private void unload() {
    batchQueue.close();
    predictor.close();
    LOG.info("Unloaded model {} version {}", modelName, version);
  }
}
