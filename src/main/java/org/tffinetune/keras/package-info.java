/**
 * Imports Keras models for fine-tuning: tf.keras (Keras 2) SavedModels with {@code
 * keras_metadata.pb}, Keras 3 {@code .keras} archives and this project's own SavedModels, through
 * {@link org.tffinetune.keras.ModelImport#loadForTraining}. Also replaces a classifier's head
 * ({@link org.tffinetune.keras.Heads}), describes any model folder or archive ({@link
 * org.tffinetune.keras.ModelInspection}) and writes golden outputs for the Python check ({@link
 * org.tffinetune.keras.GoldenFile}).
 */
package org.tffinetune.keras;
