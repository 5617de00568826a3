package io.otelstream.streams.aggregation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cardinality guard, per metric and tenant.
 *
 * @param enabled default true (needs the aggregation stage)
 * @param maxValuesPerAttribute distinct values of one data-point attribute of one metric within the
 *     window; one more and the attribute is dropped from that metric and its series merged (default
 *     1000)
 * @param maxSeriesPerMetric active output series of one metric; points of new series beyond it go
 *     to the metric's overflow series {@code otel.metric.overflow="true"} (default 2000, the OTel
 *     SDKs' default cardinality limit)
 * @param window distinct values are counted over the last window, in two halves: a value seen in
 *     the last half-window always counts, one older than the window never does (default 10m)
 * @param neverDrop attributes the guard never drops (series limits still apply); default the
 *     bounded HTTP and RPC semantic-convention attributes that dashboards group by
 * @param overrides per metric name: its own limits and never-drop list
 */
public record CardinalityConfig(
    Boolean enabled,
    Integer maxValuesPerAttribute,
    Integer maxSeriesPerMetric,
    Duration window,
    List<String> neverDrop,
    Map<String, MetricOverride> overrides) {

  public static final List<String> DEFAULT_NEVER_DROP =
      List.of(
          "http.route",
          "http.request.method",
          "http.response.status_code",
          "rpc.service",
          "rpc.method",
          "rpc.grpc.status_code");

  public CardinalityConfig {
    enabled = enabled == null || enabled;
    maxValuesPerAttribute = maxValuesPerAttribute != null ? maxValuesPerAttribute : 1000;
    maxSeriesPerMetric = maxSeriesPerMetric != null ? maxSeriesPerMetric : 2000;
    window = window != null ? window : Duration.ofMinutes(10);
    neverDrop = neverDrop != null ? List.copyOf(neverDrop) : DEFAULT_NEVER_DROP;
    overrides = overrides != null ? Map.copyOf(overrides) : Map.of();
    positive("max_values_per_attribute", maxValuesPerAttribute);
    positive("max_series_per_metric", maxSeriesPerMetric);
    if (window.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("window must be at least 2s, was " + window);
    }
  }

  public static CardinalityConfig defaults() {
    return new CardinalityConfig(null, null, null, null, null, null);
  }

  /** A metric's own limits; unset ones take the guard's. */
  public record MetricOverride(
      Integer maxValuesPerAttribute, Integer maxSeriesPerMetric, List<String> neverDrop) {
    public MetricOverride {
      if (maxValuesPerAttribute != null) {
        positive("max_values_per_attribute", maxValuesPerAttribute);
      }
      if (maxSeriesPerMetric != null) {
        positive("max_series_per_metric", maxSeriesPerMetric);
      }
      neverDrop = neverDrop != null ? List.copyOf(neverDrop) : null;
    }
  }

  /** The limits in force for one metric. */
  public record Limits(int maxValuesPerAttribute, int maxSeriesPerMetric, Set<String> neverDrop) {}

  public Limits limitsFor(String metric) {
    MetricOverride o = overrides.get(metric);
    if (o == null) {
      return new Limits(maxValuesPerAttribute, maxSeriesPerMetric, Set.copyOf(neverDrop));
    }
    return new Limits(
        o.maxValuesPerAttribute() != null ? o.maxValuesPerAttribute() : maxValuesPerAttribute,
        o.maxSeriesPerMetric() != null ? o.maxSeriesPerMetric() : maxSeriesPerMetric,
        Set.copyOf(o.neverDrop() != null ? o.neverDrop() : neverDrop));
  }

  private static void positive(String key, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, was " + v);
    }
  }
}
