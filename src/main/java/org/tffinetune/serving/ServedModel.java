package org.tffinetune.serving;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tffinetune.InvalidInputException;

/**
 * A named model in the server and the version of it that is loaded now.
 *
 * <p>A plain SavedModel folder is served as version {@value ModelVersions#PLAIN_FOLDER_VERSION} and
 * never changes. A base folder with numbered version sub-folders serves the highest complete
 * version that loads; {@link #pollForNewVersion()} loads a higher one when it appears, switches to
 * it atomically and retires the old one, which closes after its in-flight requests finish.
 */
final class ServedModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServedModel.class);

  /** Loads one version folder into a {@link ServedVersion}. */
  interface VersionLoader {
    ServedVersion load(String modelName, long version, Path dir);
  }

  private final String name;
  private final Path baseDir;
  private final boolean versioned;
  private final VersionLoader loader;
  private final AtomicReference<ServedVersion> current = new AtomicReference<>();
  // Last load error logged per version, so that a broken folder is logged once, not every poll.
  // Only open() and then the single poller thread use it.
  private final Map<Long, String> loggedFailures = new HashMap<>();

  private ServedModel(String name, Path baseDir, boolean versioned, VersionLoader loader) {
    this.name = name;
    this.baseDir = baseDir;
    this.versioned = versioned;
    this.loader = loader;
  }

  /**
   * Loads the model in {@code dir}: the folder itself when it is a SavedModel, else its highest
   * complete version that loads.
   *
   * @throws InvalidInputException if the folder is missing or no version in it loads
   */
  static ServedModel open(String name, Path dir, VersionLoader loader) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException("model folder for '" + name + "' not found: " + dir);
    }
    if (ModelVersions.isSavedModel(dir)) {
      ServedModel model = new ServedModel(name, dir, false, loader);
      model.current.set(loader.load(name, ModelVersions.PLAIN_FOLDER_VERSION, dir));
      return model;
    }
    List<Long> versions = ModelVersions.completeVersions(dir);
    if (versions.isEmpty()) {
      throw new InvalidInputException(
          "model folder for '"
              + name
              + "' has no SavedModel: "
              + dir
              + " (expected saved_model.pb"
              + " in it, or numbered version folders with saved_model.pb and"
              + " variables/variables.index)");
    }
    ServedModel model = new ServedModel(name, dir, true, loader);
    RuntimeException lastFailure = null;
    for (long version : versions) {
      try {
        model.current.set(loader.load(name, version, ModelVersions.versionDir(dir, version)));
        return model;
      } catch (RuntimeException e) {
        LOG.warn("Failed to load model {} version {} from {}", name, version, dir, e);
        lastFailure = e;
      }
    }
    throw new InvalidInputException(
        "no version of model '"
            + name
            + "' in "
            + dir
            + " loads; versions tried: "
            + versions
            + "; last error: "
            + lastFailure.getMessage(),
        lastFailure);
  }

  String name() {
    return name;
  }

  /** Returns the version served now, or -1 after {@link #close()}. */
  long currentVersion() {
    ServedVersion version = current.get();
    return version == null ? -1 : version.version();
  }

  /**
   * Takes a reference to the current version for one request. The caller must call {@link
   * ServedVersion#release()} when done.
   *
   * @param requestedVersion the version the request names, or null for the current one
   * @return the version, or null if the requested version is not loaded or the model is closed
   */
  ServedVersion acquire(Long requestedVersion) {
    while (true) {
      ServedVersion version = current.get();
      if (version == null) {
        return null;
      }
      if (requestedVersion != null && requestedVersion != version.version()) {
        return null;
      }
      if (version.tryAcquire()) {
        return version;
      }
      // The version was retired and unloaded between get() and tryAcquire(); read the new one.
    }
  }

  /**
   * Loads the highest complete version above the current one, if any, and switches to it. A version
   * that fails to load is skipped and tried again at the next poll, since its writer may still be
   * copying files.
   *
   * @return whether the served version changed
   */
  boolean pollForNewVersion() {
    if (!versioned) {
      return false;
    }
    long served = currentVersion();
    for (long version : ModelVersions.completeVersions(baseDir)) {
      if (version <= served) {
        return false;
      }
      ServedVersion loaded;
      try {
        loaded = loader.load(name, version, ModelVersions.versionDir(baseDir, version));
      } catch (RuntimeException e) {
        logLoadFailure(version, e);
        continue;
      }
      return switchTo(loaded);
    }
    return false;
  }

  private boolean switchTo(ServedVersion loaded) {
    ServedVersion previous = current.get();
    if (previous == null || !current.compareAndSet(previous, loaded)) {
      // The model was closed while the new version loaded.
      loaded.retire();
      return false;
    }
    loggedFailures.remove(loaded.version());
    LOG.info(
        "Model {} switched from version {} to version {}",
        name,
        previous.version(),
        loaded.version());
    previous.retire();
    return true;
  }

  private void logLoadFailure(long version, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    if (!message.equals(loggedFailures.put(version, message))) {
      LOG.warn(
          "Failed to load model {} version {} from {}; will retry at the next poll",
          name,
          version,
          baseDir,
          e);
    }
  }

  /** Stops serving; the loaded version closes once no request uses it. */
  @Override
  public void close() {
    ServedVersion version = current.getAndSet(null);
    if (version != null) {
      version.retire();
    }
  }
}
