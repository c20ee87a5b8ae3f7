/**
 * Controlled transfer-learning experiments: transfer (frozen pretrained features), fine-tuning of
 * every layer from pretrained weights, and training from scratch, compared over several seeds and
 * over balanced training subsets of several sizes, with a Markdown, HTML and JSON report.
 *
 * <p>{@link org.tffinetune.experiments.Experiment} runs the training and writes every finished run
 * to its results folder, so an interrupted experiment resumes where it stopped. {@link
 * org.tffinetune.experiments.ReportWriter} turns the runs into the report.
 */
package org.tffinetune.experiments;
