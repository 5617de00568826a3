package io.otelstream.streams.aggregation;

import java.time.Duration;

/**
 * The metrics aggregation stage: points whose series collapse (attribute actions, the cardinality
 * guard) are merged in Kafka Streams state and emitted as cumulative series on an interval.
 *
 * @param enabled run every metric through the stage (default true); false passes records through
 *     with attribute actions only, which can write several points to one series (and the guard
 *     needs the stage)
 * @param interval how often each aggregate series is emitted (default 15s, Prometheus' example
 *     scrape interval: one sample per series per scrape interval, as a scrape would give)
 * @param staleness a source series silent this long is forgotten: its last value stays in the
 *     aggregate (folded), and an aggregate whose sources are all gone is ended with a staleness
 *     marker (default 5m, Prometheus' lookback delta; at least twice the interval)
 * @param gauge how gauges from several sources combine: {@code last} (the newest point by its
 *     timestamp; default, because a gauge is a sampled current value and the newest sample is the
 *     only one that no other source contradicts), {@code sum}, {@code min} or {@code max}
 */
public record AggregationConfig(
    Boolean enabled, Duration interval, Duration staleness, String gauge) {
  public AggregationConfig {
    enabled = enabled == null || enabled;
    interval = interval != null ? interval : Duration.ofSeconds(15);
    staleness = staleness != null ? staleness : Duration.ofMinutes(5);
    gauge = gauge != null ? gauge : "last";
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("interval must be at least 100ms, was " + interval);
    }
    if (staleness.compareTo(interval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "staleness ("
              + staleness
              + ") must be at least twice the interval ("
              + interval
              + "), or every series would end between two emissions");
    }
    GaugeFunction.of(gauge);
  }

  public static AggregationConfig defaults() {
    return new AggregationConfig(null, null, null, null);
  }

  public GaugeFunction gaugeFunction() {
    return GaugeFunction.of(gauge);
  }
}
