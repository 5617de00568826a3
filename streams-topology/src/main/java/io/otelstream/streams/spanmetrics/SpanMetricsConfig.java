package io.otelstream.streams.spanmetrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * R.E.D. metrics from every span, in the shape of the OpenTelemetry Collector's {@code spanmetrics}
 * connector configuration, so a Collector's section pastes as it is.
 *
 * @param enabled compute span metrics (default false)
 * @param namespace prefix of the metric names (default {@code traces.span.metrics}, the
 *     connector's: {@code traces.span.metrics.calls} and {@code traces.span.metrics.duration})
 * @param histogram the duration histogram: unit and explicit buckets
 * @param dimensions span (then resource) attributes added to the default dimensions, with an
 *     optional default when missing (omitted when there is none)
 * @param excludeDimensions default dimensions left out ({@code span.name}, {@code span.kind},
 *     {@code status.code})
 * @param exemplars {@code enabled} (default false, as the connector's) puts exemplars (trace and
 *     span ID, duration) on the duration histogram, taken only from spans of kept traces; {@code
 *     max_per_data_point} (default 5) bounds them per series and flush
 * @param metricsFlushInterval how often each task writes the counts it gathered (default 15s)
 * @param aggregationTemporality accepted: {@code AGGREGATION_TEMPORALITY_CUMULATIVE} (default); the
 *     metrics aggregation stage makes cumulative series of every task's counts
 * @param dimensionsCacheSize accepted and ignored (the Collector's memory knob)
 * @param resourceMetricsCacheSize accepted and ignored (the Collector's memory knob)
 * @param metricsExpiration accepted and ignored: series end after the aggregation staleness
 */
public record SpanMetricsConfig(
    Boolean enabled,
    String namespace,
    Histogram histogram,
    List<Dimension> dimensions,
    List<String> excludeDimensions,
    Exemplars exemplars,
    Duration metricsFlushInterval,
    String aggregationTemporality,
    Integer dimensionsCacheSize,
    Integer resourceMetricsCacheSize,
    Duration metricsExpiration) {

  /** The connector's default buckets. */
  static final List<Duration> DEFAULT_BUCKETS =
      List.of(
          Duration.ofMillis(2),
          Duration.ofMillis(4),
          Duration.ofMillis(6),
          Duration.ofMillis(8),
          Duration.ofMillis(10),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(200),
          Duration.ofMillis(400),
          Duration.ofMillis(800),
          Duration.ofSeconds(1),
          Duration.ofMillis(1400),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(15));

  static final List<String> DEFAULT_DIMENSIONS = List.of("span.name", "span.kind", "status.code");

  public SpanMetricsConfig {
    enabled = enabled != null && enabled;
    namespace = namespace != null ? namespace : "traces.span.metrics";
    histogram = histogram != null ? histogram : new Histogram(null, null, null, null);
    dimensions = dimensions != null ? List.copyOf(dimensions) : List.of();
    excludeDimensions = excludeDimensions != null ? List.copyOf(excludeDimensions) : List.of();
    for (String d : excludeDimensions) {
      if (!DEFAULT_DIMENSIONS.contains(d)) {
        throw new IllegalArgumentException(
            "exclude_dimensions: " + d + " is not a default dimension " + DEFAULT_DIMENSIONS);
      }
    }
    exemplars = exemplars != null ? exemplars : new Exemplars(null, null);
    metricsFlushInterval =
        metricsFlushInterval != null ? metricsFlushInterval : Duration.ofSeconds(15);
    if (metricsFlushInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException(
          "metrics_flush_interval must be at least 100ms, was " + metricsFlushInterval);
    }
    aggregationTemporality =
        aggregationTemporality != null
            ? aggregationTemporality
            : "AGGREGATION_TEMPORALITY_CUMULATIVE";
    if (!aggregationTemporality.equals("AGGREGATION_TEMPORALITY_CUMULATIVE")) {
      throw new IllegalArgumentException(
          "aggregation_temporality: only AGGREGATION_TEMPORALITY_CUMULATIVE; otelstream writes"
              + " cumulative series (each task's counts are added up in the metrics aggregation"
              + " stage), was "
              + aggregationTemporality);
    }
  }

  public static SpanMetricsConfig disabled() {
    return new SpanMetricsConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  public String callsName() {
    return namespace.isEmpty() ? "calls" : namespace + ".calls";
  }

  public String durationName() {
    return namespace.isEmpty() ? "duration" : namespace + ".duration";
  }

  /** The histogram: {@code unit} ms (default) or s, and explicit buckets. */
  public record Histogram(String unit, Explicit explicit, Boolean disable, Object exponential) {
    public Histogram {
      unit = unit != null ? unit : "ms";
      if (!unit.equals("ms") && !unit.equals("s")) {
        throw new IllegalArgumentException("histogram.unit must be ms or s, was " + unit);
      }
      if (exponential != null) {
        throw new IllegalArgumentException(
            "histogram.exponential is not supported yet; use histogram.explicit");
      }
      explicit = explicit != null ? explicit : new Explicit(null);
      disable = disable != null && disable;
    }

    /** Bucket bounds in the histogram's unit. */
    public double[] bounds() {
      List<Duration> b = explicit.buckets();
      double[] out = new double[b.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = unit.equals("ms") ? b.get(i).toNanos() / 1e6 : b.get(i).toNanos() / 1e9;
      }
      return out;
    }
  }

  /** Explicit bucket bounds, ascending. */
  public record Explicit(List<Duration> buckets) {
    public Explicit {
      buckets = buckets != null ? List.copyOf(buckets) : DEFAULT_BUCKETS;
      for (int i = 1; i < buckets.size(); i++) {
        if (buckets.get(i).compareTo(buckets.get(i - 1)) <= 0) {
          throw new IllegalArgumentException(
              "histogram.explicit.buckets must be ascending, "
                  + buckets.get(i)
                  + " follows "
                  + buckets.get(i - 1));
        }
      }
    }
  }

  /** An extra dimension: a span or resource attribute, with a default when missing. */
  public record Dimension(String name, @JsonProperty("default") String defaultValue) {
    public Dimension {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("dimensions: name is required");
      }
    }
  }

  /** Exemplars on the duration histogram, only from kept traces. */
  public record Exemplars(Boolean enabled, Integer maxPerDataPoint) {
    public Exemplars {
      enabled = enabled != null && enabled;
      maxPerDataPoint = maxPerDataPoint != null ? maxPerDataPoint : 5;
      if (maxPerDataPoint < 1) {
        throw new IllegalArgumentException(
            "exemplars.max_per_data_point must be at least 1, was " + maxPerDataPoint);
      }
    }
  }
}
