package io.otelstream.schemas.metrics;

/**
 * One otelstream metric: the name a component registers it under and the series name Prometheus
 * scrapes, derived the way the exposition derives it, so a component and `otelstream status` (or a
 * test) cannot drift apart.
 *
 * @param name the Micrometer name (dots), or for a sink the Kafka Connect plugin metric name
 * @param kind how it is registered, which decides its Prometheus suffix
 * @param unit the Micrometer base unit, or null
 */
public record MetricName(String name, Kind kind, String unit) {
  /** How a metric is registered. */
  public enum Kind {
    COUNTER,
    GAUGE,
    TIMER,
    /** A sink connector's plugin metric, served by the connect-metrics reporter. */
    SINK
  }

  static MetricName counter(String name) {
    return new MetricName(name, Kind.COUNTER, null);
  }

  static MetricName gauge(String name) {
    return new MetricName(name, Kind.GAUGE, null);
  }

  static MetricName gauge(String name, String unit) {
    return new MetricName(name, Kind.GAUGE, unit);
  }

  static MetricName timer(String name) {
    return new MetricName(name, Kind.TIMER, null);
  }

  static MetricName sink(String name) {
    return new MetricName(name, Kind.SINK, null);
  }

  /**
   * The Prometheus series (family) name: dots to underscores, the base unit appended unless the
   * name ends with it, {@code _total} after a counter, {@code _seconds} after a timer; a sink
   * metric under {@code otelstream_sink_}.
   */
  public String prometheus() {
    if (kind == Kind.SINK) {
      return "otelstream_sink_" + name.replace('-', '_');
    }
    String base = name.replace('.', '_');
    if (unit != null && !base.endsWith("_" + unit)) {
      base += "_" + unit; // as Micrometer's Prometheus naming: the unit once
    }
    return switch (kind) {
      case COUNTER -> base + "_total";
      case TIMER -> base + "_seconds";
      default -> base;
    };
  }
}
