package io.otelstream.streams.spanmetrics;

import java.time.Duration;
import java.util.List;

/**
 * Service-graph metrics from client/server and producer/consumer span pairs, in the shape of the
 * OpenTelemetry Collector's {@code servicegraph} connector configuration, so a Collector's section
 * pastes as it is.
 *
 * @param enabled compute service-graph metrics (default false)
 * @param latencyHistogramBuckets bounds of the client and server latency histograms (the
 *     connector's default: 2ms … 15s)
 * @param dimensions span (then resource) attributes added as {@code client_<name>} and {@code
 *     server_<name>} labels
 * @param virtualNodePeerAttributes attributes of an unpaired client span naming the server it
 *     called (an uninstrumented database or service), in order (default {@code peer.service},
 *     {@code db.name}, {@code db.system}); such a span makes an edge with {@code
 *     connection_type="virtual_node"}
 * @param store accepted: the connector's pairing store. otelstream pairs spans within a decided
 *     trace, so a pair waits exactly {@code decision_wait}
 * @param metricsFlushInterval how often each task writes what it counted (default 15s)
 */
public record ServiceGraphConfig(
    Boolean enabled,
    List<Duration> latencyHistogramBuckets,
    List<String> dimensions,
    List<String> virtualNodePeerAttributes,
    Store store,
    Duration metricsFlushInterval) {

  public ServiceGraphConfig {
    enabled = enabled != null && enabled;
    latencyHistogramBuckets =
        latencyHistogramBuckets != null
            ? List.copyOf(latencyHistogramBuckets)
            : SpanMetricsConfig.DEFAULT_BUCKETS;
    new SpanMetricsConfig.Explicit(latencyHistogramBuckets); // the same ascending rule
    dimensions = dimensions != null ? List.copyOf(dimensions) : List.of();
    virtualNodePeerAttributes =
        virtualNodePeerAttributes != null
            ? List.copyOf(virtualNodePeerAttributes)
            : List.of("peer.service", "db.name", "db.system");
    store = store != null ? store : new Store(null, null);
    metricsFlushInterval =
        metricsFlushInterval != null ? metricsFlushInterval : Duration.ofSeconds(15);
    if (metricsFlushInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException(
          "service_graph.metrics_flush_interval must be at least 100ms, was "
              + metricsFlushInterval);
    }
  }

  public static ServiceGraphConfig disabled() {
    return new ServiceGraphConfig(null, null, null, null, null, null);
  }

  /** Latency bounds in seconds, the connector's unit. */
  double[] boundsSeconds() {
    double[] out = new double[latencyHistogramBuckets.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = latencyHistogramBuckets.get(i).toNanos() / 1e9;
    }
    return out;
  }

  /** Accepted for compatibility: pairs are made within one decided trace. */
  public record Store(Duration ttl, Integer maxItems) {}
}
