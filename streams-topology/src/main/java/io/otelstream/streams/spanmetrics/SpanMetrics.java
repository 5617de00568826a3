package io.otelstream.streams.spanmetrics;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The Collector {@code spanmetrics} connector's series for one span: a calls counter and a duration
 * histogram per service, span name, kind, status code and configured dimensions.
 */
final class SpanMetrics {
  private final SpanMetricsConfig config;
  private final MetricDeltas.Instrument calls;
  private final MetricDeltas.Instrument duration; // null when the histogram is disabled
  private final double unitsPerSecond;

  SpanMetrics(SpanMetricsConfig config) {
    this.config = config;
    this.calls = new MetricDeltas.Instrument(config.callsName(), "", null);
    this.duration =
        config.histogram().disable()
            ? null
            : new MetricDeltas.Instrument(
                config.durationName(), config.histogram().unit(), config.histogram().bounds());
    this.unitsPerSecond = config.histogram().unit().equals("ms") ? 1000 : 1;
  }

  /** Counts one span; a span of a kept trace may become an exemplar. */
  void count(MetricDeltas deltas, String tenant, Resource r, Span span, boolean kept) {
    List<KeyValue> attrs = dimensions(r, span);
    deltas.count(calls, tenant, r, attrs, 1);
    if (duration != null) {
      double value = SpanAttributes.seconds(span) * unitsPerSecond;
      deltas.observe(
          duration,
          tenant,
          r,
          attrs,
          value,
          kept && config.exemplars().enabled() ? SpanAttributes.exemplar(span, value) : null);
    }
  }

  /** The connector's dimensions: service.name, span.name, span.kind, status.code, then extras. */
  private List<KeyValue> dimensions(Resource r, Span span) {
    List<KeyValue> out = new ArrayList<>(4 + config.dimensions().size());
    out.add(SpanAttributes.text("service.name", SpanAttributes.serviceName(r)));
    if (!config.excludeDimensions().contains("span.name")) {
      out.add(SpanAttributes.text("span.name", span.getName()));
    }
    if (!config.excludeDimensions().contains("span.kind")) {
      out.add(SpanAttributes.text("span.kind", span.getKind().name()));
    }
    if (!config.excludeDimensions().contains("status.code")) {
      out.add(SpanAttributes.text("status.code", span.getStatus().getCode().name()));
    }
    for (SpanMetricsConfig.Dimension dim : config.dimensions()) {
      AnyValue v = SpanAttributes.spanOrResource(span, r, dim.name());
      if (v != null) {
        out.add(KeyValue.newBuilder().setKey(dim.name()).setValue(v).build());
      } else if (dim.defaultValue() != null) {
        out.add(SpanAttributes.text(dim.name(), dim.defaultValue()));
      }
    }
    return out;
  }
}
