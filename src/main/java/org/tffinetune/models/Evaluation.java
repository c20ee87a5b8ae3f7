package org.tffinetune.models;

/**
 * The result of {@link Sequential#evaluate}: the mean loss ("test score" in the Keras example) and
 * the accuracy over the whole set.
 */
public record Evaluation(double loss, double accuracy, int samples) {}
