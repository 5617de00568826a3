package io.otelstream.streams.spanmetrics;

import java.time.Duration;

/** The metrics the tail-sampling tasks derive from every span: span metrics and service graph. */
public record TraceMetricsConfig(SpanMetricsConfig spanMetrics, ServiceGraphConfig serviceGraph) {
  public static TraceMetricsConfig disabled() {
    return new TraceMetricsConfig(SpanMetricsConfig.disabled(), ServiceGraphConfig.disabled());
  }

  public boolean enabled() {
    return spanMetrics.enabled() || serviceGraph.enabled();
  }

  /** How often a task writes what it counted: the shorter of the enabled intervals. */
  public Duration flushInterval() {
    if (spanMetrics.enabled() && serviceGraph.enabled()) {
      Duration a = spanMetrics.metricsFlushInterval();
      Duration b = serviceGraph.metricsFlushInterval();
      return a.compareTo(b) <= 0 ? a : b;
    }
    return spanMetrics.enabled()
        ? spanMetrics.metricsFlushInterval()
        : serviceGraph.metricsFlushInterval();
  }

  /** Exemplars a duration series keeps between flushes; 0 when exemplars are off. */
  int maxExemplars() {
    SpanMetricsConfig.Exemplars e = spanMetrics.exemplars();
    return e.enabled() ? e.maxPerDataPoint() : 0;
  }
}
