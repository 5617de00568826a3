package io.otelstream.streams.spanmetrics;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Collector {@code spanmetrics} connector's series for one span: a calls counter and a duration
 * histogram per service, span name, kind, status code and configured dimensions.
 */
final class SpanMetrics {
  private static final int MAX_SEEN = 10_000;
  private final SpanMetricsConfig config;
  private final MetricDeltas.Instrument calls;
  private final MetricDeltas.Instrument duration; // null when the histogram is disabled
  private final double unitsPerSecond;
  // Label sets seen lately, by what makes them: most spans repeat a few, and building and hashing
  // the dimensions is most of a span's cost.
  private final Map<Key, MetricDeltas.Series> seen = new HashMap<>();

  private record Key(
      String tenant,
      Resource resource,
      String name,
      Span.SpanKind kind,
      Status.StatusCode status,
      List<AnyValue> extras) {}

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
    List<AnyValue> extras = new ArrayList<>(config.dimensions().size());
    for (SpanMetricsConfig.Dimension dim : config.dimensions()) {
      extras.add(SpanAttributes.spanOrResource(span, r, dim.name()));
    }
    Key key =
        new Key(tenant, r, span.getName(), span.getKind(), span.getStatus().getCode(), extras);
    MetricDeltas.Series series = seen.get(key);
    if (series == null) {
      if (seen.size() >= MAX_SEEN) {
        seen.clear();
      }
      series = deltas.series(tenant, r, dimensions(r, span, extras));
      seen.put(key, series);
    }
    deltas.count(calls, series, 1);
    if (duration != null) {
      double value = SpanAttributes.seconds(span) * unitsPerSecond;
      deltas.observe(
          duration,
          series,
          value,
          kept && config.exemplars().enabled() ? SpanAttributes.exemplar(span, value) : null);
    }
  }

  /** The connector's dimensions: service.name, span.name, span.kind, status.code, then extras. */
  private List<KeyValue> dimensions(Resource r, Span span, List<AnyValue> extras) {
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
    for (int i = 0; i < extras.size(); i++) {
      SpanMetricsConfig.Dimension dim = config.dimensions().get(i);
      AnyValue v = extras.get(i);
      if (v != null) {
        out.add(KeyValue.newBuilder().setKey(dim.name()).setValue(v).build());
      } else if (dim.defaultValue() != null) {
        out.add(SpanAttributes.text(dim.name(), dim.defaultValue()));
      }
    }
    return out;
  }
}
