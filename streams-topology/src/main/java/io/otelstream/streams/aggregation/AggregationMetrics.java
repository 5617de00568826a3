package io.otelstream.streams.aggregation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.otelstream.schemas.metrics.MetricNames;

/**
 * Self-metrics of the aggregation stage and the guard. Labels are bounded: a reason word, never a
 * metric or attribute name (those are in {@link CardinalityReport}).
 */
public final class AggregationMetrics {
  private final MeterRegistry registry;
  final CardinalityReport report = new CardinalityReport();
  private final Counter resets;
  private final Counter forgotten;
  private final Counter emitted;
  private final Counter quantiles;
  private final Counter attributesDropped;
  private final Counter overflowPoints;
  private final Counter aggregated;

  public AggregationMetrics(MeterRegistry registry) {
    this.registry = registry;
    resets =
        Counter.builder(MetricNames.STREAMS_METRIC_SOURCE_RESETS.name())
            .description("Source series that restarted (new start time or lower value)")
            .register(registry);
    forgotten =
        Counter.builder(MetricNames.STREAMS_METRIC_SOURCES_FORGOTTEN.name())
            .description("Source series silent past the staleness; their last value stays folded")
            .register(registry);
    emitted =
        Counter.builder(MetricNames.STREAMS_METRIC_SERIES_EMITTED.name())
            .description("Aggregate series points written to the processed topic")
            .register(registry);
    quantiles =
        Counter.builder(MetricNames.STREAMS_METRIC_SUMMARY_QUANTILES_DROPPED.name())
            .description("Summary quantiles dropped because quantiles cannot be merged")
            .register(registry);
    attributesDropped =
        Counter.builder(MetricNames.STREAMS_CARDINALITY_ATTRIBUTES_DROPPED.name())
            .description("Times the guard dropped an attribute from a metric")
            .register(registry);
    overflowPoints =
        Counter.builder(MetricNames.STREAMS_CARDINALITY_OVERFLOW_POINTS.name())
            .description("Points routed to a metric's overflow series")
            .register(registry);
    aggregated =
        Counter.builder(MetricNames.STREAMS_METRIC_POINTS_AGGREGATED.name())
            .description("Data points merged into aggregate series")
            .register(registry);
    Gauge.builder(
            MetricNames.STREAMS_METRIC_SERIES_ACTIVE.name(),
            report,
            CardinalityReport::activeSeries)
        .description("Aggregate series this instance emits")
        .register(registry);
    Gauge.builder(
            MetricNames.STREAMS_CARDINALITY_DROPPED_ATTRIBUTES.name(),
            report,
            CardinalityReport::droppedAttributes)
        .description("Attributes the guard has dropped, over all metrics")
        .register(registry);
    Gauge.builder(
            MetricNames.STREAMS_CARDINALITY_OVERFLOWING_METRICS.name(),
            report,
            CardinalityReport::overflowingMetrics)
        .description("Metrics at their series limit, writing an overflow series")
        .register(registry);
    for (String reason :
        new String[] {
          "histogram_bounds_differ",
          "delta_out_of_order",
          "no_recorded_value",
          "no_data",
          "non_finite_value",
          "histogram_malformed",
          "exponential_histogram_malformed"
        }) {
      dropCounter(reason);
    }
  }

  public CardinalityReport report() {
    return report;
  }

  void dropped(String reason, long points) {
    dropCounter(reason).increment(points);
  }

  private Counter dropCounter(String reason) {
    return Counter.builder(MetricNames.STREAMS_METRIC_POINTS_DROPPED.name())
        .description("Metric data points the aggregation stage could not merge, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  void reset() {
    resets.increment();
  }

  void forgotten(long n) {
    forgotten.increment(n);
  }

  void emitted(long n) {
    emitted.increment(n);
  }

  void quantilesDropped(long n) {
    quantiles.increment(n);
  }

  void attributeDropped() {
    attributesDropped.increment();
  }

  void aggregated() {
    aggregated.increment();
  }

  void overflow() {
    overflowPoints.increment();
  }
}
