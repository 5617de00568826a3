package io.otelstream.streams.aggregation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

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
        Counter.builder("otelstream.streams.metric.source.resets")
            .description("Source series that restarted (new start time or lower value)")
            .register(registry);
    forgotten =
        Counter.builder("otelstream.streams.metric.sources.forgotten")
            .description("Source series silent past the staleness; their last value stays folded")
            .register(registry);
    emitted =
        Counter.builder("otelstream.streams.metric.series.emitted")
            .description("Aggregate series points written to the processed topic")
            .register(registry);
    quantiles =
        Counter.builder("otelstream.streams.metric.summary.quantiles.dropped")
            .description("Summary quantiles dropped because quantiles cannot be merged")
            .register(registry);
    attributesDropped =
        Counter.builder("otelstream.streams.cardinality.attributes.dropped")
            .description("Times the guard dropped an attribute from a metric")
            .register(registry);
    overflowPoints =
        Counter.builder("otelstream.streams.cardinality.overflow.points")
            .description("Points routed to a metric's overflow series")
            .register(registry);
    aggregated =
        Counter.builder("otelstream.streams.metric.points.aggregated")
            .description("Data points merged into aggregate series")
            .register(registry);
    Gauge.builder(
            "otelstream.streams.metric.series.active", report, CardinalityReport::activeSeries)
        .description("Aggregate series this instance emits")
        .register(registry);
    Gauge.builder(
            "otelstream.streams.cardinality.dropped.attributes",
            report,
            CardinalityReport::droppedAttributes)
        .description("Attributes the guard has dropped, over all metrics")
        .register(registry);
    Gauge.builder(
            "otelstream.streams.cardinality.overflowing.metrics",
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
    return Counter.builder("otelstream.streams.metric.points.dropped")
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
