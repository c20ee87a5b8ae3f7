package org.tffinetune.serving;

/**
 * The interface that a {@link Predictor} serves: one float32 input of shape [batch, ...example] and
 * one float32 output of shape [batch, classes], read from a SavedModel signature.
 *
 * @param key the signature key, {@code serving_default} unless the caller chose another
 * @param methodName the signature's method name, such as {@code tensorflow/serving/predict}, or an
 *     empty string where the SavedModel stores none
 * @param input the single input tensor
 * @param output the single output tensor
 */
public record ModelSignature(String key, String methodName, TensorSpec input, TensorSpec output) {}
