package org.tffinetune.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The server's Prometheus metrics, kept in a registry of its own so that several servers in one JVM
 * do not share counts.
 *
 * <p>Label {@code model} takes only the names of served models, and {@code api} is one of {@code
 * predict}, {@code metadata} and {@code status}. Requests for unknown models are counted without
 * labels, so that clients cannot create label values at will.
 */
final class ServingMetrics {
  /** Latency bucket bounds in seconds, from 0.5 ms to 10 s. */
  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private static final double[] BATCH_SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Counter requests =
      Counter.builder()
          .name("tffinetune_serving_requests_total")
          .help("REST API requests received, by model and API")
          .labelNames("model", "api")
          .withoutExemplars()
          .register(registry);

  private final Counter errors =
      Counter.builder()
          .name("tffinetune_serving_request_errors_total")
          .help("REST API requests answered with an HTTP status of 400 or more")
          .labelNames("model", "api", "code")
          .withoutExemplars()
          .register(registry);

  private final Histogram latency =
      Histogram.builder()
          .name("tffinetune_serving_request_duration_seconds")
          .help("Time from receiving a REST API request to writing its response")
          .unit(Unit.SECONDS)
          .labelNames("model", "api")
          .classicOnly()
          .classicUpperBounds(LATENCY_BUCKETS)
          .withoutExemplars()
          .register(registry);

  private final Histogram batchSize =
      Histogram.builder()
          .name("tffinetune_serving_batch_size")
          .help("Examples per model run after merging concurrent predict requests")
          .labelNames("model")
          .classicOnly()
          .classicUpperBounds(BATCH_SIZE_BUCKETS)
          .withoutExemplars()
          .register(registry);

  private final Counter unknownModelRequests =
      Counter.builder()
          .name("tffinetune_serving_unknown_model_requests_total")
          .help("REST API requests that named a model this server does not serve")
          .withoutExemplars()
          .register(registry);

  /** Records one completed request to a served model. */
  void recordRequest(String model, String api, int status, long durationNanos) {
    requests.labelValues(model, api).inc();
    if (status >= 400) {
      errors.labelValues(model, api, Integer.toString(status)).inc();
    }
    latency.labelValues(model, api).observe(durationNanos / 1e9);
  }

  /** Records a request for a model name that is not served. */
  void recordUnknownModel() {
    unknownModelRequests.inc();
  }

  /** Records the number of examples in one model run. */
  void recordBatch(String model, int examples) {
    batchSize.labelValues(model).observe(examples);
  }

  /** Returns the content type of {@link #write}'s output. */
  String contentType() {
    return writer.getContentType();
  }

  /** Writes every metric in the Prometheus text exposition format. */
  void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
